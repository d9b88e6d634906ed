"""The page's side of the sync: plan a :class:`SyncJob` under the state lock, run it without, apply it.

``SyncMixin`` is mixed into ``InterviewState`` (one Reflex state, one job per module). Heartbeats,
transcript batches, the end and offline reconciliation run in one background task
(:meth:`SyncMixin.sync_with_api`), started with the call; it never blocks the candidate. The HTTP
side and its back-off live in ``sync.py``, tested on ``httpx.MockTransport``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

import reflex as rx

from interview_app.domain.clock import utcnow
from interview_app.ui import credentials, sync_plan
from interview_app.ui.completion_state import CompletionState
from interview_app.ui.feed import FeedKind, Turn
from interview_app.ui.sync import Backoff, Dropped, SyncJob, SyncResult, backend_api_url, candidate_address
from interview_app.ui.words import unsaved_note

HEARTBEAT_EVERY_S = 30
RETRY_AFTER_OUTAGE_S = 30  # also the offline interview's reconciliation period
SYNC_TICK_S = 1.0


class SyncMixin(rx.State, mixin=True):
    _sync_id: str = ""  # the running sync's: a newer one stops it
    unsaved_answers: int = 0  # turns the API refused for good: the page says so
    unsaved_turns: int = 0

    if TYPE_CHECKING:  # InterviewState's (and TranscriptMixin's)
        application_id: str
        phase: str
        application_status: str
        offline: bool
        back_online: bool
        resumable: bool
        candidate_token: str
        _device: dict
        _api_session_id: str
        _api_token: str
        _api_refresh_at: str
        _interview_application: str
        _offline_grant: str
        _unstorable: bool
        _end_reason: str
        _end_pending: bool
        _transcript: dict[str, Turn]
        _unsent: list[str]

        @property
        def in_call(self) -> bool: ...

        def _offline_only(self) -> bool: ...

        def _keep(self) -> None: ...

        def _metadata(self, offline_interview: bool = False) -> dict: ...

        def _consent(self) -> str | None: ...

        def _adopt_session(self, session_id: str, token: str, expires_at: str) -> None: ...

        def _post(self, kind: FeedKind, text: str, item_id: str | None = None) -> None: ...

        def _note(self, text: str) -> None: ...

    @rx.var
    def unsaved_note(self) -> str:
        """What the candidate reads when turns could not be saved (``1 answer could not be saved``)."""
        return unsaved_note(self.unsaved_answers, self.unsaved_turns)

    @rx.event(background=True)
    async def sync_with_api(self):
        """Heartbeats every 30 s, transcript batches, the end, offline reconciliation: one sync at a time.

        The work is planned under the state lock, done over HTTP without it (so the candidate's
        own events never wait on the API), and its result applied under the lock again.
        """
        async with self:
            sync_id = self._sync_id = uuid.uuid4().hex
            # An offline interview without a session yet: the first reconciliation 30 s in, or at once
            # when the candidate has just ended. With a session, at once (an outage then waits 30 s).
            offline_only = self.offline and not self._api_token and not self._end_pending
            quiet_until = time.monotonic() + (RETRY_AFTER_OUTAGE_S if offline_only else 0)
        last_beat, backoff = time.monotonic(), Backoff()
        while True:
            await asyncio.sleep(SYNC_TICK_S)
            now = time.monotonic()
            async with self:
                if self._sync_id != sync_id or not (self.in_call or self._end_pending or self._unsent):
                    return
                job = None if now < quiet_until else self._plan(heartbeat=now - last_beat >= HEARTBEAT_EVERY_S)
            if job is None:
                continue
            if job.heartbeat:
                last_beat = now
            result = await job.run()
            if result.retry:  # the API is down, busy or asks us to wait: again after a back-off, never given up
                quiet_until = time.monotonic() + backoff.next_delay(result.retry_after)
            else:
                backoff.reset()
            async with self:
                if self._sync_id == sync_id:
                    self._apply(result, job)
                    if result.ended is not None:  # the API stored the end: its figures on the completion screen
                        (await self.get_state(CompletionState))._show(result.ended, self.offline)

    def _plan(self, heartbeat: bool) -> SyncJob | None:
        if self.application_id != self._interview_application or self._unstorable:
            return None  # another application's page has just opened, or the API refused this interview
        offline_only = self._offline_only()
        return sync_plan.plan(
            sync_plan.Holding(
                base_url=backend_api_url(),
                application_id=self.application_id,
                transcript=self._transcript,
                unsent=self._unsent,
                offline_only=offline_only,
                in_call=self.in_call,
                end_reason=self._end_reason if self._end_pending else "",
                session_id=self._api_session_id,
                token=self._api_token,
                renewal_due=self._token_expiring(),
                offline_grant=self._offline_grant,
                start={
                    "candidate_token": self.candidate_token or None,
                    "metadata": self._metadata(offline_only),
                    "user_agent": self._device.get("userAgent") or "interview-app",
                    "client_ip": candidate_address(
                        self.router.headers.raw_headers, self.router.session.client_ip or None
                    ),
                    "consent": self._consent(),
                },
            ),
            heartbeat,
        )

    def _token_expiring(self) -> bool:
        return credentials.renewal_due(self._api_refresh_at, utcnow())

    def _apply(self, result: SyncResult, job: SyncJob) -> None:
        if result.token:
            self._adopt_session(result.session_id, result.token, result.expires_at)
            self._offline_grant = ""  # reconciled: the session holds the offline interview now
        self._unsent = sync_plan.still_unsent(self._unsent, self._transcript, job, result)
        if result.dropped:
            self._report_dropped(result.dropped)
        if result.dropped and not (result.token or job.session_id):  # refused for good: nowhere to go
            self._unstorable, self._end_pending, self._unsent = True, False, []
        if result.renew:
            self._api_refresh_at = utcnow().isoformat()  # a fresh token (or a new session) first, then again
        if result.token and self.phase in ("idle", "error"):  # a kept interview was sent: it can go on
            self.resumable = self.application_status != "completed"
        self._keep()
        if result.ended is not None:
            self._end_pending = False
        if self.offline and self._api_token and not (self._unsent or result.outage or self.back_online):
            self.back_online = True
            self._note("Back online: your interview is saved")

    def _report_dropped(self, dropped: Iterable[Dropped]) -> None:
        """Truthful words on the page for turns the API refused for good (sync reported them already)."""
        for item in dropped:
            if item.role == "candidate":
                self.unsaved_answers += 1
            else:
                self.unsaved_turns += 1
        self._post("error", self.unsaved_note)
