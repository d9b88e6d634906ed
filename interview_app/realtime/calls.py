"""The calls one backend process holds, whichever provider answers them.

Records each call's lifecycle (``call.connected``, ``call.ended``) in the session's bounded
``events`` when the call came with a session token; offline calls have no session to write to.
A call lives in the process that answered its offer: a hang-up that reaches another worker
finds nothing, and the call still ends there when the browser closes the peer connection.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field

from pymongo.errors import PyMongoError

from interview_app.config import Settings
from interview_app.domain.tokens import CallGrant, utcnow
from interview_app.realtime import openai_relay
from interview_app.realtime.local_interviewer import LocalInterviewerCall
from interview_app.storage.sessions import SessionStore

log = logging.getLogger(__name__)
JOB_TITLE_TIMEOUT_S = 1.0
EVENT_TIMEOUT_S = 3.0


@dataclass
class CallRecord:
    call_id: str
    grant: CallGrant
    provider: str
    started: float = field(default_factory=time.monotonic)
    local: LocalInterviewerCall | None = None
    remote_id: str | None = None


class CallRegistry:
    def __init__(self, settings: Settings, store: SessionStore):
        self.settings = settings
        self.store = store
        self.calls: dict[str, CallRecord] = {}

    async def job_title(self, application_id: str) -> str | None:
        """The role for the greeting; None (a neutral greeting) when the database is slow or down."""
        try:
            return await asyncio.wait_for(self.store.job_title(application_id), JOB_TITLE_TIMEOUT_S)
        except (PyMongoError, asyncio.TimeoutError):
            return None

    async def _record(self, record: CallRecord, kind: str, payload: dict) -> None:
        if record.grant.session_id is None:
            return
        try:
            await asyncio.wait_for(self.store.record_event(
                record.grant.session_id, kind, utcnow(),
                {"callId": record.call_id, "provider": record.provider, **payload}), EVENT_TIMEOUT_S)
        except (PyMongoError, asyncio.TimeoutError) as exc:
            log.warning("could not record %s for call %s: %s", kind, record.call_id, exc)

    async def start(self, grant: CallGrant, offer_sdp: str) -> tuple[str, str]:
        """Answer an offer; returns (answer SDP, call id)."""
        job_title = await self.job_title(grant.application_id)
        call_id = f"call_{uuid.uuid4().hex}"
        if self.settings.openai_api_key:
            answer, remote_id = await openai_relay.create_call(self.settings, offer_sdp, job_title)
            record = CallRecord(call_id, grant, "openai", remote_id=remote_id)
            self.calls[call_id] = record
            await self._record(record, "call.connected", {"remoteCallId": remote_id})
            return answer, call_id
        record = CallRecord(call_id, grant, "local")
        record.local = LocalInterviewerCall(call_id, job_title, self.settings.ice_servers,
                                            on_connected=lambda call: self._record(record, "call.connected", {}),
                                            on_ended=lambda call, reason: self._ended(record, reason))
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
        """The call, if it exists and belongs to the same application (and session)."""
        record = self.calls.get(call_id)
        if record is None or record.grant.application_id != grant.application_id:
            return None
        if record.grant.session_id != grant.session_id:
            return None
        return record

    async def hang_up(self, record: CallRecord, reason: str = "hangup") -> None:
        if record.local is not None:
            await record.local.hang_up(reason)
            return
        await openai_relay.hang_up(self.settings, record.remote_id or "")
        await self._ended(record, reason)

    async def close_all(self) -> None:
        await asyncio.gather(*(self.hang_up(r, "server_shutdown") for r in list(self.calls.values())),
                             return_exceptions=True)
