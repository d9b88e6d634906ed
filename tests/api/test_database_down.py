"""Database outage: quick 500 SERVER_ERROR (never a hang), 503 health, and recovery by itself."""

import asyncio
import time

from interview_app.storage import embedded
from tests.support.api_app import api_client, make_settings, wait_for_indexes

URL = "/api/interview/start-session"


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
            assert down.status_code == 500 and down.json()["code"] == "SERVER_ERROR"
            assert elapsed < 6, f"took {elapsed:.1f}s"
            assert (await client.get("/api/health")).status_code == 503

            server = embedded.spawn(storage, port=port)
            for _ in range(50):
                if (await client.get("/api/health")).status_code == 200:
                    break
                await asyncio.sleep(0.2)
            again = await client.post(URL, json={"applicationId": "app-1"})
            assert again.status_code == 200  # the session stored before the outage is reused
    finally:
        embedded.stop(server)
