"""What a call starts from, and whether it may start at all.

A call for a session that is no longer in progress is refused, and an offline call for an
application the database says is unknown or completed too. When the database cannot say within
:data:`CONTEXT_TIMEOUT_S`, the call goes ahead with a neutral context (fail open, as offline mode
requires).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pymongo.errors import PyMongoError

from interview_app.domain import errors, rules
from interview_app.domain.clock import utcnow
from interview_app.domain.model import SessionStatus, TranscriptItem
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.domain.tokens import CallGrant
from interview_app.realtime.bounded import bounded
from interview_app.realtime.call_store import CallStore

CONTEXT_TIMEOUT_S = 1.0
HISTORY_TURNS = 20  # a resumed interviewer needs the recent conversation, not all of it
HISTORY_CHARS = 8_000
CALL_LIMIT_S = 60 * 60  # no call lasts longer, unless its plan is longer
PLAN_GRACE_S = 15 * 60  # a plan's call may run this long past its time: the last answer is heard out


class ApplicationNotOpen(Exception):
    """An offline call for an application the database says is unknown or already completed."""


@dataclass(frozen=True)
class CallContext:
    """What a call starts from: the role, the application's interview plan, when the interview
    began, and the conversation so far (empty for a new interview).

    ``history`` holds only turns our server vouches for (``provider`` items, see
    :func:`resume_history`): what the page posted never reaches an interviewer.
    """

    job_title: str | None = None
    history: tuple[TranscriptItem, ...] = ()
    plan: InterviewPlan = DEFAULT_PLAN
    started_at: datetime | None = None  # the session's start: a plan's time counts from it

    @property
    def resumed(self) -> bool:
        return bool(self.history)

    @property
    def time_up_at(self) -> datetime | None:
        """When the plan's ``durationMinutes`` are over (None: no duration, or no known start)."""
        if self.plan.duration_minutes is None or self.started_at is None:
            return None
        return self.started_at + timedelta(minutes=self.plan.duration_minutes)

    @property
    def max_call_s(self) -> float:
        """How long a call may last: 60 minutes, or the plan's duration and a grace when that is
        longer (a 90-minute plan runs; the local interviewer closes by itself when its time is up).
        OpenAI's own sessions end after 60 minutes: a longer interview with it resumes once."""
        planned = (self.plan.duration_minutes or 0) * 60 + PLAN_GRACE_S
        return float(max(CALL_LIMIT_S, planned))


def resume_history(transcript: Iterable[TranscriptItem]) -> tuple[TranscriptItem, ...]:
    """The conversation a resumed call carries: ``provider`` items only, the last
    :data:`HISTORY_TURNS` of them and at most :data:`HISTORY_CHARS` characters of text (the oldest
    kept turn loses its beginning when it would pass the limit; the newest turns matter most)."""
    kept: list[TranscriptItem] = []
    room = HISTORY_CHARS
    for item in reversed([item for item in transcript if item.source == "provider"][-HISTORY_TURNS:]):
        if room <= 0:
            break
        if len(item.text) > room:
            item = replace(item, text=item.text[-room:])
        kept.append(item)
        room -= len(item.text)
    return tuple(reversed(kept))


async def load(store: CallStore, grant: CallGrant) -> CallContext:
    """The call's context; raises ``SessionNotActive``/``SessionNotFound`` when the database says
    the session cannot take a call, ``ApplicationNotOpen`` for an offline call that may not be held,
    and falls back to a neutral context when the database is slow or down."""
    try:
        if grant.session_id is None:
            return await bounded(_offline(store, grant.application_id), CONTEXT_TIMEOUT_S)
        found = await bounded(store.call_context(grant.session_id), CONTEXT_TIMEOUT_S)
    except (TimeoutError, PyMongoError):
        return CallContext()
    if found is None:
        raise errors.SessionNotFound("The session of this token does not exist")
    session, title, plan = found
    if session.status != SessionStatus.IN_PROGRESS:
        raise errors.SessionNotActive(f"The session is {session.status}")
    return CallContext(
        job_title=title, history=resume_history(session.transcript), plan=plan, started_at=session.started_at
    )


async def _offline(store: CallStore, application_id: str) -> CallContext:
    """An offline call is for an application that exists and is not completed (same answer for both,
    so application ids cannot be probed with an offline grant)."""
    now = utcnow()
    snapshot = await store.load_snapshot(application_id, now)
    if snapshot is None or rules.is_completed(snapshot):
        raise ApplicationNotOpen(application_id)
    application = snapshot.application
    return CallContext(job_title=application.job_title, plan=application.plan, started_at=now)
