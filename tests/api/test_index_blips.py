"""Regression (issue 15 B4): no 503 while the database answers.

Under load the driver's monitor heartbeat can time out, and the server is reported ``Unknown`` for a
moment, then known again. The old ``IndexWatch`` took each such blip for a restart and refused new
sessions (``503 DATABASE_UNAVAILABLE``) until its keeper re-listed the indexes; now a start confirms
the indexes by listing them. Here the blips are the driver's own event objects, delivered from
another thread as the monitor delivers them, while 100 candidates start at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from pymongo import monitoring
from pymongo.hello import Hello
from pymongo.server_description import ServerDescription

from interview_app.api import paths
from tests.support.api_app import add_application


def blip_events(address: tuple[str, int]) -> list[monitoring.ServerDescriptionChangedEvent]:
    known = ServerDescription(address, Hello({"ok": 1, "isWritablePrimary": True, "maxWireVersion": 21}))
    unknown = ServerDescription(address)
    return [
        monitoring.ServerDescriptionChangedEvent(known, unknown, address, None),  # pyright: ignore[reportArgumentType]
        monitoring.ServerDescriptionChangedEvent(unknown, known, address, None),  # pyright: ignore[reportArgumentType]
    ]


async def test_100_concurrent_starts_all_201_through_heartbeat_blips(client, sync_db):
    app_ids = [add_application(sync_db) for _ in range(100)]
    watch = client.api.state.runtime.database.index_watch
    events = blip_events(("127.0.0.1", 27017))
    stop = threading.Event()

    def monitor() -> None:
        while not stop.is_set():
            for event in events:
                watch.description_changed(event)
            stop.wait(0.005)

    blips = threading.Thread(target=monitor, daemon=True)
    blips.start()
    try:
        responses = await asyncio.wait_for(
            asyncio.gather(*(client.post(paths.START_SESSION, json={"applicationId": a}) for a in app_ids)), 120
        )
    finally:
        stop.set()
        blips.join()
    assert Counter(r.status_code for r in responses) == {201: 100}, [r.text for r in responses if r.status_code != 201][
        :3
    ]
    assert sync_db.interviewSessions.count_documents({"status": "in_progress"}) == 100
