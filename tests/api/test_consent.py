"""Notice and consent (issue 17 §4, contract C4) over HTTP against a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.api import paths
from interview_app.domain import notice
from tests.support.api_app import add_application
from tests.support.sessions import bearer, candidate_token


def stored(sync_db, session_id: str) -> dict:
    return sync_db.interviewSessions.find_one({"sessionId": session_id})


def events_of(doc: dict, kind: str) -> list[dict]:
    return [event for event in doc["events"] if event["type"] == kind]


async def test_the_preview_carries_the_notice_in_plain_words(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.get(paths.APPLICATION.format(application_id=app_id))
    assert response.status_code == 200
    body = response.json()
    assert body["notice"] == {"version": notice.NOTICE_VERSION, "text": notice.NOTICE_TEXT}
    text = body["notice"]["text"].lower()
    for must_say in ("ai interviewer", "transcript", "no video", "clarity, correctness and depth", "accent", "person"):
        assert must_say in text, must_say
    assert body["completedSession"] is None


async def test_a_start_with_consent_stores_it_with_the_servers_time_and_an_event(client, sync_db):
    app_id = add_application(sync_db)
    before = datetime.now(UTC)
    response = await client.post(
        paths.START_SESSION, json={"applicationId": app_id, "consent": {"noticeVersion": notice.NOTICE_VERSION}}
    )
    assert response.status_code == 201, response.text
    doc = stored(sync_db, response.json()["sessionId"])
    assert doc["consent"]["noticeVersion"] == notice.NOTICE_VERSION
    assert before - timedelta(seconds=1) <= doc["consent"]["at"] <= datetime.now(UTC)
    assert [event["payload"] for event in events_of(doc, "consent.given")] == [{"noticeVersion": notice.NOTICE_VERSION}]


async def test_a_start_without_consent_still_works_but_stores_none(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert response.status_code == 201
    doc = stored(sync_db, response.json()["sessionId"])
    assert "consent" not in doc and events_of(doc, "consent.given") == []


async def test_a_reused_session_gets_consent_once(client, sync_db):
    """Consent given on a later start (a resume, a token renewal) is recorded once, never twice."""
    app_id = add_application(sync_db)
    first = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    session_id = first.json()["sessionId"]
    for version in ("v-first", "v-second"):
        again = await client.post(
            paths.START_SESSION, json={"applicationId": app_id, "consent": {"noticeVersion": version}}
        )
        assert again.status_code == 200 and again.json()["sessionId"] == session_id
    doc = stored(sync_db, session_id)
    assert doc["consent"]["noticeVersion"] == "v-first"
    assert len(events_of(doc, "consent.given")) == 1


@pytest.mark.parametrize(
    "consent",
    [
        {"noticeVersion": ""},
        {"noticeVersion": "x" * 33},
        {"noticeVersion": 7},
        {},
        {"noticeVersion": "v", "x": 1},
        {"noticeVersion": "a\u202eb"},
        "yes",
        True,
        [],
    ],
)
async def test_a_bad_consent_is_a_validation_error_and_stores_nothing(client, sync_db, consent):
    app_id = add_application(sync_db)
    response = await client.post(paths.START_SESSION, json={"applicationId": app_id, "consent": consent})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 0


async def test_a_notice_version_of_32_characters_is_accepted(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(
        paths.START_SESSION, json={"applicationId": app_id, "consent": {"noticeVersion": "v" * 32}}
    )
    assert response.status_code == 201


async def test_the_preview_names_the_submitted_interview(client, sync_db):
    app_id = add_application(sync_db)
    started = await client.post(paths.START_SESSION, json={"applicationId": app_id}, headers=bearer(candidate_token()))
    session_id, token = started.json()["sessionId"], started.json()["token"]
    ended = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    assert ended.status_code == 200
    preview = await client.get(paths.APPLICATION.format(application_id=app_id))
    assert preview.json()["status"] == "completed"
    submitted = preview.json()["completedSession"]
    assert submitted["sessionId"] == session_id
    # issue 20 §11: with the stored figures the completion screen shows after a reload
    assert set(submitted) == {"sessionId", "startedAt", "completedAt", "duration", "answered"}


ACCOMMODATION = paths.SESSION_ACCOMMODATION


async def test_an_accommodation_request_is_recorded_with_its_note(client, sync_db):
    app_id = add_application(sync_db)
    started = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    session_id, token = started.json()["sessionId"], started.json()["token"]
    url = ACCOMMODATION.format(session_id=session_id)
    response = await client.post(
        url, json={"note": "  I need a written format, please.\nThanks  "}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    assert response.json()["note"] == "I need a written format, please.\nThanks"
    assert response.json()["requestedAt"].endswith("Z")
    doc = stored(sync_db, session_id)
    assert doc["accommodationRequested"]["note"] == "I need a written format, please.\nThanks"
    assert isinstance(doc["accommodationRequested"]["at"], datetime)
    assert [e["payload"] for e in events_of(doc, "accommodation.requested")] == [
        {"note": "I need a written format, please.\nThanks"}
    ]
    empty = await client.post(url, headers=bearer(token))  # the note is optional, even the body
    assert empty.status_code == 200 and empty.json()["note"] == ""
    assert len(events_of(stored(sync_db, session_id), "accommodation.requested")) == 2


async def test_an_accommodation_request_needs_this_sessions_token_and_a_sane_note(client, sync_db):
    app_id = add_application(sync_db)
    started = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    session_id, token = started.json()["sessionId"], started.json()["token"]
    url = ACCOMMODATION.format(session_id=session_id)
    assert (await client.post(url, json={"note": "x"})).status_code == 401
    assert (await client.post(url, json={"note": "x"}, headers=bearer(candidate_token()))).status_code == 401
    too_long = await client.post(url, json={"note": "x" * 1001}, headers=bearer(token))
    assert too_long.status_code == 400 and too_long.json()["code"] == "INVALID_REQUEST"
    unsafe = await client.post(url, json={"note": "a\u0000b"}, headers=bearer(token))
    assert unsafe.status_code == 400
    assert "accommodationRequested" not in stored(sync_db, session_id)
