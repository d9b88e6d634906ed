"""The calls one backend process holds, whoever answers them: capacity, the newest offer, the watch.

One live call per session (or per offline grant): a new call with the same grant hangs up the
previous ones, those placed before it (wall-clock time, which every worker of a host shares), so
a replacement order that arrives late from another worker never ends a newer call. A process holds
at most ``INTERVIEW_MAX_CALLS`` calls, offers being answered included, and a call ends when its
token expires unless a newer token of the same session was presented (a heartbeat), after
``INTERVIEW_CALL_IDLE_SECONDS`` without a heartbeat when the server sees none of its media, and
after 60 minutes whatever its heartbeats say (a longer interview plan gives its call its duration and a
grace: ``CallContext.max_call_s``).

Beside it, each in its own module: whether a call may start and what it starts from
(:mod:`~interview_app.realtime.call_context`), the interviewer that answers it
(:mod:`~interview_app.realtime.interviewer`), what it writes into its session
(:mod:`~interview_app.realtime.call_journal`), and the orders that reach calls held by other
workers (:mod:`~interview_app.realtime.call_orders`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

from interview_app.config import Settings
from interview_app.domain import errors
from interview_app.domain.model import TranscriptItem
from interview_app.domain.tokens import CallGrant
from interview_app.realtime import call_context
from interview_app.realtime.call_journal import CallJournal
from interview_app.realtime.call_orders import CallOrders
from interview_app.realtime.call_store import CallStore
from interview_app.realtime.interviewer import CallListener, Interviewer, Provider

CAPACITY_RETRY_AFTER_S = 30
MAX_CALL_S = call_context.CALL_LIMIT_S  # no call lasts longer, whatever tokens or heartbeats say (but see max_s)
WATCH_INTERVAL_S = 1.0
NEWEST_KEEP_S = 5 * 60  # longer than any offer takes to answer


class CapacityReached(Exception):
    """This process already holds as many calls as it may."""


class CallReplaced(Exception):
    """A newer offer with the same grant arrived before this one's answer was ready: the newest wins."""


@dataclass
class CallRecord:
    call_id: str
    grant: CallGrant
    interviewer: Interviewer
    started: float = field(default_factory=time.monotonic)
    placed_at: float = field(default_factory=time.time)  # wall clock: ordered across workers
    expires_at: float = 0.0  # epoch seconds: the newest presented token's ``exp``
    heard_at: float = field(default_factory=time.monotonic)  # the placement, then the latest heartbeat
    max_s: float = MAX_CALL_S  # its plan's limit (``CallContext.max_call_s``)

    @property
    def provider(self) -> str:
        return self.interviewer.provider

    @property
    def needs_heartbeats(self) -> bool:
        """Only the page's heartbeats say the browser of a call whose media the server cannot see
        lives. An offline call has no session to heartbeat; its grant's expiry bounds it."""
        return self.interviewer.needs_heartbeats and self.grant.session_id is not None


