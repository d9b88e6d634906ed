"""The app's own scorer (started by the lifespan): an end over HTTP wakes it, so a consented session is
scored at once (the poll is an hour here), and an unconsented one never is."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from interview_app.api import paths
from interview_app.storage.sessions import item_document
from tests.support.api_app import add_application, api_client, make_settings, wait_for_indexes
from tests.support.scoring_data import interview
from tests.support.sessions import bearer, offline_token, start


@pytest.fixture
async def app_client(mongo_uri, db_name, tmp_path):
    settings = make_settings(mongo_uri, db_name, tmp_path, scoring_concurrency=2, scoring_poll=timedelta(hours=1))
    async with api_client(settings) as client:
        await wait_for_indexes(client)
        yield client


async def started(client, sync_db, consent: bool) -> tuple[str, str]:
    session_id, token = await start(client, add_application(sync_db))
    fields: dict = {"transcript": [item_document(item) for item in interview()]}
    if consent:  # branch `consent` stores this at start (contract C4)
        fields["consent"] = {"at": time.time(), "noticeVersion": "notice-1"}
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": fields})
    return session_id, token


async def scoring_of(sync_db, session_id: str, until: set[str], timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        scoring = sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"]
        if scoring["status"] in until or time.monotonic() > deadline:
            return scoring
        await asyncio.sleep(0.05)


async def test_an_end_in_this_process_wakes_its_scorer(app_client, sync_db):
    session_id, token = await started(app_client, sync_db, consent=True)
    ended_at = time.monotonic()
    response = await app_client.post(
        paths.SESSION_END.format(session_id=session_id), json={"reason": "interview_complete"}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    scoring = await scoring_of(sync_db, session_id, {"scored"})
    assert scoring["status"] == "scored" and scoring["provider"] == "local"
    assert time.monotonic() - ended_at < 5  # woken by the end, not by the (hour-long) poll


async def test_an_unconsented_session_is_not_scored(app_client, sync_db):
    session_id, token = await started(app_client, sync_db, consent=False)
    response = await app_client.post(
        paths.SESSION_END.format(session_id=session_id), json={"reason": "candidate_ended"}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    await asyncio.sleep(0.5)
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert doc["scoring"] == {"status": "not_consented"} and "finalScore" not in doc


async def test_a_reconciled_offline_interview_is_queued_and_scored_unverified(app_client, sync_db):
    app_id = add_application(sync_db)
    body = {"applicationId": app_id, "metadata": {"offline": True}, "offlineGrant": offline_token(app_id, 20)}
    response = await app_client.post(paths.START_SESSION, json=body)
    assert response.status_code == 201, response.text
    session_id, token = response.json()["sessionId"], response.json()["token"]
    transcript = [item_document(item) for item in interview(source="offline")]
    consent = {"at": time.time(), "noticeVersion": "notice-1"}
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id}, {"$set": {"transcript": transcript, "consent": consent}}
    )
    response = await app_client.post(
        paths.SESSION_END.format(session_id=session_id), json={"reason": "interview_complete"}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    scoring = await scoring_of(sync_db, session_id, {"scored"})
    assert scoring["status"] == "scored" and scoring["transcriptVerified"] is False
