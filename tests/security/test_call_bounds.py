"""Regressions (security items 2 and 9): calls are bounded per process and end with their right.

On the old code every offer was answered (20 live calls on one token, 300 offers held), and a
call outlived both its token and its session.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import jwt
import pytest

from interview_app.api import paths
from interview_app.realtime import ice
from tests.support.api_app import add_application
from tests.support.rtc_client import CandidateCall
from tests.support.secrets import SESSION_SECRET
from tests.support.sessions import bearer, call_end_reasons, offline_token, start
from tests.support.waiting import wait_until

ice.configure(["127.0.0.1"])


@pytest.fixture
def settings(settings):
    return replace(settings, ice_host_addresses=["127.0.0.1"], max_calls=2)


def short_session_token(session_id: str, application_id: str, seconds: int) -> str:
    now = int(time.time())
    return jwt.encode(
        {
            "sessionId": session_id,
            "applicationId": application_id,
            "type": "interview",
            "iat": now,
            "exp": now + seconds,
        },
        SESSION_SECRET,
        algorithm="HS256",
    )


async def test_a_process_answers_at_most_max_calls_offers_answered_included(client, sync_db):
    for n in range(3):
        add_application(sync_db, f"app-{n}")  # offline calls are for open applications only
    calls = [CandidateCall() for _ in range(3)]
    try:
        offers = [await call.offer() for call in calls]
        responses = await asyncio.gather(
            *(
                client.post(
                    paths.REALTIME_CALLS,
                    content=offer,
                    headers={"Content-Type": "application/sdp", **bearer(offline_token(f"app-{n}"))},
                )
                for n, offer in enumerate(offers)
            )
        )
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [201, 201, 503]
        refused = next(response for response in responses if response.status_code == 503)
        assert refused.json()["code"] == "CAPACITY" and int(refused.headers["Retry-After"]) > 0
        assert len(client.api.state.runtime.calls.calls) == 2
    finally:
        for call in calls:
            await call.close()


async def test_replacing_ones_own_call_is_not_refused_at_capacity(client, sync_db):
    for app_id in ("app-a", "app-b"):
        add_application(sync_db, app_id)  # offline calls are for open applications only
    token = offline_token("app-a")
    calls = [CandidateCall() for _ in range(3)]
    try:
        assert (await calls[0].dial(client, offline_token("app-b"))).status_code == 201
        assert (await calls[1].dial(client, token)).status_code == 201
        assert (await calls[2].dial(client, token)).status_code == 201  # replaces calls[1]
    finally:
        for call in calls:
            await call.close()


async def test_a_call_ends_when_its_token_expires(client, sync_db):
    app_id = add_application(sync_db)
    session_id, _ = await start(client, app_id)
    call = CandidateCall()
    try:
        response = await call.dial(client, short_session_token(session_id, app_id, 6))
        assert response.status_code == 201, response.text
        registry = client.api.state.runtime.calls
        for _ in range(200):
            if not registry.calls:
                break
            await asyncio.sleep(0.1)
        assert registry.calls == {}
        await wait_until(lambda: "token_expired" in call_end_reasons(sync_db, session_id))
    finally:
        await call.close()


async def test_a_heartbeat_with_a_refreshed_token_keeps_the_call(client, sync_db):
    app_id = add_application(sync_db)
    session_id, _ = await start(client, app_id)
    call = CandidateCall()
    try:
        expires = time.time() + 5
        assert (await call.dial(client, short_session_token(session_id, app_id, 5))).status_code == 201
        _, fresh = await start(client, app_id)  # the page's refresh: a reuse mints a fresh token
        heartbeat = await client.post(paths.SESSION_HEARTBEAT.format(session_id=session_id), headers=bearer(fresh))
        assert heartbeat.status_code == 204
        await asyncio.sleep(max(0.0, expires - time.time()) + 1.5)
        assert len(client.api.state.runtime.calls.calls) == 1
    finally:
        await call.close()


async def test_a_completed_sessions_token_places_no_call(client, sync_db):
    app_id = add_application(sync_db)
    session_id, token = await start(client, app_id)
    await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    call = CandidateCall()
    try:
        refused = await call.dial(client, token)
        assert refused.status_code == 409 and refused.json()["code"] == "SESSION_NOT_ACTIVE"
    finally:
        await call.close()


def test_the_cap_is_configurable(monkeypatch, tmp_path):
    from interview_app.config import ConfigError, Settings

    monkeypatch.setenv("INTERVIEW_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INTERVIEW_MAX_CALLS", "7")
    assert Settings.from_env().max_calls == 7
    monkeypatch.setenv("INTERVIEW_MAX_CALLS", "0")
    with pytest.raises(ConfigError, match="INTERVIEW_MAX_CALLS"):
        Settings.from_env()
