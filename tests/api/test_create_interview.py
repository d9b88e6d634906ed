"""The hiring team creates interviews (issue 20 §5): ``POST /api/review/interviews`` against the real
database. Created, the link opens the candidate's preview, idempotent on ``externalId`` (one after
the other and concurrently), every refusal, and the link's life follows ``INTERVIEW_INVITE_DAYS``.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from interview_app.api import paths
from interview_app.domain import tokens
from interview_app.domain.create_interview import InterviewRequest, NewApplication
from interview_app.domain.plan import parse_plan
from interview_app.storage.applications import ApplicationStore
from interview_app.ui import review_client
from tests.support.api_app import api_client, wait_for_indexes
from tests.support.review import reviewer, reviewer_token
from tests.support.secrets import CANDIDATE_SECRET
from tests.support.sessions import bearer, candidate_token, offline_token, session_token

URL = paths.REVIEW_INTERVIEWS
PLAN = {"questions": ["Tell me about a migration you led.", "How did you test it?"], "camera": "selfview"}


def body(**changes) -> dict:
    return {"jobTitle": "Customer Success Manager", "candidateName": "Grace Hopper", "interviewPlan": PLAN, **changes}


def token_of(invite_url: str) -> str:
    return parse_qs(urlsplit(invite_url).query)["token"][0]


async def create(client, who: str = "alice@example.com", **changes):
    return await client.post(URL, json=body(**changes), headers=reviewer(who))


async def test_created_application_and_its_link_opens_the_preview(settings, sync_db):
    async with api_client(replace(settings, require_auth=True)) as client:  # the link's token is needed
        await wait_for_indexes(client)
        before = datetime.now(UTC).replace(microsecond=0)
        response = await create(client, candidateEmail="grace@example.com", externalId="ats:42")
        assert response.status_code == 201, response.text
        answer = response.json()
        link = urlsplit(answer["inviteUrl"])
        assert (link.scheme, link.netloc, link.path) == ("http", "testserver", f"/interview/{answer['applicationId']}")

        stored = sync_db.applications.find_one({"_id": answer["applicationId"]})
        assert stored["userId"] == answer["userId"]
        assert stored["jobTitle"] == "Customer Success Manager"
        assert stored["candidateProfile"] == {"fullName": "Grace Hopper", "email": "grace@example.com"}
        assert stored["status"] == "interview_scheduled"
        assert stored["interviewPlan"] == {"questions": PLAN["questions"], "camera": "selfview", "language": "en"}
        assert stored["createdBy"] == "alice@example.com"  # the audit: which reviewer created it
        assert stored["externalId"] == "ats:42"
        assert stored["createdAt"] >= before

        identity = tokens.verify_candidate_token(CANDIDATE_SECRET, token_of(answer["inviteUrl"]))
        assert identity == tokens.CandidateIdentity(answer["userId"], answer["applicationId"])
        preview = await client.get(link.path.replace("/interview/", f"{paths.PREFIX}/applications/"), headers=bearer(
            token_of(answer["inviteUrl"])
        ))  # fmt: skip
        assert preview.status_code == 200, preview.text
        shown = preview.json()
        assert (shown["jobTitle"], shown["candidateName"], shown["status"]) == (
            "Customer Success Manager",
            "Grace Hopper",
            "open",
        )
        assert shown["interview"] == {"questionCount": 2, "expectedMinutes": 5, "language": "en", "camera": "selfview"}
        assert "email" not in preview.text  # the candidate's page is told nothing it does not show


async def test_no_plan_questions_and_a_given_candidate_id(client, sync_db):
    response = await client.post(
        URL, json=body(interviewPlan={"durationMinutes": 20}, userId="ats-user-7"), headers=reviewer()
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["userId"] == "ats-user-7"
    stored = sync_db.applications.find_one({"_id": answer["applicationId"]})
    assert stored["userId"] == "ats-user-7" and "externalId" not in stored and "email" not in stored["candidateProfile"]
    assert stored["interviewPlan"] == {"durationMinutes": 20, "language": "en", "camera": "off"}
    preview = await client.get(paths.APPLICATION.format(application_id=answer["applicationId"]))
    summary = preview.json()["interview"]
    assert summary["expectedMinutes"] == 20 and summary["questionCount"] >= 1  # suggested for the role


async def test_expiry_follows_interview_invite_days(settings, sync_db):
    async with api_client(replace(settings, invite_ttl=timedelta(days=3))) as client:
        await wait_for_indexes(client)
        response = await create(client)
    answer = response.json()
    expires = datetime.fromisoformat(answer["expiresAt"].replace("Z", "+00:00"))
    claims = jwt.decode(token_of(answer["inviteUrl"]), CANDIDATE_SECRET, algorithms=["HS256"])
    assert claims["exp"] == int(expires.timestamp())  # expiresAt is the token's own expiry
    assert claims["exp"] - claims["iat"] == 3 * 86_400
    assert abs(expires - (datetime.now(UTC) + timedelta(days=3))) < timedelta(seconds=30)


async def test_the_link_uses_the_public_url_or_the_origin_the_request_came_through(settings, sync_db):
    async with api_client(replace(settings, public_url="https://jobs.example.com")) as client:
        await wait_for_indexes(client)
        response = await create(client)
        assert response.json()["inviteUrl"].startswith("https://jobs.example.com/interview/app-")
    async with api_client(settings) as client:  # the test client's peer is 127.0.0.1: a trusted proxy
        await wait_for_indexes(client)
        forwarded = {**reviewer(), "X-Forwarded-Proto": "https", "X-Forwarded-Host": "interview.example.org:8443"}
        response = await client.post(URL, json=body(), headers=forwarded)
        assert response.json()["inviteUrl"].startswith("https://interview.example.org:8443/interview/")
        garbage = {**reviewer(), "X-Forwarded-Proto": "javascript", "X-Forwarded-Host": "evil/path?x="}
        response = await client.post(URL, json=body(), headers=garbage)
        assert response.json()["inviteUrl"].startswith("http://testserver/interview/")
    untrusted = replace(settings, trusted_proxies=())
    async with api_client(untrusted) as client:
        await wait_for_indexes(client)
        response = await client.post(URL, json=body(), headers=forwarded)
        assert response.json()["inviteUrl"].startswith("http://testserver/interview/")


async def test_a_retry_with_the_same_external_id_answers_the_same_application(client, sync_db):
    first = await create(client, externalId="greenhouse-123")
    again = await create(client, "bob@example.com", externalId="greenhouse-123")  # another reviewer retries
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["applicationId"] == first.json()["applicationId"]
    assert again.json()["userId"] == first.json()["userId"]
    assert again.json()["expiresAt"] >= first.json()["expiresAt"]  # a fresh link with a fresh expiry
    assert (
        tokens.verify_candidate_token(CANDIDATE_SECRET, token_of(again.json()["inviteUrl"])).application_id
        == (first.json()["applicationId"])
    )
    assert sync_db.applications.count_documents({"externalId": "greenhouse-123"}) == 1
    stored = sync_db.applications.find_one({"externalId": "greenhouse-123"})
    assert stored["createdBy"] == "alice@example.com"  # the creator, not the one who retried
    given_user = await create(client, externalId="greenhouse-123", userId=first.json()["userId"])
    assert given_user.status_code == 200  # naming the user it already has is the same interview
    other = await create(client, externalId="greenhouse-124")
    assert other.status_code == 201 and other.json()["applicationId"] != first.json()["applicationId"]


async def test_concurrent_retries_create_one_application(client, sync_db):
    responses = await asyncio.gather(*(create(client, externalId="lever-7") for _ in range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.text for r in responses]
    assert len({r.json()["applicationId"] for r in responses}) == 1
    assert sync_db.applications.count_documents({"externalId": "lever-7"}) == 1


async def test_concurrent_retries_with_different_bodies_conflict(client, sync_db):
    responses = await asyncio.gather(
        *(create(client, externalId="lever-8", jobTitle=f"Role {i % 2}") for i in range(6))
    )
    assert sorted({r.status_code for r in responses}) == [200, 201, 409]
    assert sync_db.applications.count_documents({"externalId": "lever-8"}) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"jobTitle": "Data Engineer"}, "jobTitle"),
        ({"candidateName": "Ada"}, "candidateName"),
        ({"candidateEmail": "x@example.com"}, "candidateEmail"),
        ({"interviewPlan": {**PLAN, "camera": "off"}}, "interviewPlan"),
        ({"userId": "someone-else"}, "userId"),
    ],
)
async def test_the_same_external_id_for_another_interview_is_a_conflict(client, sync_db, changes, field):
    first = await create(client, externalId="workday-9")
    assert first.status_code == 201
    response = await create(client, externalId="workday-9", **changes)
    assert response.status_code == 409
    assert response.json()["code"] == "EXTERNAL_ID_CONFLICT"
    assert field in response.json()["details"]
    assert sync_db.applications.count_documents({}) == 1
    assert sync_db.applications.find_one({})["jobTitle"] == "Customer Success Manager"  # unchanged


async def test_only_a_reviewer_may_create(client, sync_db, settings):
    refusals = {
        "missing": ({}, 401, "UNAUTHORIZED"),
        "garbage": (bearer("not-a-jwt"), 401, "UNAUTHORIZED"),
        "expired reviewer": (bearer(reviewer_token(hours=-1)), 401, "UNAUTHORIZED"),
        "reviewer signed elsewhere": (bearer(reviewer_token(secret="z" * 48)), 401, "UNAUTHORIZED"),
        "candidate": (bearer(candidate_token(application_id="app-1")), 403, "FORBIDDEN"),
        "session": (bearer(session_token("sess-1", "app-1")), 403, "FORBIDDEN"),
        "offline": (bearer(offline_token("app-1")), 403, "FORBIDDEN"),
    }
    for name, (headers, status, code) in refusals.items():
        response = await client.post(URL, json=body(), headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code), name
    assert sync_db.applications.count_documents({}) == 0
    async with api_client(replace(settings, reviewer_secret=None)) as off:
        await wait_for_indexes(off)
        response = await off.post(URL, json=body(), headers=reviewer())
    assert (response.status_code, response.json()["code"]) == (503, "REVIEW_DISABLED")
    assert sync_db.applications.count_documents({}) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"candidateName": "Grace", "interviewPlan": {}}, "jobTitle"),
        (body(jobTitle="   "), "jobTitle"),
        (body(jobTitle="x" * 201), "jobTitle"),
        (body(jobTitle="Engineer\u202e"), "jobTitle"),
        (body(candidateName=42), "candidateName"),
        (body(candidateEmail="not-an-email"), "candidateEmail"),
        (body(interviewPlan=["q1"]), "interviewPlan"),
        (body(interviewPlan=None), "interviewPlan"),
        (body(externalId="has space"), "externalId"),
        (body(externalId="x" * 129), "externalId"),
        (body(userId="../admin"), "userId"),
        (body(status="interview_completed"), "status"),  # unknown members are refused
        ({"jobTitle": "Engineer", "candidateName": "Grace"}, "interviewPlan"),
    ],
)
async def test_a_body_that_is_not_an_interview_is_a_validation_error(client, sync_db, payload, field):
    response = await client.post(URL, json=payload, headers=reviewer())
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert response.json()["details"].startswith(field)
    assert sync_db.applications.count_documents({}) == 0


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"questions": [f"Q{i}?" for i in range(16)]}, "interviewPlan.questions"),
        ({"questions": ["fine", "  "]}, "interviewPlan.questions[1]"),
        ({"durationMinutes": 3}, "interviewPlan.durationMinutes"),
        ({"language": "english please"}, "interviewPlan.language"),
        ({"camera": "always"}, "interviewPlan.camera"),
        ({"voice": "alloy"}, "'voice'"),
    ],
)
async def test_a_plan_the_interviewers_cannot_run_is_refused(client, sync_db, plan, field):
    response = await client.post(URL, json=body(interviewPlan=plan), headers=reviewer())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "INVALID_INTERVIEW_PLAN"
    assert field in response.json()["details"]
    assert sync_db.applications.count_documents({}) == 0


async def test_bodies_that_are_not_json(client, sync_db):
    as_text = await client.post(URL, content="jobTitle=x", headers={**reviewer(), "Content-Type": "text/plain"})
    assert (as_text.status_code, as_text.json()["code"]) == (415, "INVALID_REQUEST")
    broken = await client.post(URL, content="{", headers={**reviewer(), "Content-Type": "application/json"})
    assert (broken.status_code, broken.json()["code"]) == (400, "INVALID_REQUEST")
    huge = await client.post(URL, json=body(jobTitle="x" * 20_000), headers=reviewer())
    assert (huge.status_code, huge.json()["code"]) == (413, "PAYLOAD_TOO_LARGE")
    assert sync_db.applications.count_documents({}) == 0


async def test_the_unique_index_alone_lets_one_insert_win(client, sync_db):
    """Without the read before it (two requests that both found nothing): the index decides."""
    store = ApplicationStore(client.api.state.runtime.database)
    request = InterviewRequest("Engineer", "Grace", parse_plan({}), external_id="race-1")
    now = datetime.now(UTC)
    new = [NewApplication(f"app-race-{i}", "cand-1", request, "alice", now) for i in range(8)]
    won = await asyncio.gather(*(store.insert_application(application) for application in new))
    assert sorted(won) == [False] * 7 + [True]
    assert sync_db.applications.count_documents({"externalId": "race-1"}) == 1
    assert "externalId_unique" in sync_db.applications.index_information()


async def test_a_whole_number_written_as_a_float_is_a_whole_number(client, sync_db):
    """JSON does not tell 20 from 20.0 (and a JavaScript client sends what it has)."""
    response = await client.post(URL, json=body(interviewPlan={"durationMinutes": 20.0}), headers=reviewer())
    assert response.status_code == 201, response.text
    stored = sync_db.applications.find_one({"_id": response.json()["applicationId"]})
    assert stored["interviewPlan"]["durationMinutes"] == 20 and isinstance(
        stored["interviewPlan"]["durationMinutes"], int
    )
    half = await client.post(URL, json=body(interviewPlan={"durationMinutes": 20.5}), headers=reviewer())
    assert (half.status_code, half.json()["code"]) == (422, "INVALID_INTERVIEW_PLAN")


async def test_the_console_gets_a_link_to_the_page_the_reviewer_uses(client, sync_db):
    """``/review/new`` calls the API from its backend (no INTERVIEW_PUBLIC_URL here): the link still
    points at the page's origin, which the console forwards, not at the backend's own address."""
    transport = httpx.ASGITransport(app=client.api)
    outcome = await review_client.create_interview(
        "http://127.0.0.1:8000", reviewer_token(), body(), "http://localhost:3000", transport=transport
    )
    assert isinstance(outcome, review_client.Reply) and outcome.status == 201
    assert outcome.body["inviteUrl"].startswith("http://localhost:3000/interview/app-")
    refused = await review_client.create_interview(
        "http://127.0.0.1:8000", reviewer_token(), body(jobTitle=""), "http://localhost:3000", transport=transport
    )
    assert isinstance(refused, review_client.Problem)
    assert (refused.status, refused.code, refused.details.split(":")[0]) == (400, "VALIDATION_ERROR", "jobTitle")
