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
from itertools import groupby
from typing import Literal

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
    TranscriptSource,
)

REUSE_WINDOW = timedelta(minutes=5)  # of inactivity: a session quiet for this long is stale
RATE_LIMIT_COUNT = 3
RATE_LIMIT_WINDOW = timedelta(minutes=10)
MAX_TRANSCRIPT_ITEMS = 500
EARLIEST_TURN = datetime(1970, 1, 1, tzinfo=UTC)  # what an undated first turn sorts as
SNAPSHOT_STATUSES = (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED)  # always in a snapshot

Author = Literal["provider", "page"]  # who writes a transcript batch: our server, or the page's session token


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


def completed_session(snapshot: Snapshot) -> SessionRef | None:
    """The application's submitted interview (the latest started, should there be several)."""
    done = [s for s in snapshot.sessions if s.status == SessionStatus.COMPLETED]
    return max(done, key=lambda s: s.started_at, default=None)


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
    application: Application,
    metadata: dict,
    now: datetime,
    started_at: datetime | None = None,
    consent: dict | None = None,
) -> NewSession:
    """A fresh in-progress session of ``application`` (its id a UUID v4).

    ``started_at`` is earlier than ``now`` only for an offline interview recorded afterwards;
    ``consent`` is the candidate's answer to the notice (``notice.consent_record``), if any.
    """
    return NewSession(
        session_id=str(uuid.uuid4()),
        application_id=application.id,
        candidate_id=application.user_id,
        started_at=started_at or now,
        created_at=now,
        metadata=metadata,
        consent=consent,
        candidate_name=application.candidate_name,
        job_title=application.job_title,
    )


def merge_transcript(
    stored: list[TranscriptItem], incoming: list[TranscriptItem], *, author: Author, offline: bool = False
) -> list[TranscriptItem]:
    """Upsert ``incoming`` by id, as ``author`` may (issue 16); raises rather than write part of a batch.

    The provider (our server, from what the interviewer said or heard) writes ``provider`` items,
    and its text, time and duration win over the page's; the page's differing text stays beside
    them as ``client_text``. The page writes ``client`` items (``offline`` ones for an offline
    reconciliation), never an interviewer turn online (``RoleNotAllowed``), never another role for
    an id, nor other text for a provider item (``ItemLocked``): see :func:`_page_write`. A later
    text replaces an earlier one, keeping its ``at`` and ``duration_ms`` when the later item has
    none. Raises ``TranscriptFull`` past 500 items.

    The result is in the order the turns were said (``at``), not the order they arrived: two
    writers (the page and the interviewer) and retries after an outage deliver turns late, and a
    question must not land after the closing line. A turn without ``at`` keeps its place after the
    turn that arrived before it.
    """
    if author == "page" and not offline:
        for item in incoming:
            if item.role == "interviewer":
                raise errors.RoleNotAllowed(f"Item {item.id!r}: only an offline interview posts interviewer turns")
    page_source: TranscriptSource = "offline" if offline else "client"
    merged = {item.id: item for item in stored}
    for item in incoming:
        earlier = merged.get(item.id)
        if author == "provider":
            item = _provider_write(earlier, replace(item, source="provider", client_text=None))
        else:
            item = _page_write(earlier, replace(item, source=page_source, client_text=None))
        merged[item.id] = item  # dicts keep first-insertion order, even when a value is replaced
    if len(merged) > MAX_TRANSCRIPT_ITEMS:
        raise errors.TranscriptFull(f"A session keeps at most {MAX_TRANSCRIPT_ITEMS} transcript items")
    return _in_order_said(list(merged.values()))


def _later(earlier: TranscriptItem, item: TranscriptItem) -> TranscriptItem:
    """``item`` replacing ``earlier``: what it leaves out (time, duration, input) is kept."""
    return replace(
        item,
        at=item.at or earlier.at,
        duration_ms=earlier.duration_ms if item.duration_ms is None else item.duration_ms,
        input=item.input or earlier.input,
    )


def _provider_write(earlier: TranscriptItem | None, item: TranscriptItem) -> TranscriptItem:
    """The provider's turn wins; what the page had written for that id stays only as differing text."""
    if earlier is None:
        return item
    if earlier.source == "provider":  # its own update: an empty text (no transcription yet) erases none
        item = replace(item, text=item.text or earlier.text)
    page_text = earlier.client_text if earlier.source == "provider" else earlier.text
    return replace(_later(earlier, item), client_text=page_text if page_text and page_text != item.text else None)


def _page_write(earlier: TranscriptItem | None, item: TranscriptItem) -> TranscriptItem:
    """A page item, unless it would change what the server vouches for (T3 of issue 16).

    Reusing a provider item's id with its text, its stored ``client_text`` or no text is a
    replay (the page posts what it heard on the data channel, by the provider's id): harmless,
    nothing changes, not even the time. Any other text, or another role, is ``ItemLocked``: a
    candidate cannot rewrite what the provider heard, nor turn a question into an answer.
    """
    if earlier is None:
        return item
    if item.role != earlier.role:
        raise errors.ItemLocked(f"Item {item.id!r} is already a turn of the {earlier.role}")
    if earlier.source != "provider":
        return _later(earlier, item)
    if item.text in ("", earlier.text, earlier.client_text):
        return earlier
    raise errors.ItemLocked(f"Item {item.id!r} was recorded by the interviewer")


def transcript_verified(items: list[TranscriptItem]) -> bool:
    """Whether the server vouches for every answer: at least one candidate turn, all ``provider``.

    Scoring and the review console show it beside the transcript (issue 16 §1).
    """
    answers = [item for item in items if item.role == "candidate"]
    return bool(answers) and all(item.source == "provider" for item in answers)


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


def offline_spans(items: list[TranscriptItem]) -> list[Span]:
    """Where the record is the page's upload after an offline interview: each run of consecutive
    ``offline`` items (in the order said), from its first to its last dated item. An offline
    reconciliation is one run; a run with no dated item has no span to show."""
    spans = []
    for offline, run in groupby(items, key=lambda item: item.source == "offline"):
        dates = [item.at for item in run if item.at is not None]
        if offline and dates:
            spans.append(Span(min(dates), max(dates)))
    return spans


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
