"""The calls one backend process holds, whichever provider answers them.

One live call per session (or per offline grant): a new call with the same grant hangs up the
previous one. A call for a session that is no longer in progress is refused; when the database
cannot say in time, the call goes ahead (fail open, as offline mode requires).

Records each call's lifecycle (``call.connected``, ``call.ended``) in the session's bounded
``events`` and lets the local interviewer write its turns into the session transcript, when the
call came with a session token; offline calls have no session to write to.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field

from pymongo.errors import PyMongoError

from interview_app.config import Settings
from interview_app.domain import errors, lifecycle
from interview_app.domain.clock import utcnow
from interview_app.domain.model import SessionStatus, TranscriptItem
from interview_app.domain.tokens import CallGrant
from interview_app.realtime import openai_relay
from interview_app.realtime.local_interviewer import LocalInterviewerCall
from interview_app.storage.sessions import SessionStore

log = logging.getLogger(__name__)
CONTEXT_TIMEOUT_S = 1.0
EVENT_TIMEOUT_S = 3.0


@dataclass
class CallRecord:
    call_id: str
    grant: CallGrant
    provider: str
    started: float = field(default_factory=time.monotonic)
    local: LocalInterviewerCall | None = None
    remote_id: str | None = None


@dataclass(frozen=True)
class CallContext:
    """What a call starts from: the role, and the conversation so far (empty for a new interview)."""

    job_title: str | None = None
    history: tuple[TranscriptItem, ...] = ()


class CallRegistry:
    def __init__(self, settings: Settings, store: SessionStore):
        self.settings = settings
        self.store = store
        self.calls: dict[str, CallRecord] = {}

    async def context(self, grant: CallGrant) -> CallContext:
        """The call's context; raises ``SessionNotActive``/``SessionNotFound`` when the database says
        the session cannot take a call, and falls back to a neutral context when it is slow or down."""
        try:
            if grant.session_id is None:
                title = await asyncio.wait_for(self.store.job_title(grant.application_id), CONTEXT_TIMEOUT_S)
                return CallContext(job_title=title)
            found = await asyncio.wait_for(self.store.call_context(grant.session_id), CONTEXT_TIMEOUT_S)
        except (PyMongoError, asyncio.TimeoutError):
            return CallContext()
        if found is None:
            raise errors.SessionNotFound("The session of this token does not exist")
        session, title = found
        if session.status != SessionStatus.IN_PROGRESS:
            raise errors.SessionNotActive(f"The session is {session.status}")
        return CallContext(job_title=title, history=tuple(session.transcript))

    async def _record(self, record: CallRecord, kind: str, payload: dict) -> None:
        if record.grant.session_id is None:
            return
        try:
            await asyncio.wait_for(self.store.record_event(
                record.grant.session_id, kind, utcnow(),
                {"callId": record.call_id, "provider": record.provider, **payload}), EVENT_TIMEOUT_S)
        except (PyMongoError, asyncio.TimeoutError) as exc:
            log.warning("could not record %s for call %s: %s", kind, record.call_id, exc)

    async def _write_transcript(self, record: CallRecord, item: TranscriptItem) -> None:
        """The local interviewer's own record of a turn, so a resumed call knows what was asked."""
        if record.grant.session_id is None:
            return
        try:
            await asyncio.wait_for(lifecycle.append_transcript(self.store, record.grant.session_id, [item], utcnow()),
                                   EVENT_TIMEOUT_S)
        except (PyMongoError, asyncio.TimeoutError, errors.DomainError) as exc:
            log.warning("could not store turn %s of call %s: %s", item.id, record.call_id, exc)

    async def start(self, grant: CallGrant, offer_sdp: str) -> tuple[str, str]:
        """Answer an offer; returns (answer SDP, call id)."""
        context = await self.context(grant)
        await self.hang_up_grant(grant.key, "replaced")
        call_id = f"call_{uuid.uuid4().hex}"
        if self.settings.openai_api_key:
            answer, remote_id = await openai_relay.create_call(self.settings, offer_sdp, context.job_title,
                                                               context.history)
            record = CallRecord(call_id, grant, "openai", remote_id=remote_id)
            self.calls[call_id] = record
            await self._record(record, "call.connected", {"remoteCallId": remote_id})
            return answer, call_id
        record = CallRecord(call_id, grant, "local")
        record.local = LocalInterviewerCall(call_id, context.job_title, self.settings.ice_servers,
                                            on_connected=lambda call: self._record(record, "call.connected", {}),
                                            on_ended=lambda call, reason: self._ended(record, reason),
                                            on_transcript=lambda item: self._write_transcript(record, item),
                                            history=context.history)
        self.calls[call_id] = record
        try:
            return await record.local.answer(offer_sdp), call_id
        except Exception:
            await record.local.hang_up("answer_failed")
            raise

    async def _ended(self, record: CallRecord, reason: str) -> None:
        self.calls.pop(record.call_id, None)
        payload = {"reason": reason, "durationMs": int((time.monotonic() - record.started) * 1000)}
        if record.local is not None:
            payload |= {"audioFrames": record.local.frames_received, "turns": record.local.turns_sent}
        await self._record(record, "call.ended", payload)

    def find(self, call_id: str, grant: CallGrant) -> CallRecord | None:
        """The call, if it exists and was placed with the same grant (session or offline grant)."""
        record = self.calls.get(call_id)
        if record is None or record.grant.application_id != grant.application_id or record.grant.key != grant.key:
            return None
        return record

    async def hang_up(self, record: CallRecord, reason: str = "hangup") -> None:
        if record.local is not None:
            await record.local.hang_up(reason)
            return
        self.calls.pop(record.call_id, None)
        await openai_relay.hang_up(self.settings, record.remote_id or "")
        await self._ended(record, reason)

    async def hang_up_grant(self, key: str, reason: str) -> None:
        """End every call of one session or offline grant (normally at most one)."""
        for record in [r for r in self.calls.values() if r.grant.key == key]:
            await self.hang_up(record, reason)

    async def hang_up_session(self, session_id: str, reason: str) -> None:
        await self.hang_up_grant(CallGrant("", session_id, offline=False).key, reason)

    async def close_all(self) -> None:
        await asyncio.gather(*(self.hang_up(r, "server_shutdown") for r in list(self.calls.values())),
                             return_exceptions=True)
