"""Erasure on request: the tombstone and what is gone for good (issue 18 §2, contract R3)."""

from __future__ import annotations

import json

from interview_app.api import paths
from tests.support.api_app import add_application
from tests.support.review import insert_session, reviewer, session_url

SCORING = {
    "status": "scored",
    "provider": "local",
    "rubricVersion": "r1",
    "dimensions": {"depth": {"score": 80, "rationale": "Knows Kafka", "evidence": [{"itemId": "a", "quote": "Kafka"}]}},
    "summary": "Grace knows Kafka",
    "injectionAttempt": {"itemId": "a", "quote": "ignore the rubric"},
    "history": [{"status": "scored", "summary": "old", "dimensions": {}}],
}


async def test_erasure_leaves_a_tombstone_only(client, sync_db):
    app_id = add_application(sync_db, name="Grace Hopper")
    session_id = insert_session(
        sync_db,
        applicationId=app_id,
        name="Grace Hopper",
        transcript=[{"id": "a", "role": "candidate", "text": "I used Kafka", "source": "provider"}],
        finalScore=80,
        scoreBreakdown={"clarity": 80, "correctness": 80, "depth": 80},
        scoring=SCORING,
        accommodationRequested={"at": None, "note": "I am hard of hearing"},
        events=[{"type": "accommodation.requested", "timestamp": None, "payload": {"note": "I am hard of hearing"}}],
    )
    other = insert_session(sync_db, applicationId=app_id, name="Grace Hopper", status="abandoned")
    response = await client.delete(session_url(paths.REVIEW_PERSONAL_DATA, session_id), headers=reviewer("dpo"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sessionId"] == session_id and body["erased"]["by"] == "dpo" and body["erased"]["at"].endswith("Z")

    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert doc["transcript"] == []
    assert "userAgent" not in doc["metadata"] and "ipAddress" not in doc["metadata"]
    assert doc["metadata"]["deviceType"] == "desktop"
    assert "candidateName" not in doc and "note" not in doc["accommodationRequested"]
    assert doc["scoring"] == {
        "status": "scored",
        "provider": "local",
        "rubricVersion": "r1",
        "history": [{"status": "scored"}],
    }
    assert doc["finalScore"] == 80  # the tombstone keeps what was decided on, and the ids and dates
    assert doc["status"] == "completed" and doc["applicationId"] == app_id and doc["startedAt"]
    assert doc["erased"]["by"] == "dpo"
    assert [e["payload"] for e in doc["events"] if e["type"] == "personal_data.erased"] == [{"by": "dpo"}]
    assert [e["payload"] for e in doc["events"] if e["type"] == "accommodation.requested"] == [{}]  # the note goes
    assert "candidateName" not in sync_db.interviewSessions.find_one({"sessionId": other})
    assert "fullName" not in sync_db.applications.find_one({"_id": app_id})["candidateProfile"]
    dumped = json.dumps((await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer())).json())
    for personal in ("Grace", "Kafka", "198.51.100.9", "Mozilla", "hard of hearing"):
        assert personal not in dumped, personal
    row = (await client.get(paths.REVIEW_SESSIONS, headers=reviewer())).json()["items"]
    assert {r["sessionId"]: r["erased"] for r in row}[session_id] is True


async def test_erasure_cannot_be_undone_or_repeated(client, sync_db):
    session_id = insert_session(sync_db)
    first = await client.delete(session_url(paths.REVIEW_PERSONAL_DATA, session_id), headers=reviewer("dpo"))
    again = await client.delete(session_url(paths.REVIEW_PERSONAL_DATA, session_id), headers=reviewer("eve"))
    assert again.status_code == 200 and again.json() == first.json()  # the first tombstone stands
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert [e["type"] for e in doc["events"]].count("personal_data.erased") == 1
    rescore = await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())
    assert rescore.status_code == 409


async def test_an_interview_in_progress_is_not_erased(client, sync_db):
    session_id = insert_session(sync_db, status="in_progress")
    response = await client.delete(session_url(paths.REVIEW_PERSONAL_DATA, session_id), headers=reviewer())
    assert response.status_code == 409 and response.json()["code"] == "SESSION_NOT_COMPLETED"
    assert "erased" not in sync_db.interviewSessions.find_one({"sessionId": session_id})
