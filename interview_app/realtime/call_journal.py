"""What calls write into their session: ``call.connected`` and ``call.ended`` in its bounded
``events``, and the turns an interviewer vouches for in its transcript.

Only a call placed with a session token has a session to write to; an offline call writes
nothing. Every write is best effort and bounded in time (:data:`WRITE_TIMEOUT_S`): a slow or
down database never holds up or ends a call, and a write that fails is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace

from pymongo.errors import PyMongoError

from interview_app.domain import errors, lifecycle
from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem
from interview_app.realtime.call_store import CallStore

log = logging.getLogger(__name__)
WRITE_TIMEOUT_S = 3.0


async def best_effort(write: Awaitable[object], what: str) -> None:
    """Wait for a write at most :data:`WRITE_TIMEOUT_S`; log it when it fails or times out."""
    try:
        await asyncio.wait_for(write, WRITE_TIMEOUT_S)
    except (TimeoutError, PyMongoError, errors.DomainError) as exc:
        log.warning("could not store %s: %s", what, exc)


class CallJournal:
    def __init__(self, store: CallStore):
        self.store = store

    async def event(self, session_id: str | None, call_id: str, provider: str, kind: str, payload: dict) -> None:
        """Append ``kind`` (``call.connected``, ``call.ended``) to the session's events."""
        if session_id is None:
            return
        body = {"callId": call_id, "provider": provider, **payload}
        await best_effort(self.store.record_event(session_id, kind, utcnow(), body), f"{kind} for call {call_id}")

    async def turn(self, session_id: str | None, call_id: str, item: TranscriptItem) -> None:
        """The interviewer's own record of a turn, so a resumed call knows what was asked: stored as
        ``provider`` whatever the item said (contract T1)."""
        if session_id is None:
            return
        item = replace(item, source="provider")
        write = lifecycle.append_transcript(self.store, session_id, [item], utcnow())
        await best_effort(write, f"turn {item.id} of call {call_id}")
