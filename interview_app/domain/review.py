"""The hiring team's review (issue 18): who may look, what a filter or a decision may say.

Pure rules and the use cases the review API calls; storage (``storage/review.py``) only applies
them. A human decides: nothing here, or anywhere, sets a decision from a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol, get_args

from interview_app.domain import errors, tokens
from interview_app.domain.scoring.model import ScoringStatus

Decision = Literal["advance", "reject", "hold"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)
DecisionFilter = Literal["advance", "reject", "hold", "none"]  # "none": awaiting a decision
ScoringFilter = Literal[ScoringStatus, "none"]  # "none": not queued yet
StatusFilter = Literal["in_progress", "completed", "abandoned", "error"]
MAX_NOTE_CHARS = 2000
MAX_QUERY_CHARS = 100
MAX_PAGE = 100
DEFAULT_PAGE = 50
VIEW_AUDIT_EVERY = timedelta(minutes=10)  # one review.viewed per reviewer and session per 10 minutes
RUNNING_NOW = timedelta(minutes=5)  # an in-progress session seen this recently is "in progress now"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection triggers


def authorize_reviewer(bearer: str | None, reviewer_secret: str | None, other_secrets: tuple[str, ...]) -> str:
    """The reviewer behind the request: 401 without a valid token, 403 for our other token kinds
    (candidate, session, offline), 503 when the server has no reviewer secret."""
    if reviewer_secret is None:
        raise errors.ReviewDisabled()
    if not bearer:
        raise errors.Unauthorized("A reviewer token is required")
    try:
        return tokens.verify_reviewer_token(reviewer_secret, bearer)
    except tokens.TokenError as exc:
        kind = tokens.kind_signed_with((reviewer_secret, *other_secrets), bearer)
        if kind is not None and kind != tokens.REVIEWER_TYPE:
            raise errors.NotAReviewer(f"Not a reviewer token: {exc}") from exc
        raise errors.Unauthorized(f"Invalid reviewer token: {exc}") from exc


@dataclass(frozen=True)
class ListFilter:
    """What the list and the CSV show: every field optional, all of them combined (AND)."""

    status: StatusFilter | None = None
    scoring: ScoringFilter | None = None
    decision: DecisionFilter | None = None
    q: str | None = None  # candidate name or job title, case-insensitive substring
    started_from: datetime | None = None
    started_to: datetime | None = None

    def __post_init__(self) -> None:
        if self.q is not None and len(self.q) > MAX_QUERY_CHARS:
            raise errors.InvalidReviewRequest(f"q is at most {MAX_QUERY_CHARS} characters")
        # ``from`` after ``to`` is an empty range, not an error: the list is simply empty.


def as_utc(moment: datetime | None) -> datetime | None:
    """A date without a time zone is read as UTC (what the API documents)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


CURSOR_PATTERN = r"^[0-9]{1,13}~[A-Za-z0-9._:-]{1,128}$"  # every string it matches is a valid position


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last row's ``(startedAt, sessionId)``, the list's sort key, written
    ``<startedAt in epoch milliseconds>~<sessionId>`` (dates are stored to the millisecond)."""

    started_at: datetime
    session_id: str

    def encode(self) -> str:
        return f"{round(self.started_at.timestamp() * 1000)}~{self.session_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        millis, sep, session_id = text.partition("~")
        if not sep or not millis.isdigit() or len(millis) > 13 or not session_id:
            raise errors.InvalidCursor()
        return cls(datetime.fromtimestamp(int(millis) / 1000, UTC), session_id)


def checked_decision(decision: str, note: str | None) -> tuple[Decision, str]:
    """A decision a reviewer may record: one of three, a note of at most 2000 characters, and a
    ``reject`` only with a note (the candidate may ask why)."""
    if decision not in DECISIONS:
        raise errors.InvalidReviewRequest(f"decision must be one of {', '.join(DECISIONS)}")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise errors.InvalidReviewRequest(f"note is at most {MAX_NOTE_CHARS} characters")
    if decision == "reject" and not note:
        raise errors.InvalidReviewRequest("a reject needs a note saying why")
    return decision, note  # pyright: ignore[reportReturnType]  (checked against DECISIONS above)


def should_record_view(events: list[dict], by: str, now: datetime) -> bool:
    """Whether opening the detail adds a ``review.viewed`` event: not when the same reviewer's last
    one is under 10 minutes old, so reloading a page cannot push the interview's own events out of
    the bounded list."""
    for event in reversed(events):
        if event.get("type") == "review.viewed" and (event.get("payload") or {}).get("by") == by:
            at = as_utc(event.get("timestamp"))
            return at is None or now - at >= VIEW_AUDIT_EVERY
    return True


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @``, a tab or a carriage
    return gets a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class ReviewRepository(Protocol):
    async def decide(self, session_id: str, decision: dict, now: datetime) -> str | None:
        """Store the decision unless the session is in progress; its status, None when unknown."""
        ...


async def decide(store: ReviewRepository, session_id: str, by: str, decision: str, note: str | None, now: datetime):
    """Record a reviewer's decision (every change kept as a ``review.decided`` event)."""
    chosen, note = checked_decision(decision, note)
    review = {"decision": chosen, "note": note, "by": by, "at": now}
    status = await store.decide(session_id, review, now)
    if status is None:
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    if status == "in_progress":
        raise errors.SessionNotCompleted("A decision waits until the interview has ended")
    return review


ERASED_SCORING_FIELDS = ("dimensions", "summary", "injectionAttempt")  # rationales and quotes: the candidate's words


def erased_scoring(scoring: dict | None) -> dict | None:
    """``scoring`` without anything quoting or describing the candidate: numbers, status and
    versions stay (what was decided on), rationales and evidence go, in the history too."""
    if scoring is None:
        return None

    def strip(result: dict) -> dict:
        return {key: value for key, value in result.items() if key not in ERASED_SCORING_FIELDS}

    kept = strip(scoring)
    if "history" in kept:
        kept["history"] = [strip(entry) for entry in kept["history"] or [] if isinstance(entry, dict)]
    return kept
