"""Concurrency: many starts at once end with exactly one in-progress session per application."""

import asyncio
from collections import Counter

import pytest

from tests.support.api_app import add_application

URL = "/api/interview/start-session"
pytestmark = pytest.mark.load


async def test_100_concurrent_starts_for_100_applications(client, sync_db):
    app_ids = [add_application(sync_db) for _ in range(100)]
    responses = await asyncio.wait_for(
        asyncio.gather(*(client.post(URL, json={"applicationId": a}) for a in app_ids)), timeout=120
    )
    assert Counter(r.status_code for r in responses) == {201: 100}
    per_app = {
        d["_id"]: d["n"]
        for d in sync_db.interviewSessions.aggregate(
            [{"$match": {"status": "in_progress"}}, {"$group": {"_id": "$applicationId", "n": {"$sum": 1}}}]
        )
    }
    assert per_app == dict.fromkeys(app_ids, 1)


async def test_50_concurrent_starts_for_one_application(client, sync_db):
    app_id = add_application(sync_db)
    responses = await asyncio.wait_for(
        asyncio.gather(*(client.post(URL, json={"applicationId": app_id}) for _ in range(50))), timeout=120
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1 and statuses[200] == 49, statuses
    assert len({r.json()["sessionId"] for r in responses}) == 1
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 1
