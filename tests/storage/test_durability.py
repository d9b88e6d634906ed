"""What the app was told is stored survives the database being killed (``kill -9``) a moment later.

Found by the database-killed fault test: an interviewer turn acknowledged just before the kill was
gone after the restart (SecantusDB keeps nothing since its last checkpoint unless a write asks for
the journal). Against our own on-disk server, killed and restarted on the same files.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

from pymongo import MongoClient

from interview_app.api import paths
from interview_app.storage import embedded
from interview_app.storage.mongo import durability
from tests.support.api_app import add_application, api_client, make_settings, wait_for_indexes
from tests.support.sessions import bearer, start


async def test_an_acknowledged_session_and_answer_survive_a_killed_database(tmp_path):
    server = embedded.spawn(str(tmp_path / "db"))
    try:
        with MongoClient(server.uri, tz_aware=True) as seed:
            app_id = add_application(seed["durable"])
        async with api_client(make_settings(server.uri, "durable", tmp_path)) as client:
            await wait_for_indexes(client)
            session_id, token = await start(client, app_id)
            item = {
                "id": "item_1",
                "role": "candidate",
                "text": "I built the pipeline.",
                "at": datetime.now(UTC).isoformat(),
            }
            written = await client.post(
                paths.SESSION_TRANSCRIPT.format(session_id=session_id), json={"items": [item]}, headers=bearer(token)
            )
            assert written.status_code == 200, written.text
            os.killpg(server.pid, signal.SIGKILL)  # at once: no checkpoint in between
            await asyncio.to_thread(os.waitpid, server.pid, 0)
        server = embedded.spawn(server.storage_path, server.port)
        with MongoClient(server.uri, tz_aware=True) as after:
            stored = after["durable"].interviewSessions.find_one({"sessionId": session_id})
        assert stored is not None, "the acknowledged session was lost with the database"
        assert [t["text"] for t in stored["transcript"]] == ["I built the pipeline."]
    finally:
        embedded.stop(server)


def test_the_operator_may_choose_the_write_concern_in_the_uri():
    assert durability("mongodb://127.0.0.1:27017/") == {"journal": True}
    assert durability("mongodb://h:1,h:2/?replicaSet=rs&w=majority") == {}
    assert durability("mongodb://h/?journal=false") == {}
