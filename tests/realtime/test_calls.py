"""Signaling and the local interviewer, with a real aiortc candidate on loopback."""

import asyncio
from datetime import timedelta

import jwt
import pytest

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.storage import embedded
from tests.support.api_app import add_application, api_client, make_settings
from tests.support.rtc_client import CALLS, CandidateCall
from tests.support.secrets import CANDIDATE_SECRET, SESSION_SECRET
from tests.support.sessions import offline_token
from tests.support.waiting import wait_until


def session_events(sync_db, session_id):
    return [e["type"] for e in sync_db.interviewSessions.find_one({"sessionId": session_id})["events"]]


async def test_session_token_call_greets_by_role_and_records_its_lifecycle(client, sync_db, session):
    _app_id, session_id, token = session
    call = CandidateCall()
    response = await call.dial(client, token)
    try:
        assert response.status_code == 201 and response.headers["content-type"].startswith("application/sdp")
        assert response.headers["location"].startswith(f"{CALLS}/call_")
        created = await call.next_event("session.created")
        assert created["session"]["model"] == "local-interviewer"
        await call.next_event("response.created")
        first_delta = await call.next_event("response.output_audio_transcript.delta")
        assert first_delta["delta"].strip()
        greeting = await call.next_event("response.output_audio_transcript.done")
        assert "Data Engineer" in greeting["transcript"]
        await call.next_event("response.done")
        first_question = await call.next_event("response.output_audio_transcript.done")  # a turn of its own
        assert "pipeline" in first_question["transcript"]  # the first question fits the role
        await wait_until(lambda: "call.connected" in session_events(sync_db, session_id))

        registry = client.api.state.runtime.calls
        (record,) = registry.calls.values()
        await wait_until(lambda: record.interviewer.frames_received >= 25)  # about half a second of audio

        call.send(
            {
                "type": "conversation.item.create",
                "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Next"}]},
            }
        )
        await call.next_event("conversation.item.created")
        call.send({"type": "response.create"})
        second = await call.next_event("response.output_audio_transcript.done")
        assert second["transcript"] != greeting["transcript"] and "data" in second["transcript"].lower()

        hang_up = await client.delete(call.location, headers={"Authorization": f"Bearer {token}"})
        assert hang_up.status_code == 204
        assert registry.calls == {}
        stored = sync_db.interviewSessions.find_one({"sessionId": session_id})
        ended = [e for e in stored["events"] if e["type"] == "call.ended"][-1]
        assert ended["payload"]["reason"] == "hangup" and ended["payload"]["provider"] == "local"
        assert ended["payload"]["audioFrames"] >= 25
        again = await client.delete(call.location, headers={"Authorization": f"Bearer {token}"})
        assert again.status_code == 404
    finally:
        await call.close()


async def test_next_question_follows_speech_then_silence(client, session):
    _, _, token = session
    call = CandidateCall()
    await call.dial(client, token)
    try:
        await call.next_event("response.output_audio_transcript.done")
        # Without espeak-ng's voice queued the interviewer listens at once; with it, after playback.
        call.microphone.speaking = True
        await call.next_event("input_audio_buffer.speech_started", timeout=30)
        await asyncio.sleep(0.5)
        call.microphone.speaking = False
        await call.next_event("input_audio_buffer.speech_stopped", timeout=5)
        following = await call.next_event("response.output_audio_transcript.done", timeout=5)
        assert "data" in following["transcript"].lower()
    finally:
        await call.close()


async def test_closing_the_peer_ends_the_call(client, sync_db, session):
    _, session_id, token = session
    call = CandidateCall()
    await call.dial(client, token)
    await call.next_event("session.created")
    await call.close()
    registry = client.api.state.runtime.calls
    await wait_until(lambda: registry.calls == {}, timeout=15)
    await wait_until(lambda: "call.ended" in session_events(sync_db, session_id))


