"""Integration tests of ``POST /api/interview/start-session`` over HTTP against a real database."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.api_app import add_application, api_client, make_settings, wait_for_indexes
from tests.support.secrets import CANDIDATE_SECRET, SESSION_SECRET

URL = "/api/interview/start-session"
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)"
    " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def candidate_token(user_id="user-1", application_id=None, secret=CANDIDATE_SECRET, minutes=10):
    return tokens.mint_candidate_token(secret, user_id, application_id, utcnow(), ttl=timedelta(minutes=minutes))


def age_in_progress(sync_db, app_id, minutes, active_minutes_ago=None):
    """Make the in-progress session older; its last activity too, unless told otherwise."""
    now = datetime.now(UTC)
    idle = minutes if active_minutes_ago is None else active_minutes_ago
    sync_db.interviewSessions.update_one(
        {"applicationId": app_id, "status": "in_progress"},
        {"$set": {"startedAt": now - timedelta(minutes=minutes), "lastActivityAt": now - timedelta(minutes=idle)}},
    )


async def test_start_stores_the_session_then_answers_201(client, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer", name="Grace Hopper")
    response = await client.post(
        URL, json={"applicationId": app_id, "metadata": {"networkQuality": "good"}}, headers={"User-Agent": IPAD}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["application"] == {"id": app_id, "jobTitle": "Data Engineer", "candidateName": "Grace Hopper"}
    stored = sync_db.interviewSessions.find_one({"sessionId": body["sessionId"]})
    assert stored["status"] == "in_progress" and stored["candidateId"] == "user-1"
    assert stored["metadata"] == {
        "userAgent": IPAD,
        "ipAddress": "127.0.0.1",
        "deviceType": "tablet",
        "networkQuality": "good",
    }
    assert isinstance(stored["startedAt"], datetime) and stored["startedAt"].utcoffset() == timedelta(0)
    assert [e["type"] for e in stored["events"]] == ["session.started"]
    claims = tokens.verify_session_token(SESSION_SECRET, body["token"])
    assert claims["sessionId"] == body["sessionId"] and claims["applicationId"] == app_id
    expires = datetime.strptime(body["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert int(expires.timestamp()) == claims["exp"] and claims["exp"] - claims["iat"] == 1800


async def test_quick_retry_reuses_the_session_with_a_fresh_token(client, sync_db):
    app_id = add_application(sync_db)
    first = await client.post(URL, json={"applicationId": app_id})
    second = await client.post(URL, json={"applicationId": app_id})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["sessionId"] == first.json()["sessionId"]
    tokens.verify_session_token(SESSION_SECRET, second.json()["token"])
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 1


async def test_stale_session_is_abandoned_and_a_new_one_starts(client, sync_db):
    app_id = add_application(sync_db)
    old = (await client.post(URL, json={"applicationId": app_id})).json()["sessionId"]
    age_in_progress(sync_db, app_id, minutes=5)
    response = await client.post(URL, json={"applicationId": app_id})
    assert response.status_code == 201 and response.json()["sessionId"] != old
    abandoned = sync_db.interviewSessions.find_one({"sessionId": old})
    assert abandoned["status"] == "abandoned"
    assert abandoned["events"][-1]["type"] == "session.abandoned"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id, "status": "in_progress"}) == 1


async def test_fourth_new_session_in_ten_minutes_is_rate_limited(client, sync_db):
    app_id = add_application(sync_db)
    for _ in range(3):
        assert (await client.post(URL, json={"applicationId": app_id})).status_code == 201
        age_in_progress(sync_db, app_id, minutes=5.1)  # makes the next start a new session
    response = await client.post(URL, json={"applicationId": app_id})
    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 600
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 3


async def test_reuses_do_not_count_towards_the_rate_limit(client, sync_db):
    app_id = add_application(sync_db)
    statuses = [(await client.post(URL, json={"applicationId": app_id})).status_code for _ in range(6)]
    assert statuses == [201, 200, 200, 200, 200, 200]


async def test_unknown_application_is_404(client, sync_db):
    response = await client.post(URL, json={"applicationId": "no-such-application"})
    assert response.status_code == 404
    assert response.json()["code"] == "INVALID_APPLICATION"


@pytest.mark.parametrize("how", ["application_status", "completed_session"])
async def test_completed_interview_is_400_with_details(client, sync_db, how):
    app_id = add_application(
        sync_db, status="interview_completed" if how == "application_status" else "interview_scheduled"
    )
    if how == "completed_session":
        sync_db.interviewSessions.insert_one(
            {
                "sessionId": "done-1",
                "applicationId": app_id,
                "status": "completed",
                "startedAt": datetime.now(UTC) - timedelta(days=1),
            }
        )
    response = await client.post(URL, json={"applicationId": app_id})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_APPLICATION" and "already" in body["details"]
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id, "status": "in_progress"}) == 0


async def test_owner_token_is_accepted(client, sync_db):
    app_id = add_application(sync_db, user_id="owner")
    headers = {"Authorization": f"Bearer {candidate_token('owner', app_id)}"}
    assert (await client.post(URL, json={"applicationId": app_id}, headers=headers)).status_code == 201


@pytest.mark.parametrize("token_for", ["other_user", "other_application"])
async def test_token_of_someone_else_is_answered_as_an_unknown_application(client, sync_db, token_for):
    """Issue 15 C10: the very answer an unknown application gets (it was 403), so ids cannot be probed."""
    app_id = add_application(sync_db, user_id="owner")
    token = candidate_token("intruder") if token_for == "other_user" else candidate_token("owner", "another-app")
    response = await client.post(URL, json={"applicationId": app_id}, headers={"Authorization": f"Bearer {token}"})
    unknown = await client.post(
        URL, json={"applicationId": "no-such-application"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == unknown.status_code == 404
    assert response.json()["code"] == unknown.json()["code"] == "INVALID_APPLICATION"
    assert response.json()["error"] == unknown.json()["error"]
    assert sync_db.interviewSessions.count_documents({}) == 0


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "",
        pytest.param("EXPIRED", id="expired"),
        pytest.param("FOREIGN", id="foreign-secret"),
        pytest.param("NONE", id="alg-none"),
        pytest.param("SESSION", id="session-token-as-candidate"),
    ],
)
async def test_bad_candidate_tokens_are_401(client, sync_db, token):
    app_id = add_application(sync_db, user_id="owner")
    now = int(datetime.now(UTC).timestamp())
    token = {
        "EXPIRED": candidate_token("owner", minutes=-1),
        "FOREIGN": candidate_token("owner", secret="f" * 48),
        "NONE": jwt.encode({"sub": "owner", "exp": now + 60}, None, algorithm="none"),  # pyright: ignore[reportArgumentType]
        "SESSION": tokens.mint_session_token(CANDIDATE_SECRET, "s", app_id, utcnow())[0],
    }.get(token, token)
    response = await client.post(URL, json={"applicationId": app_id}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.json()["code"] == "UNAUTHORIZED"
    assert sync_db.interviewSessions.count_documents({}) == 0


async def test_non_bearer_authorization_is_401(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(URL, json={"applicationId": app_id}, headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert response.status_code == 401


async def test_require_auth_refuses_anonymous_requests(mongo_uri, db_name, tmp_path, sync_db):
    app_id = add_application(sync_db)
    async with api_client(make_settings(mongo_uri, db_name, tmp_path, require_auth=True)) as strict:
        await wait_for_indexes(strict)
        anonymous = await strict.post(URL, json={"applicationId": app_id})
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "UNAUTHORIZED"
        signed = await strict.post(
            URL, json={"applicationId": app_id}, headers={"Authorization": f"Bearer {candidate_token('user-1')}"}
        )
        assert signed.status_code == 201


async def test_forwarded_for_from_trusted_proxy_is_the_ip_address(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(URL, json={"applicationId": app_id}, headers={"X-Forwarded-For": "198.51.100.7"})
    stored = sync_db.interviewSessions.find_one({"sessionId": response.json()["sessionId"]})
    assert stored["metadata"]["ipAddress"] == "198.51.100.7"


async def test_forwarded_for_from_untrusted_peer_is_ignored(mongo_uri, db_name, tmp_path, sync_db):
    app_id = add_application(sync_db)
    settings = make_settings(mongo_uri, db_name, tmp_path, trusted_proxies=())
    async with api_client(settings) as client:
        await wait_for_indexes(client)
        response = await client.post(URL, json={"applicationId": app_id}, headers={"X-Forwarded-For": "198.51.100.7"})
    stored = sync_db.interviewSessions.find_one({"sessionId": response.json()["sessionId"]})
    assert stored["metadata"]["ipAddress"] == "127.0.0.1"


async def test_sent_device_type_wins_over_user_agent(client, sync_db):
    app_id = add_application(sync_db)
    response = await client.post(
        URL,
        json={"applicationId": app_id, "metadata": {"deviceType": "mobile", "userAgent": "X"}},
        headers={"User-Agent": IPAD},
    )
    stored = sync_db.interviewSessions.find_one({"sessionId": response.json()["sessionId"]})
    assert stored["metadata"]["deviceType"] == "mobile" and stored["metadata"]["userAgent"] == "X"


async def test_indexes_exist(client, sync_db):
    indexes = sync_db.interviewSessions.index_information()
    assert indexes["sessionId_unique"]["unique"]
    assert indexes["one_in_progress_per_application"]["partialFilterExpression"] == {"status": "in_progress"}
    assert indexes["applicationId_status"]["key"] == [("applicationId", 1), ("status", 1)]
    assert indexes["startedAt_desc"]["key"] == [("startedAt", -1)]


async def test_health_is_ok_with_the_database_up(client):
    response = await client.get("/api/health")
    assert response.status_code == 200 and response.json()["database"] == "ok"


async def test_openapi_documents_the_endpoint(client):
    spec = (await client.get("/api/openapi.json")).json()
    operation = spec["paths"]["/api/interview/start-session"]["post"]
    assert {"201", "200", "400", "429"} <= set(operation["responses"])
