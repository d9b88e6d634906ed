"""The page's sync with the API: transcript batches, heartbeats, the end and offline reconciliation.

``InterviewState`` plans a :class:`SyncJob` from a snapshot of itself under the state lock, the job
does its HTTP work without the lock, and its :class:`SyncResult` is applied under the lock again.
Nothing here touches Reflex state.

What is worth retrying (contracts.md item 2): network errors, timeouts, 5xx, ``429`` and
``409 SESSION_BUSY``. Such a failure stops the round: what was not stored stays unsent, and the
next round sends it again after :class:`Backoff`'s delay (at least the API's ``Retry-After``),
for as long as the tab is open. Only a permanent refusal drops anything: a refused batch is split
to isolate the item(s) the API refuses and the rest is stored. A dropped item is never silent: it
is reported here (``interview.transcript.dropped``, a Sentry event when Sentry is on) and the page
says how many turns could not be saved.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx
import reflex as rx

from interview_app import observability
from interview_app.api.schemas import MAX_TRANSCRIPT_BATCH
from interview_app.config import get_settings, local_backend_url
from interview_app.domain.device import client_address
from interview_app.ui import api_client
from interview_app.ui.feed import Turn

log = logging.getLogger(__name__)

TRANSCRIPT_DROPPED = "interview.transcript.dropped"
RETRYABLE_CONFLICTS = frozenset({"SESSION_BUSY"})  # 409s the API documents as "retry"
GRANT_USED = "OFFLINE_GRANT_USED"  # this offline interview is stored already: reuse its session
SPLIT_STATUSES = frozenset({400, 413, 422})  # a batch refused for its content: one item may be the cause
# 409s refusing one item of a batch, which then stores nothing of it: split to store the rest. ITEM_LOCKED
# (contract T3) is the provider's item that a page may not rewrite: a permanent refusal, reported.
SPLIT_CONFLICTS = frozenset({"ITEM_LOCKED"})
RENEW_STATUSES = frozenset({401, 404})  # token refused or session gone: start-session, then send again
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
MAX_RETRY_AFTER_S = 300.0  # a Retry-After is honoured, up to 5 minutes


def api_base_url() -> str:
    """Where browsers reach the API in dev (the backend's own port), or ``INTERVIEW_API_URL``."""
    settings = get_settings()
    return settings.api_url or rx.config.get_config().api_url.rstrip("/")


def backend_api_url() -> str:
    """Where this backend calls the API: ``INTERVIEW_API_URL``, else itself directly, never through
    the public URL's proxy (which would add a hop and hide the candidate's address)."""
    reflex_config = rx.config.get_config()
    return get_settings().api_url or local_backend_url(reflex_config.backend_host, reflex_config.backend_port)


def candidate_address(router_headers: Mapping[str, str], fallback: str | None) -> str | None:
    """The browser's address: ``X-Forwarded-For`` believed only from ``INTERVIEW_TRUSTED_PROXIES``."""
    peer = router_headers.get("asgi-scope-client") or fallback
    return client_address(peer, router_headers.get("x-forwarded-for"), get_settings().trusted_proxies)


def is_retryable(outcome: object) -> bool:
    """An outcome worth trying again later (contracts.md item 2); anything else is final."""
    if isinstance(outcome, api_client.Unavailable):
        return True
    return isinstance(outcome, api_client.Refused) and (
        outcome.status == 429 or (outcome.status == 409 and outcome.code in RETRYABLE_CONFLICTS)
    )


def _refuses_content(outcome: object) -> bool:
    """A refusal that may be one item's doing: the batch is split to find it."""
    return isinstance(outcome, api_client.Refused) and (
        outcome.status in SPLIT_STATUSES or (outcome.status == 409 and outcome.code in SPLIT_CONFLICTS)
    )


def _retry_after(outcome: object) -> float | None:
    seconds = getattr(outcome, "retry_after_seconds", None)
    return float(seconds) if isinstance(seconds, int) else None


def _code(outcome: object) -> str:
    if isinstance(outcome, api_client.Refused):
        return outcome.code or f"HTTP_{outcome.status}"
    return "INVALID_REQUEST"  # api_client.Invalid: the request could not even be sent


@dataclass
class Backoff:
    """Capped exponential back-off with jitter: 1 s, 2 s, 4 s... up to 30 s, each between half and
    all of that (so many tabs coming back after one outage do not all retry at once), and never
    sooner than the API's ``Retry-After``."""

    first_s: float = FIRST_DELAY_S
    cap_s: float = MAX_DELAY_S
    failures: int = 0
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap_s, self.first_s * 2**self.failures)
        self.failures += 1
        delay = ceiling / 2 + self.jitter() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER_S))
        return delay

    def reset(self) -> None:
        self.failures = 0


