"""Bodies of the review API (issue 18): the decision request and the list's rows and counts, and
the hiring team's create-interview request (issue 20 §5).

The decision is a tagged union so the OpenAPI document itself says a ``reject`` needs a note (a
non-blank one); the domain checks it again (``domain/review.py::checked_decision``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, WithJsonSchema

from interview_app.api.schemas import ApplicationId
from interview_app.domain import plan
from interview_app.domain.review import MAX_NOTE_CHARS
from interview_app.domain.text import SAFE_NONBLANK_LINE_PATTERN

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


MAX_NAME_CHARS = 200
# One line a person reads (a job title, a name): non-blank, no control or bidi character (the route
# trims it; trimming in the schema would let a 201-character value with a trailing space through).
DisplayLine = Annotated[
    str, StringConstraints(strict=True, max_length=MAX_NAME_CHARS, pattern=SAFE_NONBLANK_LINE_PATTERN)
]
Email = Annotated[  # the shape of an address; whether it receives mail is the ATS's business
    str, StringConstraints(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
ExternalId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=r"^[!-~]+$")]


# Python's whitespace (what ``parse_plan`` trims): a question needs one character outside it.
_NOT_BLANK = "[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# The plan's language rule without the inline flag JSON Schema's regex dialect lacks.
_LANGUAGE_PATTERN = (
    plan.LANGUAGE_PATTERN.replace("a-z", "A-Za-z").replace("[0-9a-wy-z]", "[0-9A-WY-Za-wy-z]").replace("-x(", "-[xX](")
)


class InterviewPlanIn(BaseModel):
    """What ``domain/plan.py::parse_plan`` accepts, as the OpenAPI document states it (the route reads
    the plan as an object and lets ``parse_plan`` judge it: 422 ``INVALID_INTERVIEW_PLAN``)."""

    model_config = ConfigDict(extra="forbid")

    questions: Annotated[
        list[Annotated[str, StringConstraints(max_length=plan.MAX_QUESTION_CHARS, pattern=_NOT_BLANK)]],
        Field(min_length=1, max_length=plan.MAX_QUESTIONS),
    ] = []
    durationMinutes: Annotated[int, Field(ge=plan.MIN_DURATION_MINUTES, le=plan.MAX_DURATION_MINUTES)] = 0
    language: Annotated[str, StringConstraints(max_length=35, pattern=_LANGUAGE_PATTERN)] = plan.DEFAULT_LANGUAGE
    camera: plan.Camera = "off"


def _optional_members(schema: dict) -> dict:
    schema.pop("required", None)
    for member in schema["properties"].values():
        member.pop("default", None)
    return schema


PLAN_SCHEMA = _optional_members(InterviewPlanIn.model_json_schema())


class CreateInterviewRequest(BaseModel):
    """``POST /api/review/interviews``: the role, the candidate and the plan (``domain/plan.py`` checks
    the plan's contents: 422 ``INVALID_INTERVIEW_PLAN``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    jobTitle: DisplayLine
    candidateName: DisplayLine
    candidateEmail: Email | None = None
    interviewPlan: Annotated[
        dict[str, Any],
        WithJsonSchema(PLAN_SCHEMA),
        Field(description="{} lets the interviewer suggest questions for the job title"),
    ]
    externalId: Annotated[ExternalId | None, Field(description="the ATS's id: a retry answers the same interview")] = (
        None
    )
    userId: Annotated[ApplicationId | None, Field(description="the candidate's id; absent: a new one")] = None


class CreatedInterviewResponse(BaseModel):
    applicationId: str
    userId: str
    inviteUrl: str
    expiresAt: str
