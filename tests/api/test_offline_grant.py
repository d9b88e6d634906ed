"""Regression (issue 15 C8): an offline interview is recorded only with the grant the server issued.

On the old code start-session accepted ``metadata.offline`` with a ``startedAt`` of the client's
choosing (a 2-hour "completed interview" that never happened), any number of times, and counted
the rate limit by that claimed start; ``offlineGrant`` did not exist (400).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from interview_app.api import paths
from interview_app.domain import tokens
from tests.support.api_app import add_application
from tests.support.secrets import SESSION_SECRET
from tests.support.sessions import offline_token, session_token


def reconcile(app_id: str, grant: str | None, **metadata) -> dict:
    body: dict = {"applicationId": app_id, "metadata": {"offline": True, **metadata}}
    if grant is not None:
        body["offlineGrant"] = grant
    return body


async def test_offline_without_a_grant_is_refused(client, sync_db):
    app_id = add_application(sync_db)
    began = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    response = await client.post(paths.START_SESSION, json=reconcile(app_id, None, startedAt=began))
    assert response.status_code == 400 and response.json()["code"] == "OFFLINE_GRANT_REQUIRED"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 0


async def test_the_start_is_the_grants_iat_and_a_replay_is_409(client, sync_db):
    app_id = add_application(sync_db)
    grant = offline_token(app_id, minutes_ago=25)  # expired 30 minutes after, not a reason to refuse
    claimed = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    first = await client.post(paths.START_SESSION, json=reconcile(app_id, grant, startedAt=claimed))
    assert first.status_code == 201, first.text
    stored = sync_db.interviewSessions.find_one({"sessionId": first.json()["sessionId"]})
    iat = jwt.decode(grant, options={"verify_signature": False})["iat"]
    assert stored["startedAt"] == datetime.fromtimestamp(iat, UTC)
    assert stored["metadata"]["offline"] is True
    assert [e["type"] for e in stored["events"]] == ["session.started", "offline.reconciled"]

    replay = await client.post(paths.START_SESSION, json=reconcile(app_id, grant))
    assert replay.status_code == 409 and replay.json()["code"] == "OFFLINE_GRANT_USED"
    plain = await client.post(paths.START_SESSION, json={"applicationId": app_id})  # what the page does then
    assert plain.status_code == 200 and plain.json()["sessionId"] == first.json()["sessionId"]
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 1


async def test_an_expired_grant_is_still_accepted_for_days(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(
        paths.START_SESSION, json=reconcile(app_id, offline_token(app_id, minutes_ago=3 * 24 * 60))
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "grant",
    [
        "not.a.jwt",
        "OTHER_APPLICATION",
        "SESSION_TOKEN",
        "FORGED",
        "EIGHT_DAYS_OLD",
        "FROM_THE_FUTURE",
    ],
)
async def test_a_grant_that_does_not_verify_is_400(client, sync_db, grant):
    app_id = add_application(sync_db)
    now = datetime.now(UTC)
    grant = {
        "OTHER_APPLICATION": offline_token("another-application"),
        "SESSION_TOKEN": session_token("s-1", app_id),
        "FORGED": tokens.mint_offline_token("f" * 48, app_id, now)[0],
        "EIGHT_DAYS_OLD": offline_token(app_id, minutes_ago=8 * 24 * 60),
        "FROM_THE_FUTURE": tokens.mint_offline_token(SESSION_SECRET, app_id, now + timedelta(hours=1))[0],
    }.get(grant, grant)
    response = await client.post(paths.START_SESSION, json=reconcile(app_id, grant))
    assert response.status_code == 400 and response.json()["code"] == "INVALID_OFFLINE_GRANT", response.text
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 0


async def test_the_rate_limit_counts_sessions_by_when_they_were_stored(client, sync_db):
    """Three reconciled interviews whose grants are 20 minutes old were all stored now: a fourth is 429."""
    app_id = add_application(sync_db)
    for _ in range(3):
        response = await client.post(paths.START_SESSION, json=reconcile(app_id, offline_token(app_id, minutes_ago=20)))
        assert response.status_code == 201, response.text
        sync_db.interviewSessions.update_one(  # quiet for 6 minutes: the next start is a new session
            {"applicationId": app_id, "status": "in_progress"},
            {"$set": {"lastActivityAt": datetime.now(UTC) - timedelta(minutes=6)}},
        )
    fourth = await client.post(paths.START_SESSION, json=reconcile(app_id, offline_token(app_id, minutes_ago=20)))
    assert fourth.status_code == 429 and fourth.json()["code"] == "RATE_LIMITED"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 3