class CallRegistry:
    def __init__(self, settings: Settings, store: CallStore, provider: Provider, orders: CallOrders | None = None):
        self.settings = settings
        self.store = store
        self.provider = provider
        self.orders = orders or CallOrders()
        self.journal = CallJournal(store)
        self.calls: dict[str, CallRecord] = {}  # offers being answered included
        self._watches: set[asyncio.Task] = set()
        self._newest: dict[str, float] = {}  # grant key -> placement time of its newest offer

    async def start(self, grant: CallGrant, offer_sdp: str) -> tuple[str, str]:
        """Answer an offer; returns (answer SDP, call id). Raises ``CapacityReached``, and
        ``CallReplaced`` when a newer offer of the same grant came before this answer was ready."""
        call_id, placed_at = f"call_{uuid.uuid4().hex}", time.time()
        context = await call_context.load(self.store, grant)
        self._note_newest(grant.key, placed_at)
        await self.hang_up_grant(grant.key, "replaced", placed_before=placed_at)
        self._refuse_if_replaced(grant.key, placed_at)
        if len(self.calls) >= self.settings.max_calls:
            raise CapacityReached()
        interviewer = self.provider.interviewer(call_id, grant.session_id, context, self._listener(call_id, grant))
        record = CallRecord(call_id, grant, interviewer, placed_at=placed_at, max_s=context.max_call_s)
        self.calls[call_id] = record  # holds its slot while it is answered
        try:
            answer = await interviewer.answer(offer_sdp)
        except Exception:
            ended_under_it = call_id not in self.calls
            await interviewer.hang_up("answer_failed")
            if ended_under_it:
                self._refuse_ended(grant, placed_at)
            raise
        if self._replaced(grant.key, placed_at):
            await self.hang_up(record, "replaced")
            raise CallReplaced()
        if call_id not in self.calls:
            self._refuse_ended(grant, placed_at)
            return answer, call_id  # the server is closing: the browser's peer finds the call gone
        await interviewer.started()
        record.expires_at = grant.expires_at
        self._watch(record)
        await self.orders.register(call_id, grant.key, grant.application_id)
        return answer, call_id

    def _listener(self, call_id: str, grant: CallGrant) -> CallListener:
        """Writes what the call's interviewer reports into the call's session."""
        session_id, provider = grant.session_id, self.provider.name

        async def connected(payload: dict) -> None:
            await self.journal.event(session_id, call_id, provider, "call.connected", payload)

        async def turn(item: TranscriptItem) -> None:
            await self.journal.turn(session_id, call_id, item)

        return CallListener(
            connected=connected, ended=lambda reason, figures: self._ended(call_id, reason, figures), turn=turn
        )

    async def _ended(self, call_id: str, reason: str, figures: dict) -> None:
        record = self.calls.pop(call_id, None)
        if record is None:
            return
        await self.orders.unregister(call_id)
        payload = {"reason": reason, "durationMs": int((time.monotonic() - record.started) * 1000), **figures}
        await self.journal.event(record.grant.session_id, call_id, record.provider, "call.ended", payload)

    def _note_newest(self, key: str, placed_at: float) -> None:
        """Remember the newest offer of each grant for as long as an older one may still be answered."""
        horizon = time.time() - NEWEST_KEEP_S
        for stale in [k for k, at in self._newest.items() if at < horizon]:
            del self._newest[stale]
        self._newest[key] = max(self._newest.get(key, 0.0), placed_at)

    def _replaced(self, key: str, placed_at: float) -> bool:
        return self._newest.get(key, 0.0) > placed_at

    def _refuse_if_replaced(self, key: str, placed_at: float) -> None:
        if self._replaced(key, placed_at):
            raise CallReplaced()

    def _refuse_ended(self, grant: CallGrant, placed_at: float) -> None:
        """The call was hung up while its offer was answered: by a newer offer of its grant, or by
        its session's end (then the session is no longer in progress, as a later offer would hear)."""
        self._refuse_if_replaced(grant.key, placed_at)
        if grant.session_id is not None:
            raise errors.SessionNotActive("The session ended while its call was being placed")

    def _watch(self, record: CallRecord) -> None:
        task = asyncio.ensure_future(self._watch_until_over(record))
        self._watches.add(task)
        task.add_done_callback(self._watches.discard)

    def end_reason(self, record: CallRecord, now: float, now_monotonic: float) -> str | None:
        """Why the call must end now, if it must: its 60 minutes (or its plan's limit) are up
        (heartbeats never extend that), its newest token expired, or no heartbeat came for
        ``INTERVIEW_CALL_IDLE_SECONDS`` while the server cannot see the call's media itself (a provider
        call whose browser died)."""
        if now_monotonic - record.started >= record.max_s:
            return "max_duration"
        if record.expires_at - now <= 0:
            return "token_expired"
        if record.needs_heartbeats and now_monotonic - record.heard_at >= self.settings.call_idle.total_seconds():
            return "idle"
        return None

    async def _watch_until_over(self, record: CallRecord) -> None:
        """End the call when its right to exist runs out."""
        while record.call_id in self.calls:
            reason = self.end_reason(record, time.time(), time.monotonic())
            if reason is not None:
                await self.hang_up(record, reason)
                return
            await asyncio.sleep(WATCH_INTERVAL_S)

    async def extend(self, session_id: str, expires_at: float) -> None:
        """A heartbeat: the session's browser lives, and its calls may live until this token expires
        (never beyond their limit: 60 minutes, or their plan's)."""
        self.extend_local(session_id, expires_at)
        await self.orders.extend(session_id, expires_at)

    def extend_local(self, session_id: str, expires_at: float) -> None:
        for record in self.calls.values():
            if record.grant.session_id == session_id:
                record.expires_at = max(record.expires_at, expires_at)
                record.heard_at = time.monotonic()

    def find(self, call_id: str, grant: CallGrant) -> CallRecord | None:
        """The call, if it exists and was placed with the same grant (session or offline grant)."""
        record = self.calls.get(call_id)
        if record is None or record.grant.application_id != grant.application_id or record.grant.key != grant.key:
            return None
        return record

    async def hang_up(self, record: CallRecord, reason: str = "hangup") -> None:
        await record.interviewer.hang_up(reason)

    async def hang_up_local_call(self, call_id: str, reason: str) -> None:
        record = self.calls.get(call_id)
        if record is not None:
            await self.hang_up(record, reason)

    async def hang_up_grant(self, key: str, reason: str, placed_before: float | None = None) -> bool:
        """End every call of one session or offline grant (only those placed before ``placed_before``,
        when given), in every worker; returns whether this worker held one."""
        held = await self.hang_up_local_grant(key, reason, placed_before)
        await self.orders.hang_up_grant(key, reason, placed_before)
        return held

    async def hang_up_local_grant(self, key: str, reason: str, placed_before: float | None) -> bool:
        if placed_before is not None:  # an offer of this grant still being answered here has lost too
            self._note_newest(key, placed_before)
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
        known = await self.orders.held_elsewhere(call_id)
        if not known or known.get("key") != grant.key or known.get("applicationId") != grant.application_id:
            return False
        await self.orders.hang_up_call(call_id, "hangup")
        return True

    async def hang_up_session(self, session_id: str, reason: str) -> None:
        """End the session's call wherever it is, and where it runs when no worker here holds it."""
        held = await self.hang_up_grant(CallGrant("", session_id, offline=False).key, reason)
        if not held:
            await self.provider.hang_up_unheld(session_id)

    async def close_all(self) -> None:
        for task in list(self._watches):
            task.cancel()
        await asyncio.gather(
            *(self.hang_up(r, "server_shutdown") for r in list(self.calls.values())), return_exceptions=True
        )
