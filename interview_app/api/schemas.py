"""Request and response bodies of the HTTP API (pydantic), with their bounds.

Strict types: ``applicationId`` must be a real string, so ``{"$ne": null}``, arrays, numbers
and null never reach a query. Unknown members are refused rather than silently ignored, so a
client typo is seen at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal, overload

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from interview_app.domain.device import USER_AGENT_MAX_CHARS
from interview_app.domain.model import AnswerInput, ApplicationStatus, EndReason, TranscriptSource
from interview_app.domain.notice import MAX_VERSION_CHARS
from interview_app.domain.scoring.model import ScoringStatus
from interview_app.domain.text import SAFE_LINE_PATTERN, SAFE_TEXT_PATTERN, require_safe

MAX_BODY_BYTES = 16 * 1024
MAX_TRANSCRIPT_BODY_BYTES = 64 * 1024
MAX_TRANSCRIPT_BATCH = 50  # items per transcript request
MAX_ACCOMMODATION_NOTE_CHARS = 1000

ApplicationId = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]
UserAgent = Annotated[
    str,
    StringConstraints(strict=True, max_length=USER_AGENT_MAX_CHARS),
    AfterValidator(require_safe),
    Field(json_schema_extra={"pattern": SAFE_LINE_PATTERN}),
]
OfflineGrantToken = Annotated[  # a JWT
    str, StringConstraints(strict=True, max_length=2048, pattern=r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
]
DeviceType = Literal["desktop", "mobile", "tablet"]
NetworkQuality = Literal["poor", "fair", "good"]


def _iso_8601_string(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date string with a time zone")
    return value


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _storable(moment: datetime) -> datetime:
    """Within 1970-2100, a date the database can store (year 1 or 9999 would overflow it).

    Clamped rather than refused: the schema cannot say it, and a client's clock is no reason to
    lose a transcript turn or an offline interview (whose start is bounded more tightly anyway).
    """
    if moment.year < 1970:
        return EARLIEST
    if moment.year >= 2100:
        return LATEST
    return moment


# JSON dates are strings, which strict mode refuses for datetimes: lax parsing, strings only, zone required.
IsoDatetime = Annotated[
    AwareDatetime, Field(strict=False), BeforeValidator(_iso_8601_string), AfterValidator(_storable)
]


class StartMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    deviceType: DeviceType | None = None
    networkQuality: NetworkQuality | None = None
    userAgent: UserAgent | None = None
    offline: bool | None = None  # the session is created afterwards for an interview run offline
    startedAt: IsoDatetime | None = None  # ignored (the grant's ``iat`` is the start); kept for old clients


class ConsentIn(BaseModel):
    """The candidate agreed to this version of the notice (``domain/notice.py``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    noticeVersion: Annotated[
        str,
        StringConstraints(strict=True, min_length=1, max_length=MAX_VERSION_CHARS),
        AfterValidator(require_safe),
        Field(json_schema_extra={"pattern": SAFE_LINE_PATTERN}),
    ]


class StartSessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    applicationId: ApplicationId
    metadata: StartMetadata | None = None
    offlineGrant: OfflineGrantToken | None = None  # the offline call token of the interview being reconciled
    consent: ConsentIn | None = None  # absent: the session works but is never scored


class AccommodationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    note: Annotated[
        str,
        StringConstraints(strict=True, max_length=MAX_ACCOMMODATION_NOTE_CHARS),
        AfterValidator(lambda text: require_safe(text, True)),
        Field(json_schema_extra={"pattern": SAFE_TEXT_PATTERN}),
    ] = ""


class AccommodationResponse(BaseModel):
    sessionId: str
    requestedAt: str
    note: str


class StartSessionResponse(BaseModel):
    sessionId: str
    token: str
    expiresAt: str
    application: ApplicationSummary


class ErrorBody(BaseModel):
    error: str
    code: str
    details: str | None = None


class ApplicationSummary(BaseModel):
    id: str
    jobTitle: str | None
    candidateName: str | None


class ActiveSession(BaseModel):
    sessionId: str
    startedAt: str
    lastActivityAt: str


class Notice(BaseModel):
    version: str
    text: str


class CompletedSession(BaseModel):
    """The submitted interview: its score screen reads ``sessionId``, the completion screen the rest
    (``duration`` in whole seconds, null for an interview run offline; ``answered``: candidate turns)."""

    sessionId: str
    startedAt: str
    completedAt: str | None
    duration: int | None
    answered: int


class InterviewSummary(BaseModel):
    """What the candidate is told before Start (issue 20 §4, §9): never the questions themselves."""

    questionCount: int
    expectedMinutes: int
    language: str
    camera: Literal["off", "selfview"]  # "off": the page asks for the microphone only


class ApplicationPreviewResponse(ApplicationSummary):
    status: ApplicationStatus
    interview: InterviewSummary
    activeSession: ActiveSession | None
    notice: Notice  # what the candidate reads (and agrees to) before Start
    completedSession: CompletedSession | None  # the submitted interview (its score screen reads it)


@overload
def iso_utc(moment: datetime) -> str: ...
@overload
def iso_utc(moment: None) -> None: ...
def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, whole seconds (the API's one date format)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


TranscriptId = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]


class TranscriptItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: TranscriptId
    role: Literal["interviewer", "candidate"]
    text: Annotated[
        str,
        StringConstraints(strict=True, max_length=4000),
        AfterValidator(lambda text: require_safe(text, True)),
        Field(json_schema_extra={"pattern": SAFE_TEXT_PATTERN}),
    ]
    at: IsoDatetime | None = None
    durationMs: Annotated[int, Field(ge=0, le=24 * 3600 * 1000)] | None = None


class TranscriptBatch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    items: Annotated[list[TranscriptItemIn], Field(min_length=1, max_length=MAX_TRANSCRIPT_BATCH)]


class DroppedItem(BaseModel):
    """A turn the page gave up on. Its id is the page's own and may be what made it invalid, so it
    is only bounded here (one line, no control character), not held to the item id pattern."""

    model_config = ConfigDict(extra="forbid", strict=True)

    itemId: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=SAFE_LINE_PATTERN)]
    code: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z][A-Z0-9_]{0,39}$")]


