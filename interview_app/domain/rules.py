"""Business rules of an interview session, as pure functions of values (no I/O).

The database gives a snapshot (the application plus its relevant sessions, or one session)
and these rules decide what a request means; the use cases then apply the decision through
the repository. Keeping the rules pure makes them unit-testable and the one place they are
written down.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from interview_app.domain import errors, quota
from interview_app.domain.model import (
    APPLICATION_COMPLETED,
    Application,
    ApplicationStatus,
    NewSession,
    SessionRef,
    SessionStatus,
    Snapshot,
    TranscriptItem,
)

REUSE_WINDOW = timedelta(minutes=5)  # of inactivity: a session quiet for this long is stale
RATE_LIMIT_COUNT = 3
RATE_LIMIT_WINDOW = timedelta(minutes=10)
MAX_TRANSCRIPT_ITEMS = 500
EARLIEST_TURN = datetime(1970, 1, 1, tzinfo=UTC)  # what an undated first turn sorts as
SNAPSHOT_STATUSES = (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED)  # always in a snapshot


@dataclass(frozen=True)
class Completed:
    """The interview was already submitted: no new session."""


@dataclass(frozen=True)
class Reuse:
    """An in-progress session was active recently (double click, refresh): hand it out again."""

    session: SessionRef


@dataclass(frozen=True)
class RateLimited:
    retry_after_seconds: int


@dataclass(frozen=True)
class StartNew:
    """Store a new session, first abandoning ``stale`` if there is one."""

    stale: SessionRef | None


Decision = Completed | Reuse | RateLimited | StartNew


def is_completed(snapshot: Snapshot) -> bool:
    return snapshot.application.status == APPLICATION_COMPLETED or any(
        s.status == SessionStatus.COMPLETED for s in snapshot.sessions
    )


def in_progress(snapshot: Snapshot) -> SessionRef | None:
    return next((s for s in snapshot.sessions if s.status == SessionStatus.IN_PROGRESS), None)


def reusable(snapshot: Snapshot, now: datetime) -> SessionRef | None:
    """The in-progress session a start would hand out again: active less than 5 minutes ago."""
    current = in_progress(snapshot)
    return current if current is not None and now - current.active_since < REUSE_WINDOW else None


def decide_start(snapshot: Snapshot, now: datetime) -> Decision:
    """What a start request for this application means right now."""
    if is_completed(snapshot):
        return Completed()
    current = reusable(snapshot, now)
    if current is not None:
        return Reuse(current)
    starts = (s.counted_at for s in snapshot.sessions)
    retry_after = quota.seconds_until_free(starts, now, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW)
    if retry_after is not None:
        return RateLimited(retry_after)
    return StartNew(stale=in_progress(snapshot))


def application_status(snapshot: Snapshot, now: datetime) -> ApplicationStatus:
    """``completed``, ``in_progress`` (a session the candidate can resume) or ``open``."""
    if is_completed(snapshot):
        return "completed"
    return "in_progress" if reusable(snapshot, now) is not None else "open"


def in_snapshot(session: SessionRef, now: datetime) -> bool:
    """Whether the start rules need this session: in progress or completed (they decide reuse and
    completion), or counted in the rate limit window. Storage's query and the test fake both hold
    exactly these."""
    return session.status in SNAPSHOT_STATUSES or session.counted_at >= counted_since(now)


def counted_since(now: datetime) -> datetime:
    """The earliest ``counted_at`` of a session that still counts for the rate limit."""
    return now - RATE_LIMIT_WINDOW


def new_session(
    application: Application, metadata: dict, now: datetime, started_at: datetime | None = None
) -> NewSession:
    """A fresh in-progress session of ``application`` (its id a UUID v4).

    ``started_at`` is earlier than ``now`` only for an offline interview recorded afterwards.
    """
    return NewSession(
        session_id=str(uuid.uuid4()),
        application_id=application.id,
        candidate_id=application.user_id,
        started_at=started_at or now,
        created_at=now,
        metadata=metadata,
        candidate_name=application.candidate_name,
        job_title=application.job_title,
    )


def merge_transcript(stored: list[TranscriptItem], incoming: list[TranscriptItem]) -> list[TranscriptItem]:
    """Upsert ``incoming`` by id: a replay changes nothing, a later text replaces the earlier one
    (keeping its ``at`` and ``durationMs`` when the later item has none). Raises ``TranscriptFull``
    past 500 items.

    The result is in the order the turns were said (``at``), not the order they arrived: two
    writers (the page and the interviewer) and retries after an outage deliver turns late, and a
    question must not land after the closing line. A turn without ``at`` keeps its place after the
    turn that arrived before it.
    """
    merged = {item.id: item for item in stored}
    for item in incoming:
        earlier = merged.get(item.id)
        if earlier is not None:
            item = replace(
                item,
                at=item.at or earlier.at,
                duration_ms=earlier.duration_ms if item.duration_ms is None else item.duration_ms,
            )
        merged[item.id] = item  # dicts keep first-insertion order, even when a value is replaced
    if len(merged) > MAX_TRANSCRIPT_ITEMS:
        raise errors.TranscriptFull(f"A session keeps at most {MAX_TRANSCRIPT_ITEMS} transcript items")
    return _in_order_said(list(merged.values()))


def _in_order_said(items: list[TranscriptItem]) -> list[TranscriptItem]:
    said_at, keys = EARLIEST_TURN, []
    for item in items:  # arrival order: an undated turn takes the time of the one before it
        said_at = item.at or said_at
        keys.append(said_at)
    order = sorted(range(len(items)), key=lambda index: keys[index])  # stable: ties keep arrival order
    return [items[index] for index in order]


def duration_seconds(started_at: datetime, completed_at: datetime) -> int:
    """Whole seconds from start to completion (the story's ``duration``)."""
    return max(0, int((completed_at - started_at).total_seconds()))
