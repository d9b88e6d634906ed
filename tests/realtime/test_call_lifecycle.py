"""Calls and the session lifecycle: one live call per session, no call after the end, resume
without a second greeting, and the local interviewer's own transcript."""

from __future__ import annotations

import asyncio

from interview_app.api import paths
from interview_app.realtime import script, voice
from tests.support.api_app import add_application
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, offline_token
from tests.support.waiting import wait_until


def transcript(sync_db, session_id):
    return sync_db.interviewSessions.find_one({"sessionId": session_id}).get("transcript", [])


async def test_a_new_call_replaces_the_sessions_previous_one(client, session):
    _, _, token = session
    first, second = CandidateCall(), CandidateCall()
    try:
        assert (await first.dial(client, token)).status_code == 201
        assert (await second.dial(client, token)).status_code == 201
        registry = client.api.state.runtime.calls
        assert [r.call_id for r in registry.calls.values()] == [second.location.rsplit("/", 1)[-1]]
        assert (await client.delete(first.location, headers=bearer(token))).status_code == 404
        assert (await client.delete(second.location, headers=bearer(token))).status_code == 204
    finally:
        await first.close()
        await second.close()


async def test_the_same_offline_grant_keeps_one_live_call(client, sync_db):
    add_application(sync_db, "app-offline")  # offline calls are for open applications only
    token = offline_token("app-offline")
    first, second, other = CandidateCall(), CandidateCall(), CandidateCall()
    try:
        for call, grant in ((first, token), (second, token), (other, offline_token("app-offline"))):
            assert (await call.dial(client, grant)).status_code == 201
        assert len(client.api.state.runtime.calls.calls) == 2  # another grant is another call
        assert (await client.delete(first.location, headers=bearer(token))).status_code == 404
    finally:
        for call in (first, second, other):
            await call.close()


async def test_ending_the_session_hangs_up_its_call_and_refuses_new_ones(client, sync_db, session):
    _, session_id, token = session
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        registry = client.api.state.runtime.calls
        ended = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
        assert ended.status_code == 200
        assert registry.calls == {}
        events = sync_db.interviewSessions.find_one({"sessionId": session_id})["events"]
        assert any(e["type"] == "call.ended" and e["payload"]["reason"] == "session_completed" for e in events)
    finally:
        await call.close()
    late = CandidateCall()
    try:
        refused = await late.dial(client, token)
        assert refused.status_code == 409 and refused.json()["code"] == "SESSION_NOT_ACTIVE"
    finally:
        await late.close()


async def test_the_interviewer_stores_its_turns_and_resumes_without_greeting_again(
    client, sync_db, session, monkeypatch
):
    # Without a voice the interviewer listens as soon as a turn's text is sent (no 15 s of playback).
    monkeypatch.setattr(voice, "ESPEAK", None)
    _, session_id, token = session
    call = CandidateCall()
    try:
        await call.dial(client, token)
        greeting = await call.next_event("response.output_audio_transcript.done")
        assert "welcome to your interview" in greeting["transcript"]
        asked = await call.next_event("response.output_audio_transcript.done")  # the first question, apart
        await wait_until(lambda: len(transcript(sync_db, session_id)) == 2)
        stored, question = transcript(sync_db, session_id)
        assert question["id"] == asked["response_id"] and question["text"] == asked["transcript"]
        assert stored == {
            "id": greeting["response_id"],
            "role": "interviewer",
            "text": greeting["transcript"],
            "at": stored["at"],
            "source": "provider",  # the interviewer's own record (issue 16, contract T1)
        }
        call.microphone.speaking = True
        started = await call.next_event("input_audio_buffer.speech_started", timeout=30)
        await asyncio.sleep(0.6)
        call.microphone.speaking = False
        stopped = await call.next_event("input_audio_buffer.speech_stopped", timeout=5)
        assert started["item_id"] == stopped["item_id"] and stopped["audio_end_ms"] > started["audio_start_ms"]
        second = await call.next_event("response.output_audio_transcript.done", timeout=5)
        await wait_until(lambda: len(transcript(sync_db, session_id)) == 4)
        answer = transcript(sync_db, session_id)[2]
        assert answer["id"] == stopped["item_id"] and answer["role"] == "candidate" and answer["text"] == ""
        assert answer["source"] == "provider"
        assert 600 <= answer["durationMs"] <= 3000
    finally:
        await call.close()  # the refresh: the page goes away mid-interview

    resumed = CandidateCall()
    try:
        await resumed.dial(client, token)
        first = await resumed.next_event("response.output_audio_transcript.done")
        assert first["transcript"].startswith(script.WELCOME_BACK)
        assert "welcome to your interview" not in first["transcript"]
        assert second["transcript"] in first["transcript"]  # asked but not answered: asked again (issue 20)
        await wait_until(lambda: len(transcript(sync_db, session_id)) == 5)
        assert transcript(sync_db, session_id)[-1]["text"] == first["transcript"]
        assert {turn["source"] for turn in transcript(sync_db, session_id)} == {"provider"}
    finally:
        await resumed.close()
