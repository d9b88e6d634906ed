"""A stored interview plan reaches the call (issue 20 §4), over HTTP, a real database and real
WebRTC: the local interviewer asks the plan's questions in order and keeps its time; OpenAI gets
them, the plan's language and its duration in its instructions, and a time-up note on the sideband."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import timedelta

from interview_app.domain.clock import utcnow
from interview_app.domain.plan import parse_plan
from interview_app.realtime import script, voice
from interview_app.realtime.openai_sideband import OpenAISideband, time_up_event
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_openai import FakeOpenAI
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import start
from tests.support.waiting import wait_until

JOB = "Customer Success Manager"
QUESTIONS = ["Why do you want to join our support team?", "¿Cómo calmas a un cliente enfadado?"]


def planned_application(sync_db, plan: dict) -> str:
    app_id = add_application(sync_db, job_title=JOB)
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": plan}})
    return app_id


def started_minutes_ago(sync_db, session_id: str, minutes: float) -> None:
    """The session began that long ago (the plan's clock counts from the session's start)."""
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id}, {"$set": {"startedAt": utcnow() - timedelta(minutes=minutes)}}
    )


@contextlib.asynccontextmanager
async def openai_call(settings, sync_db, app_id: str, *, minutes_ago: float):
    """A call through the OpenAI relay (a fake OpenAI, the sideband on) on a new session of
    ``app_id`` that started ``minutes_ago``; yields the fake once the call is placed."""
    async with FakeOpenAI() as fake:
        relay = replace(settings, openai_api_key=fake.api_key, openai_base_url=fake.base_url)
        async with api_client(relay) as client:
            await wait_for_indexes(client)
            client.api.state.runtime.calls.provider.sideband = lambda context: OpenAISideband(relay, context)
            session_id, token = await start(client, app_id)
            started_minutes_ago(sync_db, session_id, minutes_ago)
            call = CandidateCall()
            try:
                assert (await call.dial(client, token)).status_code == 201
                yield fake
            finally:
                await call.close()


async def said(call: CandidateCall) -> str:
    return (await call.next_event("response.output_audio_transcript.done", timeout=15))["transcript"]


def type_answer(call: CandidateCall, text: str) -> None:
    item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    call.send({"type": "conversation.item.create", "item": item})
    call.send({"type": "response.create"})


def interviewer_turns(sync_db, session_id: str) -> list[str]:
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    return [item["text"] for item in doc.get("transcript", []) if item["role"] == "interviewer"]


async def test_the_local_interviewer_asks_the_stored_plans_questions_verbatim_and_in_order(
    client, sync_db, monkeypatch
):
    monkeypatch.setattr(voice, "ESPEAK", None)  # no playback to wait for
    app_id = planned_application(sync_db, {"questions": QUESTIONS, "language": "es"})
    session_id, token = await start(client, app_id)
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        assert await said(call) == script.greeting(JOB)  # its own lines stay English (the decision)
        assert await said(call) == QUESTIONS[0]  # not the bank's customer question
        type_answer(call, "Because I like helping people.")
        assert await said(call) == QUESTIONS[1]
        type_answer(call, "Escucho primero.")
        assert await said(call) == script.CLOSING
        await wait_until(lambda: len(interviewer_turns(sync_db, session_id)) == 4)
        assert interviewer_turns(sync_db, session_id) == [script.greeting(JOB), *QUESTIONS, script.CLOSING]
    finally:
        await call.close()


async def test_once_the_plans_time_is_up_the_local_interviewer_closes_after_the_current_answer(
    client, sync_db, monkeypatch
):
    monkeypatch.setattr(voice, "ESPEAK", None)
    app_id = planned_application(sync_db, {"questions": [*QUESTIONS, "A third question?"], "durationMinutes": 5})
    session_id, token = await start(client, app_id)
    started_minutes_ago(sync_db, session_id, 6)  # a resume after the time: it does not start again
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        assert await said(call) == script.greeting(JOB)
        assert await said(call) == QUESTIONS[0]  # the question under way is still asked and heard out
        type_answer(call, "Because I like helping people.")
        assert await said(call) == script.CLOSING  # no second question
    finally:
        await call.close()


async def test_a_ninety_minute_plan_gets_a_call_longer_than_sixty_minutes(client, sync_db):
    app_id = planned_application(sync_db, {"durationMinutes": 90})
    _, token = await start(client, app_id)
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        (record,) = client.api.state.runtime.calls.calls.values()
        assert record.max_s == (90 + 15) * 60
        assert record.interviewer.max_call_s == (90 + 15) * 60  # the local interviewer's own watchdog too
    finally:
        await call.close()


async def test_openai_is_told_the_stored_plans_questions_language_and_duration_and_when_time_is_up(settings, sync_db):
    plan = {"questions": QUESTIONS, "language": "es-MX", "durationMinutes": 5}
    async with openai_call(settings, sync_db, planned_application(sync_db, plan), minutes_ago=6) as fake:
        expected = script.instructions(JOB, plan=parse_plan(plan))
        (sent,) = fake.requests
        assert sent["session"]["instructions"] == expected
        listed = [line[2:] for line in expected.splitlines() if line.startswith("- ")]
        assert listed == QUESTIONS
        assert '"es-MX"' in expected and "planned for 5 minutes" in expected
        update, told = await fake.received(2)
        assert update["type"] == "session.update" and update["session"]["instructions"] == expected
        assert told == time_up_event()  # the time was up already: told at once


async def test_a_plan_broken_after_the_start_refuses_the_call_with_a_clear_422(client, sync_db):
    app_id = planned_application(sync_db, {"questions": QUESTIONS})
    _, token = await start(client, app_id)
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": {"durationMinutes": 500}}})
    call = CandidateCall()
    try:
        refused = await call.dial(client, token)
        assert refused.status_code == 422 and refused.json()["code"] == "INVALID_INTERVIEW_PLAN"
        assert "durationMinutes" in refused.json()["error"] + str(refused.json().get("details"))
    finally:
        await call.close()


async def test_openai_is_told_when_the_time_runs_out_during_the_call_not_before(settings, sync_db):
    app_id = planned_application(sync_db, {"questions": QUESTIONS, "durationMinutes": 5})
    async with openai_call(settings, sync_db, app_id, minutes_ago=5 - 4 / 60) as fake:  # four seconds left
        (update,) = await fake.received(1)
        assert update["type"] == "session.update"
        assert fake.sideband_received == [update]  # not yet
        _, told = await fake.received(2, timeout=10)
        assert told == time_up_event()
