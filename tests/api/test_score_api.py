"""``GET /api/interview/sessions/{id}/score`` (issue 17 §5, contract C5) against a real database.

The scorer's C2 fields are written straight into the database (``tests/support/scores.py``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from interview_app.api import paths
from interview_app.domain import notice
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.scores import ANSWER, QUESTION, set_score
from tests.support.sessions import bearer, candidate_token, offline_token, session_token

SCORE_FIELDS = {
    "sessionId", "status", "finalScore", "scoreBreakdown", "dimensions", "summary", "provider", "model",
    "rubricVersion", "transcriptVerified", "scoredAt", "reason",
}  # fmt: skip


async def start_and_end(client, app_id: str, consent: bool = True, end: bool = True) -> tuple[str, str]:
    body: dict = {"applicationId": app_id}
    if consent:
        body["consent"] = {"noticeVersion": notice.NOTICE_VERSION}
    started = await client.post(paths.START_SESSION, json=body, headers=bearer(candidate_token()))
    session_id, token = started.json()["sessionId"], started.json()["token"]
    if end:
        assert (
            await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
        ).status_code == 200
    return session_id, token


def score_url(session_id: str) -> str:
    return paths.SESSION_SCORE.format(session_id=session_id)


async def test_a_scored_session_answers_every_c2_field_with_the_questions(client, sync_db):
    app_id = add_application(sync_db)
    session_id, token = await start_and_end(client, app_id)
    set_score(sync_db, session_id, "scored")
    response = await client.get(score_url(session_id), headers=bearer(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == SCORE_FIELDS
    assert body["sessionId"] == session_id and body["status"] == "scored"
    assert body["finalScore"] == 70
    assert body["scoreBreakdown"] == {"clarity": 80, "correctness": 70, "depth": 61}
    assert body["summary"] == "A clear answer with one concrete result."
    assert (body["provider"], body["model"], body["rubricVersion"]) == ("openai", "gpt-test", "rubric-1")
    assert body["transcriptVerified"] is True and body["scoredAt"] == "2026-11-30T10:06:00Z"
    clarity = body["dimensions"]["clarity"]
    assert clarity["score"] == 80 and clarity["rationale"].startswith("The answer is structured")
    assert clarity["evidence"] == [{"itemId": "c1", "quote": "I designed a queue", "question": QUESTION}]
    assert ANSWER.find(clarity["evidence"][0]["quote"]) >= 0
    assert set(body["dimensions"]) == {"clarity", "correctness", "depth"}
    read = (await client.get(paths.SESSION.format(session_id=session_id), headers=bearer(token))).json()
    assert read["finalScore"] == 70 and read["scoreBreakdown"]["depth"] == 61  # the session read carries them


async def test_the_candidate_token_of_the_application_reads_it_from_a_fresh_tab(client, sync_db):
    app_id = add_application(sync_db, user_id="user-1")
    session_id, _ = await start_and_end(client, app_id)
    set_score(sync_db, session_id, "scored")
    for token in (candidate_token("user-1"), candidate_token("user-1", application_id=app_id)):
        response = await client.get(score_url(session_id), headers=bearer(token))
        assert response.status_code == 200 and response.json()["finalScore"] == 70


async def test_anyone_else_is_refused_as_elsewhere(client, sync_db):
    app_id = add_application(sync_db, user_id="user-1")
    session_id, _ = await start_and_end(client, app_id)
    set_score(sync_db, session_id, "scored")
    url = score_url(session_id)
    refusals = {
        "garbage": (bearer("not-a-jwt"), 401, "UNAUTHORIZED"),
        "offline token": (bearer(offline_token(app_id)), 401, "UNAUTHORIZED"),
        "foreign secret": (bearer(session_token(session_id, app_id, secret="x" * 48)), 401, "UNAUTHORIZED"),
        "another session": (bearer(session_token("another-session", app_id)), 403, "FORBIDDEN"),
        "another candidate": (bearer(candidate_token("user-2")), 404, "SESSION_NOT_FOUND"),
        "another application": (bearer(candidate_token("user-1", application_id="other")), 404, "SESSION_NOT_FOUND"),
    }
    for name, (headers, status, code) in refusals.items():
        response = await client.get(url, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code), name
        assert "finalScore" not in response.json(), name
    unknown = await client.get(score_url("no-such-session"), headers=bearer(session_token("no-such-session")))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "SESSION_NOT_FOUND")


async def test_without_a_token_it_is_401_when_candidate_tokens_are_required(settings, sync_db):
    async with api_client(replace(settings, require_auth=True)) as client:
        await wait_for_indexes(client)
        app_id = add_application(sync_db)
        session_id, _ = await start_and_end(client, app_id)
        response = await client.get(score_url(session_id))
        assert (response.status_code, response.json()["code"]) == (401, "UNAUTHORIZED")


async def test_an_interview_in_progress_is_409(client, sync_db):
    app_id = add_application(sync_db)
    session_id, token = await start_and_end(client, app_id, end=False)
    response = await client.get(score_url(session_id), headers=bearer(token))
    assert (response.status_code, response.json()["code"]) == (409, "SESSION_NOT_COMPLETED")


@pytest.mark.parametrize("status", ["pending", "running", "insufficient", "failed", "not_consented"])
async def test_other_statuses_carry_no_numbers(client, sync_db, status):
    app_id = add_application(sync_db)
    session_id, token = await start_and_end(client, app_id)
    set_score(sync_db, session_id, status)
    body = (await client.get(score_url(session_id), headers=bearer(token))).json()
    assert body["status"] == status
    assert body["finalScore"] is None and body["scoreBreakdown"] is None
    assert body["dimensions"] is None and body["summary"] is None
    if status == "insufficient":
        assert body["reason"] == "too_few_answers" and body["provider"] == "local"


async def test_a_session_the_scorer_never_saw_is_pending_with_consent_and_not_consented_without(client, sync_db):
    app_id = add_application(sync_db)
    consented, token = await start_and_end(client, app_id)
    body = (await client.get(score_url(consented), headers=bearer(token))).json()
    assert body["status"] == "pending"
    other = add_application(sync_db)
    refused, other_token = await start_and_end(client, other, consent=False)
    assert (await client.get(score_url(refused), headers=bearer(other_token))).json()["status"] == "not_consented"


async def test_show_score_false_gives_the_status_only(settings, sync_db):
    async with api_client(replace(settings, show_score=False)) as client:
        await wait_for_indexes(client)
        app_id = add_application(sync_db)
        session_id, token = await start_and_end(client, app_id)
        set_score(sync_db, session_id, "scored")
        body = (await client.get(score_url(session_id), headers=bearer(token))).json()
        assert body["status"] == "scored"
        assert body["finalScore"] is None and body["scoreBreakdown"] is None
        assert body["dimensions"] is None and body["summary"] is None
        read = (await client.get(paths.SESSION.format(session_id=session_id), headers=bearer(token))).json()
        assert read["finalScore"] is None and read["scoreBreakdown"] is None  # the session read hides them too


async def test_malformed_stored_fields_never_make_a_500(client, sync_db):
    """What the scorer wrote is read defensively: odd types become nulls, never a server error."""
    app_id = add_application(sync_db)
    session_id, token = await start_and_end(client, app_id)
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id},
        {
            "$set": {
                "finalScore": "high",
                "scoreBreakdown": {"clarity": "x", "depth": 50.6},
                "scoring": {"status": "scored", "dimensions": {"clarity": {"evidence": [{"itemId": 3}, "q"]}}},
            }
        },
    )
    response = await client.get(score_url(session_id), headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["finalScore"] is None and body["scoreBreakdown"] == {"depth": 51}
    assert body["dimensions"]["clarity"] == {"score": None, "rationale": None, "evidence": []}
