"""The session lifecycle after start: read, heartbeat, transcript, end, and the application preview.

The routes authorise before calling a use case (:func:`authorize_session`, through the API's
``SessionClaimsDep``: the session token must name this session); each use case then reads, decides
with :mod:`interview_app.domain.rules`, and writes through the repository. Writes are conditional
on the session still being in progress, so a race with an end never resurrects it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from interview_app.domain import errors, rules, tokens
from interview_app.domain.identity import authorize
from interview_app.domain.model import (
    Application,
    ApplicationStatus,
    EndReason,
    Session,
    SessionRef,
    SessionStatus,
    TranscriptItem,
)
from interview_app.domain.repository import SessionRepository
from interview_app.domain.start_session import check_owner

TRANSCRIPT_ATTEMPTS = 5  # optimistic writes retried when two batches of one session cross


@dataclass(frozen=True)
class SubmittedInterview:
    """What the candidate may read again of their submitted interview (issue 20 §11: the completion
    screen after a reload): when it ran, how long, how many answers. ``duration`` is None for an
    interview run offline: its session was recorded when the page could upload it, so the server's
    clock does not know how long it lasted."""

    session_id: str
    started_at: datetime
    completed_at: datetime | None
    duration: int | None
    answered: int


@dataclass(frozen=True)
class ApplicationPreview:
    application: Application
    status: ApplicationStatus
    active_session: SessionRef | None
    completed_session: SubmittedInterview | None = None


def submitted_interview(session: Session) -> SubmittedInterview:
    return SubmittedInterview(
        session_id=session.session_id,
        started_at=session.started_at,
        completed_at=session.completed_at,
        duration=None if session.offline else session.duration,
        answered=sum(1 for item in session.transcript if item.role == "candidate"),
    )


@dataclass(frozen=True)
class Ended:
    session: Session
    newly: bool  # False for an idempotent repeat


def authorize_session(bearer: str | None, session_id: str, session_secret: str) -> tokens.SessionClaims:
    """The token's claims; 401 for a missing or invalid session token, 403 when it names another session."""
    if not bearer:
        raise errors.Unauthorized("A session token is required")
    try:
        claims = tokens.verify_session_token(session_secret, bearer)
    except tokens.TokenError as exc:
        raise errors.Unauthorized(f"Invalid session token: {exc}") from exc
    if claims["sessionId"] != session_id:
        raise errors.Forbidden("This token belongs to another interview session")
    return claims


async def read_session(store: SessionRepository, session_id: str) -> Session:
    session = await store.get(session_id)
    if session is None:
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    return session


async def _refuse_inactive(store: SessionRepository, session_id: str) -> None:
    """A conditional write matched nothing: say whether the session is missing or over."""
    session = await read_session(store, session_id)
    raise errors.SessionNotActive(f"The session is {session.status}")


async def heartbeat(store: SessionRepository, session_id: str, now: datetime) -> None:
    if not await store.touch(session_id, now):
        await _refuse_inactive(store, session_id)


async def append_transcript(
    store: SessionRepository, session_id: str, items: list[TranscriptItem], now: datetime, *, author: rules.Author
) -> int:
    """Upsert a batch into the transcript, whole or not at all; returns the number of items it now holds.

    ``author`` is who writes: ``"provider"`` only from ``CallJournal.turn`` (our server, from what
    the interviewer said or heard), ``"page"`` for the session-token route. What each may write is
    :func:`rules.merge_transcript`'s to say.
    """
    for _ in range(TRANSCRIPT_ATTEMPTS):
        session = await read_session(store, session_id)
        if session.status != SessionStatus.IN_PROGRESS:
            raise errors.SessionNotActive(f"The session is {session.status}")
        merged = rules.merge_transcript(session.transcript, items, author=author, offline=session.offline)
        if await store.replace_transcript(session_id, session.transcript_version, merged, now):
            return len(merged)
    raise errors.SessionBusy("The transcript is being written by another request; retry")


async def report_dropped(
    store: SessionRepository, session_id: str, drops: list[tuple[str, str]], now: datetime
) -> None:
    """The page gave up on these turns (``(item id, refusal code)``, refused for good): the session
    keeps a ``transcript.dropped`` event for each, so a reviewer knows the record has a gap. Any
    status: a drop can be found while the end is being sent."""
    for item_id, code in drops:
        if not await store.record_event(session_id, "transcript.dropped", now, {"itemId": item_id, "code": code}):
            raise errors.SessionNotFound(f"No session with id {session_id!r}")


async def end_session(store: SessionRepository, session_id: str, reason: EndReason, now: datetime) -> Ended:
    """Complete the session (idempotent) and mark its application ``interview_completed``."""
    session = await read_session(store, session_id)
    newly = False
    if session.status == SessionStatus.IN_PROGRESS:
        duration = rules.duration_seconds(session.started_at, now)
        newly = await store.complete(session_id, now, duration, reason)
        if newly:  # what was just written: no second read
            session = replace(
                session, status=SessionStatus.COMPLETED.value, completed_at=now, duration=duration, end_reason=reason
            )
        else:  # another end won the race: answer what it stored
            session = await read_session(store, session_id)
    if session.status != SessionStatus.COMPLETED:
        raise errors.SessionNotActive(f"The session is {session.status}")
    # Repeated on every end, so an application update lost to a crash is made good by a retry.
    await store.mark_application_completed(session.application_id, session.completed_at or now)
    return Ended(session, newly)


async def preview_application(
    store: SessionRepository,
    *,
    application_id: str,
    bearer: str | None,
    candidate_secret: str,
    require_auth: bool,
    now: datetime,
) -> ApplicationPreview:
    """What the page shows before Start: the job, and whether to offer Start, Resume or nothing."""
    identity = authorize(bearer, candidate_secret, require_auth)
    snapshot = await store.load_snapshot(application_id, now)
    if snapshot is None:
        raise errors.ApplicationNotFound(f"No application with id {application_id!r}")
    check_owner(identity, snapshot.application)
    done = rules.completed_session(snapshot)
    session = await store.get(done.session_id) if done else None  # one more read, for a submitted one only
    return ApplicationPreview(
        snapshot.application,
        rules.application_status(snapshot, now),
        rules.reusable(snapshot, now),
        submitted_interview(session) if session else None,
    )
