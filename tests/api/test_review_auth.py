"""Who may use the review API, and that a reviewer token opens nothing else (issue 18 §1, §5).

Every token kind on every review route, and the reviewer token on every candidate route, against
the real database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from interview_app.api import paths
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.review import REVIEW_ROUTES, insert_session, reviewer_token
from tests.support.secrets import CANDIDATE_SECRET, SESSION_SECRET
from tests.support.sessions import bearer, candidate_token, offline_token, session_token, start

SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"


def expired_reviewer_token() -> str:
    from tests.support.secrets import REVIEWER_SECRET

    return tokens.mint_reviewer_token(REVIEWER_SECRET, "alice", utcnow().replace(year=2020))[0]


async def call(client, method: str, url: str, headers: dict):
    if method == "POST" and url.endswith("/decision"):
        return await client.post(url, json={"decision": "hold"}, headers=headers)
    return await client.request(method, url, headers=headers)


@pytest.mark.parametrize(("method", "route"), REVIEW_ROUTES, ids=[f"{m} {r}" for m, r in REVIEW_ROUTES])
async def test_every_review_route_wants_a_reviewer_token(client, sync_db, method, route):
    app_id = add_application(sync_db)
    consent = {"at": datetime(2026, 1, 1, tzinfo=UTC), "noticeVersion": "notice-1"}  # a re-score needs it
    session_id = insert_session(sync_db, applicationId=app_id, consent=consent)
    url = route.format(session_id=session_id)
    refusals = {
        "missing": ({}, 401, "UNAUTHORIZED"),
        "not a bearer": ({"Authorization": "Basic abc"}, 401, "UNAUTHORIZED"),
        "garbage": (bearer("not-a-jwt"), 401, "UNAUTHORIZED"),
        "expired reviewer": (bearer(expired_reviewer_token()), 401, "UNAUTHORIZED"),
        "reviewer signed elsewhere": (bearer(reviewer_token(secret="z" * 48)), 401, "UNAUTHORIZED"),
        "reviewer forged with the session secret": (bearer(reviewer_token(secret=SESSION_SECRET)), 401, "UNAUTHORIZED"),
        "candidate": (bearer(candidate_token(application_id=app_id)), 403, "FORBIDDEN"),
        "session": (bearer(session_token(session_id, app_id)), 403, "FORBIDDEN"),
        "offline": (bearer(offline_token(app_id)), 403, "FORBIDDEN"),
    }
    for name, (headers, status, code) in refusals.items():
        response = await call(client, method, url, headers)
        assert response.status_code == status, name
        assert response.json()["code"] == code, name
    stored = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert "review" not in stored and "erased" not in stored and "scoring" not in stored  # nothing written
    accepted = await call(client, method, url, bearer(reviewer_token()))
    assert accepted.status_code in (200, 202), (accepted.status_code, accepted.text)


async def test_the_review_api_is_off_without_a_reviewer_secret(settings, sync_db):
    async with api_client(replace(settings, reviewer_secret=None)) as client:
        await wait_for_indexes(client)
        response = await client.get(paths.REVIEW_SESSIONS, headers=bearer(reviewer_token()))
    assert response.status_code == 503
    assert response.json()["code"] == "REVIEW_DISABLED"


def candidate_routes(app_id: str, session_id: str) -> list[tuple[str, str, dict]]:
    """(method, url, request arguments) of every route a candidate's page calls."""
    session = lambda template: template.format(session_id=session_id)  # noqa: E731
    return [
        ("POST", paths.START_SESSION, {"json": {"applicationId": app_id}}),
        ("GET", paths.APPLICATION.format(application_id=app_id), {}),
        ("GET", session(paths.SESSION), {}),
        ("POST", session(paths.SESSION_HEARTBEAT), {}),
        (
            "POST",
            session(paths.SESSION_TRANSCRIPT),
            {"json": {"items": [{"id": "a", "role": "candidate", "text": "x"}]}},
        ),
        ("POST", session(paths.SESSION_DROPPED), {"json": {"items": [{"itemId": "a", "code": "X"}]}}),
        ("POST", session(paths.SESSION_END), {}),
        ("POST", paths.REALTIME_CALLS, {"content": SDP, "headers": {"Content-Type": "application/sdp"}}),
        ("DELETE", paths.REALTIME_CALL.format(call_id="call-1"), {}),
    ]


@pytest.mark.parametrize(
    "reviewer_secret",
    ["own secret", CANDIDATE_SECRET, SESSION_SECRET],
    ids=["own secret", "same as the candidate secret", "same as the session secret"],
)
async def test_a_reviewer_token_is_refused_on_every_candidate_route(settings, sync_db, reviewer_secret):
    """Even signed with the candidate's or the session's secret (a dev setup where one secret
    signs all), its ``type`` keeps it out: before, a reviewer token signed with the candidate
    secret passed for a candidate token."""
    secret = settings.reviewer_secret if reviewer_secret == "own secret" else reviewer_secret
    async with api_client(replace(settings, reviewer_secret=secret, require_auth=True)) as client:
        await wait_for_indexes(client)
        app_id = add_application(sync_db, user_id="alice@example.com")
        token = tokens.mint_reviewer_token(secret, "alice@example.com", utcnow())[0]
        # a session exists, started by the candidate, so a refusal is about the token alone
        response = await client.post(
            paths.START_SESSION, json={"applicationId": app_id}, headers=bearer(candidate_token("alice@example.com"))
        )
        session_id = response.json()["sessionId"]
        for method, url, arguments in candidate_routes(app_id, session_id):
            headers = {**arguments.pop("headers", {}), **bearer(token)}
            response = await client.request(method, url, headers=headers, **arguments)
            assert response.status_code == 401, (method, url, response.status_code, response.text)
            assert response.json()["code"] == "UNAUTHORIZED", (method, url)
        stored = sync_db.interviewSessions.find_one({"sessionId": session_id})
        assert stored["status"] == "in_progress" and stored["transcript"] == []


async def test_a_reviewer_never_passes_for_the_candidate_even_without_auth(client, sync_db):
    """With ``INTERVIEW_REQUIRE_AUTH=false`` a bad token is still refused, a reviewer's included."""
    app_id = add_application(sync_db)
    response = await client.post(paths.START_SESSION, json={"applicationId": app_id}, headers=bearer(reviewer_token()))
    assert response.status_code == 401
    session_id, _ = await start(client, app_id)  # the candidate herself still can
    assert session_id
