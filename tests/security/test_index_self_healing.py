"""Regression (security item 6): a database that comes back empty gets its unique indexes again,
and no duplicate in-progress sessions are stored meanwhile.

On the old code the indexes were created once at start-up: after the restart a burst of 50
starts for one application stored several in-progress sessions.
"""

from __future__ import annotations

import asyncio

from pymongo import MongoClient

from interview_app.api import paths
from interview_app.storage import embedded
from tests.support.api_app import api_client, make_settings, wait_for_indexes


async def test_an_emptied_database_gets_its_indexes_back_and_never_two_sessions(tmp_path):
    port = embedded.free_port()
    server = embedded.spawn(":memory:", port=port)
    settings = make_settings(server.uri, "selfheal", tmp_path)
    try:
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            embedded.stop(server)
            server = embedded.spawn(":memory:", port=port)  # same address, nothing in it
            with MongoClient(server.uri) as sync:
                sync.selfheal.applications.insert_one({"_id": "app-1", "userId": "u", "status": "open"})
            burst = await asyncio.gather(
                *(client.post(paths.START_SESSION, json={"applicationId": "app-1"}) for _ in range(50))
            )
            statuses = {response.status_code for response in burst}
            assert statuses <= {200, 201, 500, 503}, statuses
            with MongoClient(server.uri) as sync:
                assert sync.selfheal.interviewSessions.count_documents({"status": "in_progress"}) <= 1
            for _ in range(100):  # the indexes come back by themselves
                with MongoClient(server.uri) as sync:
                    names = {index["name"] for index in sync.selfheal.interviewSessions.list_indexes()}
                if "one_in_progress_per_application" in names and client.api.state.runtime.database.indexes_ready:
                    break
                await asyncio.sleep(0.1)
            assert "one_in_progress_per_application" in names
            again = await asyncio.gather(
                *(client.post(paths.START_SESSION, json={"applicationId": "app-1"}) for _ in range(10))
            )
            assert {response.status_code for response in again} <= {200, 201}
            with MongoClient(server.uri) as sync:
                assert sync.selfheal.interviewSessions.count_documents({"status": "in_progress"}) == 1
    finally:
        embedded.stop(server)


async def test_starts_are_refused_with_503_while_the_indexes_are_missing(client):
    """Missing for real (a listing confirms it): a flag flipped by a heartbeat blip alone is no longer
    enough to refuse (issue 15 B4, ``tests/api/test_index_blips.py``)."""
    database = client.api.state.runtime.database
    await database.applications.insert_one({"_id": "app-2", "userId": "u", "status": "open"})
    await database.sessions.drop_index("one_in_progress_per_application")
    database.index_watch.ready = False  # what the driver's listener does when a server goes or comes
    refused = await client.post(paths.START_SESSION, json={"applicationId": "app-2"})
    assert refused.status_code == 503 and refused.json()["code"] == "DATABASE_UNAVAILABLE"
    assert await database.sessions.count_documents({}) == 0
    assert refused.headers["Retry-After"]
