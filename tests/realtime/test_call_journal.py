"""``CallJournal.turn``, the one way a provider turn is written (issue 16 T1), against a real database.

Since the page no longer posts the interviewer's turns, nothing fills a gap in the provider's
record: a turn written while the database is paused must land when it is back, and one refused for
good must be reported, never lost silently.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime
from typing import cast

from pymongo import MongoClient

from interview_app.api import paths
from interview_app.domain.errors import DatabaseUnavailable
from interview_app.domain.model import TranscriptItem
from interview_app.realtime.call_journal import WRITE_TIMEOUT_S, CallJournal
from interview_app.realtime.call_store import CallStore
from interview_app.storage import embedded
from tests.support.api_app import add_application, api_client, make_settings, wait_for_indexes
from tests.support.sessions import bearer, start
from tests.support.waiting import wait_until

SAID = TranscriptItem("resp_1", "interviewer", "Tell me about a pipeline you built.", at=datetime.now(UTC))


async def test_a_turn_said_while_the_database_is_paused_is_stored_when_it_is_back(tmp_path):
    server = embedded.spawn(":memory:")  # our own server: this test pauses it
    try:
        with MongoClient(server.uri, tz_aware=True) as sync_client:
            sync_db = sync_client["journal"]
            async with api_client(make_settings(server.uri, "journal", tmp_path)) as client:
                await wait_for_indexes(client)
                session_id, _ = await start(client, add_application(sync_db))
                os.killpg(server.pid, signal.SIGSTOP)
                try:
                    began = time.monotonic()
                    await client.api.state.runtime.calls.journal.turn(session_id, "call-1", SAID)
                    assert time.monotonic() - began < WRITE_TIMEOUT_S + 1  # the call is never held up
                finally:
                    os.killpg(server.pid, signal.SIGCONT)

                def stored() -> list[dict]:
                    return (sync_db.interviewSessions.find_one({"sessionId": session_id}) or {})["transcript"]

                await wait_until(stored, timeout=30)
                assert [(t["id"], t["source"]) for t in stored()] == [("resp_1", "provider")]
    finally:
        embedded.stop(server)


async def test_a_turn_refused_for_good_is_reported_as_dropped(client, sync_db, session):
    _, session_id, token = session
    ended = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    assert ended.status_code == 200
    await client.api.state.runtime.calls.journal.turn(session_id, "call-1", SAID)
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert doc["transcript"] == []
    drops = [e["payload"] for e in doc["events"] if e["type"] == "transcript.dropped"]
    assert drops == [{"itemId": "resp_1", "code": "SESSION_NOT_ACTIVE", "source": "provider"}]


class DatabaseOutage:
    """The real store, with its transcript writes refused as an unreachable database refuses them
    while ``down`` (the rest of the journal runs as in production)."""

    def __init__(self, store):
        self.store, self.down = store, False

    def __getattr__(self, name):
        return getattr(self.store, name)

    async def replace_transcript(self, *args, **kwargs):
        if self.down:
            raise DatabaseUnavailable("The database is down")
        return await self.store.replace_transcript(*args, **kwargs)


async def test_a_turn_queued_in_an_outage_is_stored_with_the_next_turn_before_the_end(client, sync_db, session):
    """The database comes back, the interviewer closes and the page ends the interview at once: the
    question said in the outage is in the record, before the closing line, not dropped by the end
    (it used to wait for its next retry, and the end refused it)."""
    _, session_id, token = session
    outage = DatabaseOutage(client.api.state.runtime.calls.journal.store)
    journal = CallJournal(cast(CallStore, outage))  # the real store's methods, through __getattr__
    outage.down = True
    question = TranscriptItem("resp_q", "interviewer", "Tell me about a bug you chased.", at=datetime.now(UTC))
    await journal.turn(session_id, "call-1", question)
    outage.down = False
    closing = TranscriptItem("resp_c", "interviewer", "Thank you, that was my last question.", at=datetime.now(UTC))
    await journal.turn(session_id, "call-1", closing)
    ended = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    assert ended.status_code == 200
    await asyncio.sleep(1)  # past the retry the queued turn would have waited for
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert [t["id"] for t in doc["transcript"]] == ["resp_q", "resp_c"]
    assert [e for e in doc["events"] if e["type"] == "transcript.dropped"] == []