async def test_offline_token_works_with_the_database_down(tmp_path):
    dead = f"mongodb://127.0.0.1:{embedded.free_port()}/?directConnection=true"
    settings = make_settings(dead, "offline", tmp_path, ice_host_addresses=["127.0.0.1"])
    async with api_client(settings) as client:
        assert (await client.get("/api/health")).status_code == 503
        call = CandidateCall()
        try:
            response = await call.dial(client, offline_token("app-offline"))
            assert response.status_code == 201
            greeting = await call.next_event("response.output_audio_transcript.done")
            assert greeting["transcript"].startswith("Hello, and welcome to your interview.")
        finally:
            await call.close()


def _token(kind: str, app_id: str) -> str | None:
    now = utcnow()
    return {
        "missing": None,
        "garbage": "not-a-token",
        "forged": tokens.mint_offline_token("x" * 48, app_id, now)[0],
        "expired": tokens.mint_session_token(SESSION_SECRET, "s", app_id, now - timedelta(minutes=31))[0],
        "candidate": tokens.mint_candidate_token(CANDIDATE_SECRET, "user-1", app_id, now),
        "candidate-signed-with-session-secret": tokens.mint_candidate_token(SESSION_SECRET, "user-1", app_id, now),
        "wrong-type": jwt.encode(
            {"type": "refresh", "applicationId": app_id, "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 60},
            SESSION_SECRET,
            algorithm="HS256",
        ),
        "alg-none": jwt.encode(
            {
                "type": "interview-offline",
                "applicationId": app_id,
                "iat": int(now.timestamp()),
                "exp": int(now.timestamp()) + 60,
            },
            None,  # pyright: ignore[reportArgumentType]
            algorithm="none",
        ),
    }[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "garbage",
        "forged",
        "expired",
        "candidate",
        "candidate-signed-with-session-secret",
        "wrong-type",
        "alg-none",
    ],
)
async def test_bad_tokens_are_401(client, kind):
    call = CandidateCall()
    try:
        token = _token(kind, "app-x")
        headers = {"Content-Type": "application/sdp"} | ({"Authorization": f"Bearer {token}"} if token else {})
        response = await client.post(CALLS, content=await call.offer(), headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "UNAUTHORIZED"
        assert client.api.state.runtime.calls.calls == {}
    finally:
        await call.close()


@pytest.mark.parametrize(
    "body",
    [
        b"hello",
        b"",
        b"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
        b"\xff\xfe",
        b'{"sdp": "v=0"}',
    ],
)
async def test_non_sdp_is_400(client, body):
    response = await client.post(
        CALLS,
        content=body,
        headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {offline_token('a')}"},
    )
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"


async def test_wrong_content_type_is_415(client):
    response = await client.post(
        CALLS,
        content=b"v=0\r\nm=audio 9 x 0\r\n",
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {offline_token('a')}"},
    )
    assert response.status_code == 415


async def test_a_call_cannot_be_hung_up_with_another_applications_token(client, session):
    _, _, token = session
    call = CandidateCall()
    await call.dial(client, token)
    try:
        other = await client.delete(call.location, headers={"Authorization": f"Bearer {offline_token('another')}"})
        assert other.status_code == 404
        assert len(client.api.state.runtime.calls.calls) == 1
    finally:
        await call.close()


async def test_eight_concurrent_calls_all_come_up(client, sync_db):
    for i in range(8):
        add_application(sync_db, f"app-{i}")  # offline calls are for open applications only
    calls = [CandidateCall() for _ in range(8)]
    try:
        responses = await asyncio.gather(*(c.dial(client, offline_token(f"app-{i}")) for i, c in enumerate(calls)))
        assert [r.status_code for r in responses] == [201] * 8
        await asyncio.gather(*(c.next_event("session.created") for c in calls))
        assert len(client.api.state.runtime.calls.calls) == 8
    finally:
        await asyncio.gather(*(c.close() for c in calls))
    await wait_until(lambda: client.api.state.runtime.calls.calls == {}, timeout=15)