class DroppedReport(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    items: Annotated[list[DroppedItem], Field(min_length=1, max_length=MAX_TRANSCRIPT_BATCH)]


class TranscriptCount(BaseModel):
    count: int


class EndRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    reason: EndReason = "candidate_ended"


class EndResponse(BaseModel):
    sessionId: str
    status: Literal["completed"]
    completedAt: str
    duration: int


def _absent_when_none(value: object) -> bool:
    return value is None


class TranscriptItemOut(BaseModel):
    """A stored turn with who vouches for it (issue 16): ``source``, and ``input`` / ``clientText``
    only when set (``clientText``: the page's text of a provider turn, when it differs)."""

    id: str
    role: str
    text: str
    at: str | None
    durationMs: int | None
    source: TranscriptSource
    input: AnswerInput | None = Field(default=None, exclude_if=_absent_when_none)
    clientText: str | None = Field(default=None, exclude_if=_absent_when_none)


class OfflineSpan(BaseModel):
    """Where the transcript is the page's upload after an offline interview (ISO times)."""

    start: str = Field(serialization_alias="from")
    end: str = Field(serialization_alias="to")


class SessionResponse(BaseModel):
    sessionId: str
    applicationId: str
    status: str
    startedAt: str
    lastActivityAt: str | None
    completedAt: str | None
    duration: int | None
    endReason: str | None
    transcript: list[TranscriptItemOut]
    transcriptVerified: bool  # at least one answer, and the server vouches for every answer
    offlineSpans: list[OfflineSpan]
    finalScore: float | None
    scoreBreakdown: dict | None


ScoreStatus = ScoringStatus  # the statuses' one home: domain/scoring/model.py


class Evidence(BaseModel):
    itemId: str
    quote: str
    question: str | None  # the interviewer's question the quoted answer answers, when known


class Dimension(BaseModel):
    score: int | None
    rationale: str | None
    evidence: list[Evidence]


class ScoreResponse(BaseModel):
    """The score of a finished interview (C2's fields, read only); numbers are null until scored,
    and always null when ``INTERVIEW_SHOW_SCORE`` is false."""

    sessionId: str
    status: ScoreStatus
    finalScore: int | None
    scoreBreakdown: dict[str, int] | None
    dimensions: dict[str, Dimension] | None
    summary: str | None
    provider: str | None
    model: str | None
    rubricVersion: str | None
    transcriptVerified: bool | None
    scoredAt: str | None
    reason: str | None
