"""Bodies of the review API (issue 18): the decision request and the list's rows and counts.

The decision is a tagged union so the OpenAPI document itself says a ``reject`` needs a note (a
non-blank one); the domain checks it again (``domain/review.py::checked_decision``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

from interview_app.domain.review import MAX_NOTE_CHARS

Note = Annotated[str, StringConstraints(strict=True, max_length=MAX_NOTE_CHARS)]
ReasonNote = Annotated[str, StringConstraints(strict=True, max_length=MAX_NOTE_CHARS, pattern=r"\S")]


class AdvanceOrHold(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    decision: Literal["advance", "hold"]
    note: Note | None = None


class Reject(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    decision: Literal["reject"]
    note: ReasonNote  # a reject says why


class DecisionRequest(RootModel[Annotated[AdvanceOrHold | Reject, Field(discriminator="decision")]]):
    """``{decision: "advance" | "hold", note?}`` or ``{decision: "reject", note}``."""


class ReviewOut(BaseModel):
    decision: str
    note: str
    by: str
    at: str


class SessionRow(BaseModel):
    sessionId: str
    applicationId: str
    candidateName: str | None
    jobTitle: str | None
    status: str
    startedAt: str
    duration: int | None
    endReason: str | None
    deviceType: str | None
    offline: bool
    transcriptVerified: bool
    finalScore: float | None
    scoringStatus: str | None
    decision: str | None
    erased: bool


class Counts(BaseModel):
    inProgress: int
    completed: int
    awaitingDecision: int
    averageScore: float | None


class SessionList(BaseModel):
    items: list[SessionRow]
    nextCursor: str | None
    counts: Counts


class SessionDetail(BaseModel):
    session: dict
    application: dict | None
    events: list[dict]
    transcript: list[dict]
    transcriptVerified: bool
    offlineSpans: list[dict]
    scoring: dict | None
    review: ReviewOut | None
    reviewHistory: list[ReviewOut]


class RescoreResponse(BaseModel):
    sessionId: str
    scoring: dict


class Tombstone(BaseModel):
    sessionId: str
    erased: dict
