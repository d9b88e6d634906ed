"""The values the domain works with, free of storage details (no ``_id``, no ``candidateProfile``).

Storage maps its documents to these; the rules and use cases only ever see these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, get_args

from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan

APPLICATION_COMPLETED = "interview_completed"

TranscriptRole = Literal["interviewer", "candidate"]
TranscriptSource = Literal["provider", "client", "offline"]  # who vouches for a turn (issue 16)
AnswerInput = Literal["voice", "text"]  # how the candidate gave an answer
EndReason = Literal["candidate_ended", "interview_complete", "connection_lost"]
END_REASONS: tuple[EndReason, ...] = get_args(EndReason)
ApplicationStatus = Literal["open", "in_progress", "completed"]  # as the candidate's page sees it


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    ERROR = "error"


@dataclass(frozen=True)
class Application:
    """A candidate's job application, as far as the interview cares."""

    id: str
    user_id: str | None
    job_title: str | None
    candidate_name: str | None
    status: str | None
    plan: InterviewPlan = DEFAULT_PLAN  # the hiring team's interview plan (issue 20 §4)

    def public(self) -> dict:
        """The fields a candidate may see (the API's ``application`` object)."""
        return {"id": self.id, "jobTitle": self.job_title, "candidateName": self.candidate_name}


@dataclass(frozen=True)
class SessionRef:
    """Just enough of a session for the start rules."""

    session_id: str
    status: str
    started_at: datetime
    last_activity_at: datetime | None = None  # sessions stored before activity tracking have none
    created_at: datetime | None = None  # when it was stored (server time); older sessions have none
    consented: bool = False  # it holds the candidate's consent: a reuse need not record it again

    @property
    def counted_at(self) -> datetime:
        """When the session counts for the rate limit: when it was stored, never a claimed start."""
        return self.created_at or self.started_at

    @property
    def active_since(self) -> datetime:
        """When the candidate was last seen in this session."""
        return self.last_activity_at or self.started_at


@dataclass(frozen=True)
class NewSession:
    """A session the start use case has decided to store (storage maps it to its document).

    ``started_at`` is earlier than ``created_at`` only for an offline interview recorded afterwards.
    ``metadata`` is what the request told about the candidate's device and network. ``consent`` is
    ``{at, noticeVersion}`` when the candidate agreed to the notice (``domain/notice.py``); a session
    without it is never scored.
    ``candidate_name`` and ``job_title`` are copied from the application so the review list can
    filter and show them without a join (issue 18).
    """

    session_id: str
    application_id: str
    candidate_id: str | None
    started_at: datetime
    created_at: datetime
    metadata: dict
    consent: dict | None = None
    candidate_name: str | None = None
    job_title: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """The application and those of its sessions the rules look at."""

    application: Application
    sessions: list[SessionRef]


@dataclass(frozen=True)
class TranscriptItem:
    """One turn of the conversation, upserted by ``id`` (the provider's item or response id).

    ``source`` says who wrote it: ``provider`` (our server, from what the interviewer said or
    heard), ``client`` (the page, while a provider record can exist) or ``offline`` (uploaded after
    an offline interview). ``client_text`` is the page's differing text of a provider turn.
    """

    id: str
    role: TranscriptRole
    text: str
    at: datetime | None = None
    duration_ms: int | None = None
    source: TranscriptSource = "client"
    input: AnswerInput | None = None
    client_text: str | None = None


@dataclass(frozen=True)
class Session:
    """A stored interview session, as the lifecycle use cases read it."""

    session_id: str
    application_id: str
    status: str
    started_at: datetime
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    duration: int | None = None
    end_reason: str | None = None
    transcript: list[TranscriptItem] = field(default_factory=list)
    transcript_version: int = 0
    final_score: float | None = None
    score_breakdown: dict | None = None
    offline: bool = False  # an offline interview recorded afterwards (its ``metadata.offline``)
