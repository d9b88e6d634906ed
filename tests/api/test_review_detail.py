"""A session's detail for reviewers, its audit, and the IP address nobody else sees (issue 18 §1, §2, §5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from interview_app.api import paths
from tests.support.api_app import add_application
from tests.support.review import insert_session, reviewer, session_url
from tests.support.sessions import bearer, candidate_token

IP = "203.0.113.77"  # sent through the trusted proxy (loopback) as X-Forwarded-For


def viewed(sync_db, session_id: str) -> list[dict]:
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    return [event for event in doc["events"] if event["type"] == "review.viewed"]


async def test_the_ip_address_reaches_reviewers_and_no_candidate_facing_response(client, sync_db):
    app_id = add_application(sync_db, user_id="user-1", name="Grace Hopper")
    candidate = bearer(candidate_token("user-1", app_id))
    answers = []
    started = await client.post(
        paths.START_SESSION, json={"applicationId": app_id}, headers={**candidate, "X-Forwarded-For": IP}
    )
    answers.append(started)
    session_id, token = started.json()["sessionId"], started.json()["token"]
    assert sync_db.interviewSessions.find_one({"sessionId": session_id})["metadata"]["ipAddress"] == IP
    session = bearer(token)
    item = {"id": "c1", "role": "candidate", "text": "I built pipelines."}
    answers += [
        await client.post(paths.START_SESSION, json={"applicationId": app_id}, headers=candidate),  # a reuse
        await client.get(paths.APPLICATION.format(application_id=app_id), headers=candidate),
        await client.get(session_url(paths.SESSION, session_id), headers=session),
        await client.post(session_url(paths.SESSION_HEARTBEAT, session_id), headers=session),
        await client.post(session_url(paths.SESSION_TRANSCRIPT, session_id), json={"items": [item]}, headers=session),
        await client.post(
            session_url(paths.SESSION_DROPPED, session_id),
            json={"items": [{"itemId": "x", "code": "X"}]},
            headers=session,
        ),
        await client.post(session_url(paths.SESSION_END, session_id), headers=session),
    ]
    for answer in answers:
        assert answer.status_code < 300, answer.text
        assert IP not in answer.text and "ipAddress" not in answer.text, answer.request.url
        assert all(IP not in value for value in answer.headers.values())

    detail = await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer())
    assert detail.status_code == 200
    body = detail.json()
    assert body["session"]["metadata"]["ipAddress"] == IP
    assert body["session"]["candidateName"] == "Grace Hopper"
    assert body["application"]["id"] == app_id and body["application"]["candidateProfile"]["fullName"] == "Grace Hopper"
    assert [t["id"] for t in body["transcript"]] == ["c1"] and body["transcript"][0]["source"] == "client"
    assert body["transcriptVerified"] is False and body["offlineSpans"] == []
    kinds = [event["type"] for event in body["events"]]
    assert kinds[0] == "session.started" and "session.completed" in kinds and "transcript.dropped" in kinds
    # started without consent: the end stores not_consented and nothing is scored (contract C1)
    assert body["scoring"] == {"status": "not_consented"} and body["review"] is None and body["reviewHistory"] == []
    assert "_id" not in json.dumps(body)


async def test_transcript_sources_and_offline_spans(client, sync_db):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    turns = [
        {"id": "q1", "role": "interviewer", "text": "Hi", "at": at, "source": "offline"},
        {"id": "a1", "role": "candidate", "text": "Hello", "at": at + timedelta(seconds=5), "source": "offline"},
        {"id": "a2", "role": "candidate", "text": "Old item"},  # stored before sources existed
    ]
    session_id = insert_session(sync_db, transcript=turns, metadata={"offline": True, "deviceType": "mobile"})
    body = (await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer())).json()
    assert [t["source"] for t in body["transcript"]] == ["offline", "offline", "client"]
    assert body["offlineSpans"] == [{"from": "2026-03-02T09:00:00Z", "to": "2026-03-02T09:00:05Z"}]
    assert body["transcriptVerified"] is False
    verified = insert_session(
        sync_db,
        transcript=[{"id": "a", "role": "candidate", "text": "Yes", "source": "provider"}],
    )
    assert (await client.get(session_url(paths.REVIEW_SESSION, verified), headers=reviewer())).json()[
        "transcriptVerified"
    ]
    row = (await client.get(paths.REVIEW_SESSIONS, headers=reviewer())).json()["items"]
    assert {r["sessionId"]: (r["offline"], r["transcriptVerified"]) for r in row} == {
        session_id: (True, False),
        verified: (False, True),
    }


async def test_opening_a_detail_is_audited_once_per_reviewer_per_ten_minutes(client, sync_db):
    session_id = insert_session(sync_db)
    before = sync_db.interviewSessions.find_one({"sessionId": session_id})
    for _ in range(3):  # a reload does not flood the bounded events
        assert (
            await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer("alice"))
        ).status_code == 200
    await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer("bob"))
    events = viewed(sync_db, session_id)
    assert [event["payload"] for event in events] == [{"by": "alice"}, {"by": "bob"}]
    assert all(event["timestamp"] >= before["updatedAt"] for event in events)
    after = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert after["lastActivityAt"] == before["lastActivityAt"]  # a view is no candidate activity
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id, "events.type": "review.viewed"},
        {"$set": {"events.1.timestamp": datetime.now(UTC) - timedelta(minutes=11)}},
    )
    await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer("alice"))
    assert [event["payload"]["by"] for event in viewed(sync_db, session_id)] == ["alice", "bob", "alice"]


async def test_an_unknown_session_is_404(client):
    for method, route in (
        ("GET", paths.REVIEW_SESSION),
        ("POST", paths.REVIEW_RESCORE),
        ("DELETE", paths.REVIEW_PERSONAL_DATA),
    ):
        response = await client.request(method, session_url(route, "no-such-session"), headers=reviewer())
        assert response.status_code == 404 and response.json()["code"] == "SESSION_NOT_FOUND"
    response = await client.post(
        session_url(paths.REVIEW_DECISION, "no-such"), json={"decision": "hold"}, headers=reviewer()
    )
    assert response.status_code == 404
