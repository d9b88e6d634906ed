"""What calls write into their session: ``call.connected`` and ``call.ended`` in its bounded
``events``, and the turns an interviewer vouches for in its transcript (``provider`` items).

Only a call placed with a session token has a session to write to; an offline call writes
nothing. Every write is bounded in time (:data:`WRITE_TIMEOUT_S`): a slow or down database never
holds up or ends a call. An event that fails is logged. A turn is the record itself, and since
issue 16 the page no longer fills a gap in it with its own copy of the interviewer's turns: a turn
the database could not take is retried in the background for :data:`TURN_RETRY_FOR_S` (long
enough for a paused or restarted database) and with the session's next turn, and one refused for
good, or never taken, is reported as a ``transcript.dropped`` session event, never lost silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable

from pymongo.errors import PyMongoError

from interview_app.domain import errors, lifecycle
from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem
from interview_app.realtime.bounded import bounded
from interview_app.realtime.call_store import CallStore

log = logging.getLogger(__name__)
WRITE_TIMEOUT_S = 3.0
TURN_RETRY_FOR_S = 120.0
RETRY_MAX_DELAY_S = 2.0  # a database back from an outage gets the queue within 2 s
_TRANSIENT = (TimeoutError, PyMongoError, errors.DatabaseUnavailable, errors.SessionBusy)  # worth a retry


async def best_effort(write: Awaitable[object], what: str) -> None:
    """Wait for a write at most :data:`WRITE_TIMEOUT_S`; log it when it fails or times out."""
    try:
        await bounded(write, WRITE_TIMEOUT_S)
    except (TimeoutError, PyMongoError, errors.DomainError) as exc:
        log.warning("could not store %s: %s", what, exc)


class CallJournal:
    def __init__(self, store: CallStore):
        self.store = store
        self._pending: dict[str, list[TranscriptItem]] = {}  # per session: turns not stored yet, in the order said
        self._retries: dict[str, asyncio.Task] = {}  # per session: the retry writing its queue

    async def event(self, session_id: str | None, call_id: str, provider: str, kind: str, payload: dict) -> None:
        """Append ``kind`` (``call.connected``, ``call.ended``) to the session's events."""
        if session_id is None:
            return
        body = {"callId": call_id, "provider": provider, **payload}
        await best_effort(self.store.record_event(session_id, kind, utcnow(), body), f"{kind} for call {call_id}")

    async def turn(self, session_id: str | None, call_id: str, item: TranscriptItem) -> None:
        """The interviewer's own record of a turn: THE way a ``provider`` turn is written (issue 16 T1).

        The local interviewer and the OpenAI sideband both report through ``listener.turn``, which
        ends here; the item is stored as ``provider`` whatever it said, and the page can no longer
        rewrite it. A resumed call reads these to know what was asked. Waits at most
        :data:`WRITE_TIMEOUT_S`. Turns the database could not take yet wait in the session's queue,
        in the order said: each later turn is written together with them (once the database is
        back, the next turn brings the earlier ones in with it), and a background retry writes them
        if no turn comes. A batch the session refuses (ended, or full) is reported dropped whole.
        """
        if session_id is None:
            return
        self._pending.setdefault(session_id, []).append(item)
        if not await self._flush(session_id, call_id):
            self._retry_later(session_id, call_id)

    async def _flush(self, session_id: str, call_id: str) -> bool:
        """Write the session's queued turns as one batch; True when none is left waiting."""
        batch = list(self._pending.get(session_id, ()))
        if not batch:
            return True
        what = f"{len(batch)} turn(s) of call {call_id} ({batch[-1].id})"
        write = lifecycle.append_transcript(self.store, session_id, batch, utcnow(), author="provider")
        try:
            await bounded(write, WRITE_TIMEOUT_S)
        except _TRANSIENT as exc:
            log.warning("could not store %s yet: %s", what, exc or type(exc).__name__)
            return False
        except errors.DomainError as exc:  # the session is over or full: a retry cannot help
            log.warning("could not store %s: %s", what, exc)
            await self._drop(session_id, batch, exc.code)
        self._forget(session_id, batch)
        return not self._pending.get(session_id)

    def _retry_later(self, session_id: str, call_id: str) -> None:
        if session_id not in self._retries:
            self._retries[session_id] = asyncio.ensure_future(self._retry(session_id, call_id))

    async def _retry(self, session_id: str, call_id: str) -> None:
        """Retries with back-off (a provider write is idempotent); after :data:`TURN_RETRY_FOR_S`,
        the turns still queued are reported dropped."""
        try:
            deadline, delay = time.monotonic() + TURN_RETRY_FOR_S, 0.5
            while time.monotonic() + delay < deadline:
                await asyncio.sleep(delay)
                if await self._flush(session_id, call_id):
                    return
                delay = min(delay * 2, RETRY_MAX_DELAY_S)
            batch = list(self._pending.get(session_id, ()))
            await self._drop(session_id, batch, errors.DatabaseUnavailable.code)
            self._forget(session_id, batch)
        finally:
            del self._retries[session_id]

    def _forget(self, session_id: str, batch: list[TranscriptItem]) -> None:
        """Done with ``batch``; turns queued while it was written stay."""
        done = {id(item) for item in batch}
        left = [item for item in self._pending.get(session_id, ()) if id(item) not in done]
        if left:
            self._pending[session_id] = left
        else:
            self._pending.pop(session_id, None)

    async def _drop(self, session_id: str, items: list[TranscriptItem], code: str) -> None:
        for item in items:
            await self._dropped(session_id, item, code)

    async def _dropped(self, session_id: str, item: TranscriptItem, code: str) -> None:
        """The same ``transcript.dropped`` event the page reports for the turns it gives up on."""
        payload = {"itemId": item.id, "code": code, "source": "provider"}
        await best_effort(self.store.record_event(session_id, "transcript.dropped", utcnow(), payload), "a drop")