@dataclass(frozen=True)
class Dropped:
    """A turn the API refused for good (``code`` is its answer): reported, never silent."""

    item_id: str
    role: str
    code: str


@dataclass(frozen=True)
class SyncResult:
    sent: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    session_id: str = ""  # with ``token``: start-session's answer (a new session, or a fresh token)
    token: str = ""
    expires_at: str = ""
    ended: dict | None = None  # the stored session once ended (``{}``: the end was refused for good)
    retry: bool = False  # something worth retrying failed: the next round waits a back-off
    retry_after: float | None = None  # the API's ``Retry-After``, when it gave one
    outage: bool = False  # the API could not be reached at all (network error, timeout, 5xx)
    renew: bool = False  # the token was refused or the session is gone: start-session next round


async def start_or_reuse(
    base_url: str,
    application_id: str,
    *,
    offline_grant: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **start,
) -> api_client.Started | api_client.Failure:
    """Start-session. An offline interview's reconciliation carries its grant (contracts.md item 1);
    ``409 OFFLINE_GRANT_USED`` means that interview is stored already (an earlier upload whose answer
    was lost, or another tab's), so start-session again without the grant: a plain reuse of it."""
    started = await api_client.start_session(
        base_url, application_id, offline_grant=offline_grant, transport=transport, **start
    )
    replayed = isinstance(started, api_client.Refused) and (started.status, started.code) == (409, GRANT_USED)
    if offline_grant and replayed:
        metadata = {k: v for k, v in start.get("metadata", {}).items() if k not in ("offline", "startedAt")}
        started = await api_client.start_session(
            base_url, application_id, transport=transport, **{**start, "metadata": metadata}
        )
    return started


