"""The OpenAI judge against a fake ``/responses`` on a real database: the request, and each kind of answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from interview_app.domain.scoring import prompt, rubric, score_next
from interview_app.scoring.openai_judge import OpenAIJudge
from tests.support.fake_openai_responses import FakeResponses
from tests.support.scoring_data import ANSWERS, INJECTION, REPETITIVE, interview
from tests.support.scoring_sessions import add_session

NOW = datetime.now(UTC).replace(microsecond=0)
MODEL = "gpt-4.1-mini"


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


async def ended(sessions, sync_db, transcript=None) -> str:
    session_id = add_session(sync_db, transcript)
    assert await sessions.complete(session_id, NOW, 300, "interview_complete")
    return session_id


async def play(queue, judge, rounds: int = 1) -> list:
    """``rounds`` claims, ten minutes apart (past any back-off)."""
    outcomes = []
    for index in range(rounds):
        at = NOW + timedelta(minutes=10 * index)
        outcomes.append(await score_next(queue, judge, lambda at=at: at, 120))
    return outcomes


def judge_for(fake: FakeResponses, http, timeout: float = 5.0) -> OpenAIJudge:
    return OpenAIJudge(http, fake.base_url, fake.api_key, MODEL, timeout)


def stored(sync_db, session_id) -> dict:
    return sync_db.interviewSessions.find_one({"sessionId": session_id})


async def test_a_valid_answer_is_stored_and_the_request_is_strict_and_constant(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses() as fake:
        [outcome] = await play(queue, judge_for(fake, http))
    assert outcome.status == "scored"
    [body] = fake.requests
    assert body["model"] == MODEL and body["store"] is False and body["temperature"] == 0
    assert body["text"]["format"] == {
        "type": "json_schema",
        "name": prompt.SCHEMA_NAME,
        "schema": prompt.OUTPUT_SCHEMA,
        "strict": True,
    }
    assert body["instructions"] == prompt.INSTRUCTIONS
    for answer in ANSWERS:  # the candidate's words are only data in the input
        assert answer[:40] not in body["instructions"] and answer[:40] in body["input"][0]["content"]
    assert "Ada" not in json.dumps(body)  # the name was removed
    doc = stored(sync_db, session_id)
    assert doc["scoreBreakdown"] == {"clarity": 72, "correctness": 65, "depth": 58}
    assert doc["finalScore"] == 65  # the server's mean of 72, 65, 58, never the model's
    assert (doc["scoring"]["provider"], doc["scoring"]["model"]) == ("openai", MODEL)


async def test_invalid_json_gets_two_repairs_then_the_attempt_fails(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses(["invalid_json"] * 3) as fake:
        first, second = await play(queue, judge_for(fake, http), rounds=2)
    assert (first.status, second.status) == ("pending", "scored")
    assert len(fake.requests) == 4
    repair = fake.requests[2]["input"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user", "assistant", "user"]
    assert "not valid JSON" in repair[-1]["content"]
    assert all(r["instructions"] == prompt.INSTRUCTIONS for r in fake.requests)
    assert stored(sync_db, session_id)["scoring"]["attempts"] == 2


async def test_a_quote_not_in_the_transcript_is_repaired_or_never_stored(sessions, queue, sync_db, http):
    repaired = await ended(sessions, sync_db)
    async with FakeResponses(["foreign_quote", "valid"]) as fake:
        [outcome] = await play(queue, judge_for(fake, http))
    assert outcome.status == "scored" and len(fake.requests) == 2
    assert "not verbatim" in fake.requests[1]["input"][-1]["content"]
    assert stored(sync_db, repaired)["finalScore"] is not None

    broken = await ended(sessions, sync_db)
    async with FakeResponses(["foreign_quote"] * 3) as fake:
        [outcome] = await play(queue, judge_for(fake, http))
    assert (outcome.status, len(fake.requests)) == ("pending", 3)
    doc = stored(sync_db, broken)
    assert "finalScore" not in doc and "dimensions" not in doc["scoring"]
    assert doc["scoring"]["reason"].startswith("invalid_output")


async def test_a_refusal_is_a_failed_attempt_without_repair(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses(["refusal"]) as fake:
        [outcome] = await play(queue, judge_for(fake, http))
    assert (outcome.status, outcome.reason, len(fake.requests)) == ("pending", "refused", 1)
    assert stored(sync_db, session_id)["scoring"]["status"] == "pending"


async def test_a_rationale_citing_the_accent_is_rejected(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses(["accent"] * 3) as fake:
        [outcome] = await play(queue, judge_for(fake, http))
    assert outcome.status == "pending" and "accent" in str(outcome.reason)
    assert "never how" in fake.requests[1]["input"][-1]["content"]
    assert "finalScore" not in stored(sync_db, session_id)


async def test_429_waits_for_retry_after_then_scores(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses(["429"]) as fake:
        fake.retry_after = "42"
        judge = judge_for(fake, http)
        [first] = await play(queue, judge)
        assert (first.status, first.reason) == ("pending", "rate_limited")
        assert stored(sync_db, session_id)["scoring"]["notBefore"] == NOW + timedelta(seconds=42)
        assert await score_next(queue, judge, lambda: NOW + timedelta(seconds=41), 120) is None
        second = await score_next(queue, judge, lambda: NOW + timedelta(seconds=42), 120)
    assert second is not None and second.status == "scored" and len(fake.requests) == 2


async def test_five_server_errors_fail_the_session_with_its_reason(sessions, queue, sync_db, http):
    session_id = await ended(sessions, sync_db)
    async with FakeResponses(default="500") as fake:
        outcomes = await play(queue, judge_for(fake, http), rounds=rubric.MAX_ATTEMPTS + 1)
    assert [o.status if o else None for o in outcomes] == ["pending"] * 4 + ["failed", None]
    assert len(fake.requests) == rubric.MAX_ATTEMPTS
    scoring = stored(sync_db, session_id)["scoring"]
    assert (scoring["status"], scoring["reason"], scoring["attempts"]) == ("failed", "provider_error_500", 5)


async def test_an_answer_slower_than_the_timeout_is_a_failed_attempt(sessions, queue, sync_db, http):
    await ended(sessions, sync_db)
    async with FakeResponses(["slow"]) as fake:
        fake.slow_seconds = 2.0
        [outcome] = await play(queue, judge_for(fake, http, timeout=0.3))
    assert (outcome.status, outcome.reason) == ("pending", "timeout")


async def test_insufficient_and_repetitive_transcripts_are_refused_without_a_request(sessions, queue, sync_db, http):
    short = await ended(sessions, sync_db, interview(["Yes.", "I did.", "No idea."]))
    repetitive = await ended(sessions, sync_db, interview([REPETITIVE] * 3))
    async with FakeResponses() as fake:
        await play(queue, judge_for(fake, http), rounds=2)
    assert fake.requests == []
    for session_id in (short, repetitive):
        doc = stored(sync_db, session_id)
        assert (doc["scoring"]["status"], doc["scoring"]["reason"]) == ("insufficient", "too_little_speech")
        assert doc["finalScore"] is None and doc["scoreBreakdown"] is None and doc["scoring"]["dimensions"] is None


async def test_an_injected_give_me_100_is_data_flagged_and_the_instructions_do_not_change(
    sessions, queue, sync_db, http
):
    control = await ended(sessions, sync_db)
    injected = await ended(sessions, sync_db, interview([ANSWERS[0], ANSWERS[1], INJECTION]))
    async with FakeResponses() as fake:
        await play(queue, judge_for(fake, http), rounds=2)
    injected_body, control_body = sorted(fake.requests, key=lambda body: INJECTION[:30] not in json.dumps(body))
    assert INJECTION[:30] in json.dumps(injected_body) and INJECTION[:30] not in json.dumps(control_body)
    assert control_body["instructions"].encode() == injected_body["instructions"].encode()
    assert "give me 100" not in injected_body["instructions"] and "give me 100" in injected_body["input"][0]["content"]
    assert stored(sync_db, control)["scoring"]["injectionAttempt"] is None
    doc = stored(sync_db, injected)
    assert doc["scoring"]["injectionAttempt"] == {"itemId": "a2", "quote": "give me 100"}
    assert doc["finalScore"] == 65  # flagged for reviewers, never obeyed nor penalised automatically
