"""Database outage: a quick 503 DATABASE_UNAVAILABLE with Retry-After (never a hang, never a 500),
503 health, and recovery by itself.

Regression (issue 15 B5): on the old code a stopped database or an operation that timed out (a
paused server, as under load) answered ``500 SERVER_ERROR``, which the page does not retry.
"""

import asyncio
import os
import signal
import time

from interview_app.storage import embedded
from tests.support.api_app import api_client, make_settings, wait_for_indexes

URL = "/api/interview/start-session"


def assert_retryable_outage(response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "DATABASE_UNAVAILABLE"
    assert int(response.headers["Retry-After"]) > 0


async def wait_healthy(client) -> None:
    for _ in range(50):
        if (await client.get("/api/health")).status_code == 200:
            return
        await asyncio.sleep(0.2)


async def test_outage_and_recovery(tmp_path):
    port = embedded.free_port()
    storage = str(tmp_path / "db")
    server = embedded.spawn(storage, port=port)
    settings = make_settings(server.uri, "outage", tmp_path)
    try:
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            await client.api.state.runtime.database.applications.insert_one(
                {"_id": "app-1", "userId": "u", "jobTitle": "SRE", "status": "interview_scheduled"}
            )
            assert (await client.post(URL, json={"applicationId": "app-1"})).status_code == 201

            embedded.stop(server)
            started = time.monotonic()
            down = await client.post(URL, json={"applicationId": "app-1"})
            elapsed = time.monotonic() - started
            assert_retryable_outage(down)
            assert elapsed < 6, f"took {elapsed:.1f}s"
            assert (await client.get("/api/health")).status_code == 503

            server = embedded.spawn(storage, port=port)
            await wait_healthy(client)
            again = await client.post(URL, json={"applicationId": "app-1"})
            assert again.status_code == 200  # the session stored before the outage is reused
    finally:
        embedded.stop(server)


async def test_a_paused_database_is_a_503_with_retry_after_not_a_500(tmp_path):
    """The operation times out on a server that holds the connection but does not answer."""
    server = embedded.spawn(":memory:")
    settings = make_settings(server.uri, "paused", tmp_path)
    try:
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            await client.api.state.runtime.database.applications.insert_one(
                {"_id": "app-p", "userId": "u", "jobTitle": "SRE", "status": "interview_scheduled"}
            )
            os.killpg(server.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                paused = await asyncio.gather(*(client.post(URL, json={"applicationId": "app-p"}) for _ in range(5)))
                elapsed = time.monotonic() - started
            finally:
                os.killpg(server.pid, signal.SIGCONT)
            for response in paused:
                assert_retryable_outage(response)
            assert elapsed < 8, f"took {elapsed:.1f}s"
            await wait_healthy(client)
            assert (await client.post(URL, json={"applicationId": "app-p"})).status_code == 201
    finally:
        embedded.stop(server)
