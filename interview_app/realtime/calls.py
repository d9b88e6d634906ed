"""The calls one backend process holds, whichever provider answers them.

One live call per session (or per offline grant): a new call with the same grant hangs up the
previous ones, those placed before it (wall-clock time, which every worker of a host shares), so
a replacement order that arrives late from another worker never ends a newer call. A call for
a session that is no longer in progress is refused; when the database cannot say in time, the
call goes ahead (fail open, as offline mode requires). A process holds
at most ``INTERVIEW_MAX_CALLS`` calls, offers being answered included, and a call ends when
its token expires unless a newer token of the same session was presented (a heartbeat).

With several workers or hosts, orders about calls held elsewhere travel on the Redis bus
(:mod:`interview_app.realtime.bus`); an OpenAI call's id is also stored in its session, so any
worker can hang it up at the provider.

Records each call's lifecycle (``call.connected``, ``call.ended``) in the session's bounded
``events`` and lets the local interviewer write its turns into the session transcript, when the
call came with a session token; offline calls have no session to write to.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field

from pymongo.errors import PyMongoError

from interview_app.config import Settings
from interview_app.domain import errors, lifecycle
from interview_app.domain.clock import utcnow
from interview_app.domain.model import SessionStatus, TranscriptItem
from interview_app.domain.tokens import CallGrant
from interview_app.realtime import openai_relay
from interview_app.realtime.bus import CallBus
from interview_app.realtime.local_interviewer import LocalInterviewerCall
from interview_app.storage.sessions import SessionStore

log = logging.getLogger(__name__)
CONTEXT_TIMEOUT_S = 1.0
EVENT_TIMEOUT_S = 3.0
CAPACITY_RETRY_AFTER_S = 30


class CapacityReached(Exception):
    """This process already holds as many calls as it may."""


@dataclass
class CallRecord:
    call_id: str
    grant: CallGrant
    provider: str
    started: float = field(default_factory=time.monotonic)
    placed_at: float = field(default_factory=time.time)  # wall clock: ordered across workers
    local: LocalInterviewerCall | None = None
    remote_id: str | None = None
    expires_at: float = 0.0  # epoch seconds: the newest presented token's ``exp``


@dataclass(frozen=True)
class CallContext:
    """What a call starts from: the role, and the conversation so far (empty for a new interview)."""

    job_title: str | None = None
    history: tuple[TranscriptItem, ...] = ()


class CallRegistry:
    def __init__(self, settings: Settings, store: SessionStore, bus: CallBus | None = None):
        self.settings = settings
        self.store = store
        self.bus = bus
        self.calls: dict[str, CallRecord] = {}
        self._answering = 0
        self._expiries: set[asyncio.Task] = set()

    async def context(self, grant: CallGrant) -> CallContext:
        """The call's context; raises ``SessionNotActive``/``SessionNotFound`` when the database says
        the session cannot take a call, and falls back to a neutral context when it is slow or down."""
        try:
            if grant.session_id is None:
                title = await asyncio.wait_for(self.store.job_title(grant.application_id), CONTEXT_TIMEOUT_S)
                return CallContext(job_title=title)
            found = await asyncio.wait_for(self.store.call_context(grant.session_id), CONTEXT_TIMEOUT_S)
        except (TimeoutError, PyMongoError):
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
            await asyncio.wait_for(
                self.store.record_event(
                    record.grant.session_id,
                    kind,
                    utcnow(),
                    {"callId": record.call_id, "provider": record.provider, **payload},
                ),
                EVENT_TIMEOUT_S,
            )
        except (TimeoutError, PyMongoError) as exc:
            log.warning("could not record %s for call %s: %s", kind, record.call_id, exc)

    async def _write_transcript(self, record: CallRecord, item: TranscriptItem) -> None:
        """The local interviewer's own record of a turn, so a resumed call knows what was asked."""
        if record.grant.session_id is None:
            return
        try:
            await asyncio.wait_for(
                lifecycle.append_transcript(self.store, record.grant.session_id, [item], utcnow()), EVENT_TIMEOUT_S
            )
        except (TimeoutError, PyMongoError, errors.DomainError) as exc:
            log.warning("could not store turn %s of call %s: %s", item.id, record.call_id, exc)

    async def start(self, grant: CallGrant, offer_sdp: str) -> tuple[str, str]:
        """Answer an offer; returns (answer SDP, call id). Raises ``CapacityReached``."""
        context = await self.context(grant)
        call_id, placed_at = f"call_{uuid.uuid4().hex}", time.time()
        await self.hang_up_grant(grant.key, "replaced", placed_before=placed_at)
        if len(self.calls) + self._answering >= self.settings.max_calls:
            raise CapacityReached()
        self._answering += 1
        try:
            answer, record = await self._answer(call_id, grant, offer_sdp, context, placed_at)
        finally:
            self._answering -= 1
        record.expires_at = grant.expires_at
        self._watch_expiry(record)
        if self.bus is not None:
            await self.bus.register(call_id, grant.key, grant.application_id)
        return answer, call_id

    async def _answer(
        self, call_id: str, grant: CallGrant, offer_sdp: str, context: CallContext, placed_at: float
    ) -> tuple[str, CallRecord]:
        if self.settings.openai_api_key:
            answer, remote_id = await openai_relay.create_call(
                self.settings, offer_sdp, context.job_title, context.history
            )
            record = CallRecord(call_id, grant, "openai", remote_id=remote_id, placed_at=placed_at)
            self.calls[call_id] = record
            await self._record(record, "call.connected", {"remoteCallId": remote_id})
            if grant.session_id is not None:
                await self._guarded(self.store.set_remote_call(grant.session_id, remote_id), "remote call id")
            return answer, record
        record = CallRecord(call_id, grant, "local", placed_at=placed_at)
        record.local = LocalInterviewerCall(
            call_id,
            context.job_title,
            self.settings.ice_servers,
            on_connected=lambda call: self._record(record, "call.connected", {}),
            on_ended=lambda call, reason: self._ended(record, reason),
            on_transcript=lambda item: self._write_transcript(record, item),
            history=context.history,
        )
        self.calls[call_id] = record
        try:
            return await record.local.answer(offer_sdp), record
        except Exception:
            await record.local.hang_up("answer_failed")
            raise

    async def _guarded(self, write: Awaitable[object], what: str) -> None:
        try:
            await asyncio.wait_for(write, EVENT_TIMEOUT_S)
        except (TimeoutError, PyMongoError) as exc:
            log.warning("could not store the %s: %s", what, exc)

    async def _ended(self, record: CallRecord, reason: str) -> None:
        self.calls.pop(record.call_id, None)
        if self.bus is not None:
            await self.bus.unregister(record.call_id)
        payload = {"reason": reason, "durationMs": int((time.monotonic() - record.started) * 1000)}
        if record.local is not None:
            payload |= {"audioFrames": record.local.frames_received, "turns": record.local.turns_sent}
        await self._record(record, "call.ended", payload)

    def _watch_expiry(self, record: CallRecord) -> None:
        task = asyncio.ensure_future(self._expire(record))
        self._expiries.add(task)
        task.add_done_callback(self._expiries.discard)

    async def _expire(self, record: CallRecord) -> None:
        """End the call when its right to exist runs out (its token's expiry, maybe extended)."""
        while record.call_id in self.calls:
            remaining = record.expires_at - time.time()
            if remaining <= 0:
                await self.hang_up(record, "token_expired")
                return
            await asyncio.sleep(min(remaining, 30.0))

    async def extend(self, session_id: str, expires_at: float) -> None:
        """A newer token of the session was presented: its calls may live until that one expires."""
        self._extend_local(session_id, expires_at)
        if self.bus is not None:
            await self.bus.publish({"op": "extend", "sessionId": session_id, "expiresAt": expires_at})

    def _extend_local(self, session_id: str, expires_at: float) -> None:
        for record in self.calls.values():
            if record.grant.session_id == session_id:
                record.expires_at = max(record.expires_at, expires_at)

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

    async def hang_up_grant(self, key: str, reason: str, placed_before: float | None = None) -> bool:
        """End every call of one session or offline grant (only those placed before ``placed_before``,
        when given), in every worker; returns whether this worker held one."""
        held = await self._hang_up_local_grant(key, reason, placed_before)
        if self.bus is not None:
            await self.bus.publish({"op": "hangup_grant", "key": key, "reason": reason, "before": placed_before})
        return held

    async def _hang_up_local_grant(self, key: str, reason: str, placed_before: float | None) -> bool:
        records = [
            r
            for r in self.calls.values()
            if r.grant.key == key and (placed_before is None or r.placed_at < placed_before)
        ]
        for record in records:
            await self.hang_up(record, reason)
        return bool(records)

    async def hang_up_elsewhere(self, call_id: str, grant: CallGrant) -> bool:
        """A hang-up for a call another worker holds: True when it exists there with this grant."""
        if self.bus is None:
            return False
        known = await self.bus.lookup(call_id)
        if not known or known.get("key") != grant.key or known.get("applicationId") != grant.application_id:
            return False
        await self.bus.publish({"op": "hangup_call", "callId": call_id, "reason": "hangup"})
        return True

    async def hang_up_session(self, session_id: str, reason: str) -> None:
        """End the session's call wherever it is, and at the provider when no worker here holds it."""
        held = await self.hang_up_grant(CallGrant("", session_id, offline=False).key, reason)
        if not held and self.settings.openai_api_key:
            remote_id = await self.store.remote_call_id(session_id)
            if remote_id:
                await openai_relay.hang_up(self.settings, remote_id)

    async def apply(self, order: dict) -> None:
        """An order from the bus, published by any worker."""
        match order.get("op"):
            case "hangup_grant":
                before = order.get("before")
                before = float(before) if isinstance(before, int | float) and not isinstance(before, bool) else None
                await self._hang_up_local_grant(str(order.get("key")), str(order.get("reason")), before)
            case "hangup_call":
                record = self.calls.get(str(order.get("callId")))
                if record is not None:
                    await self.hang_up(record, str(order.get("reason")))
            case "extend":
                self._extend_local(str(order.get("sessionId")), float(order.get("expiresAt") or 0))

    async def close_all(self) -> None:
        for task in list(self._expiries):
            task.cancel()
        await asyncio.gather(
            *(self.hang_up(r, "server_shutdown") for r in list(self.calls.values())), return_exceptions=True
        )