@dataclass(frozen=True)
class SyncJob:
    """One round of the sync's HTTP work, planned from a snapshot of the state (no state access here)."""

    base_url: str
    application_id: str
    session_id: str
    token: str
    items: list[Turn]
    heartbeat: bool
    end_reason: str
    start: dict | None  # start-session first: to create an offline interview's session, or for a fresh token
    offline_grant: str = ""  # with ``start``: the offline interview's grant, for its reconciliation

    async def run(self, transport: httpx.AsyncBaseTransport | None = None) -> SyncResult:
        session_id, token, expires_at = self.session_id, self.token, ""
        refresh_failed: object = None
        if self.start is not None:
            started = await start_or_reuse(
                self.base_url,
                self.application_id,
                offline_grant=self.offline_grant or None,
                transport=transport,
                **self.start,
            )
            if isinstance(started, api_client.Started):
                session_id, token = str(started.body.get("sessionId", "")), str(started.body.get("token", ""))
                expires_at = str(started.body.get("expiresAt", ""))
            elif not self.session_id:  # no session yet: nothing else can be sent
                if is_retryable(started):
                    return self._retry_later(started)
                # refused for good: this interview has nowhere to go
                refused = await self._report(self.items, _code(started), "", "", transport)
                return SyncResult(dropped=refused, ended={} if self.end_reason else None)
            else:  # a fresh token was refused: the one held goes on meanwhile
                refresh_failed = started
        fresh = (session_id, token, expires_at) if expires_at else ("", "", "")
        sent: list[str] = []
        dropped: list[Dropped] = []
        for first in range(0, len(self.items), MAX_TRANSCRIPT_BATCH):
            batch = self.items[first : first + MAX_TRANSCRIPT_BATCH]
            stopped = await self._store(batch, session_id, token, sent, dropped, transport)
            if stopped is not None:
                return self._retry_later(stopped, sent, dropped, fresh)
        if self.heartbeat:
            beat = await api_client.heartbeat(self.base_url, session_id, session_token=token, transport=transport)
            if isinstance(beat, api_client.Unavailable):
                return self._retry_later(beat, sent, dropped, fresh)
        if refresh_failed is not None:
            return self._retry_later(refresh_failed, sent, dropped, fresh)
        if not self.end_reason:
            return SyncResult(tuple(sent), tuple(dropped), *fresh)
        ended = await api_client.end_session(
            self.base_url, session_id, self.end_reason, session_token=token, transport=transport
        )
        if is_retryable(ended) or (isinstance(ended, api_client.Refused) and ended.status in RENEW_STATUSES):
            return self._retry_later(ended, sent, dropped, fresh)
        if not isinstance(ended, api_client.Answered):  # refused for good: a retry would be refused too
            return SyncResult(tuple(sent), tuple(dropped), *fresh, ended={})
        stored = await api_client.get_session(self.base_url, session_id, session_token=token, transport=transport)
        body = stored.body if isinstance(stored, api_client.Answered) else ended.body
        return SyncResult(tuple(sent), tuple(dropped), *fresh, ended=body)

    async def _store(
        self,
        batch: list[Turn],
        session_id: str,
        token: str,
        sent: list[str],
        dropped: list[Dropped],
        transport: httpx.AsyncBaseTransport | None,
    ) -> object | None:
        """Store ``batch``, halving it on a content refusal until the refused item(s) stand alone.
        Returns the failure that stopped it when that is worth a retry (nothing is dropped then)."""
        outcome = await api_client.append_transcript(
            self.base_url, session_id, batch, session_token=token, transport=transport
        )
        if isinstance(outcome, api_client.Answered):
            sent.extend(item["id"] for item in batch)
            return None
        if is_retryable(outcome) or (isinstance(outcome, api_client.Refused) and outcome.status in RENEW_STATUSES):
            return outcome
        if _refuses_content(outcome) and len(batch) > 1:
            half = len(batch) // 2
            for part in (batch[:half], batch[half:]):
                stopped = await self._store(part, session_id, token, sent, dropped, transport)
                if stopped is not None:
                    return stopped
            return None
        dropped.extend(await self._report(batch, _code(outcome), session_id, token, transport))
        return None

    async def _report(
        self,
        items: list[Turn],
        code: str,
        session_id: str,
        token: str,
        transport: httpx.AsyncBaseTransport | None,
    ) -> tuple[Dropped, ...]:
        """Each dropped turn: a product event (logged, and a Sentry event when Sentry is on), and a
        ``transcript.dropped`` event in the session when the API takes it (best effort: the product
        event is already out, and the page says it too)."""
        dropped = tuple(Dropped(item["id"], item["role"], code) for item in items)
        for item in dropped:
            fields = {"applicationId": self.application_id, "sessionId": session_id, "itemId": item.item_id}
            observability.track(TRANSCRIPT_DROPPED, {**fields, "role": item.role, "code": code}, session_id or None)
        if session_id and token:
            drops = [(item.item_id, code) for item in dropped]
            await api_client.report_dropped(self.base_url, session_id, drops, session_token=token, transport=transport)
        return dropped

    def _retry_later(
        self,
        outcome: object,
        sent: list[str] | None = None,
        dropped: list[Dropped] | None = None,
        fresh: tuple[str, str, str] = ("", "", ""),
    ) -> SyncResult:
        renew = isinstance(outcome, api_client.Refused) and outcome.status in RENEW_STATUSES
        return SyncResult(
            tuple(sent or ()),
            tuple(dropped or ()),
            *fresh,
            retry=True,
            retry_after=_retry_after(outcome),
            outage=isinstance(outcome, api_client.Unavailable),
            renew=renew,
        )
