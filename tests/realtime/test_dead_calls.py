"""Regression (issue 15 B7): dead calls give their slot back.

On the old code an OpenAI call whose browser died held a capacity slot until its token expired
(up to 30 minutes): the server sees none of its media, and no rule listened for the page's
heartbeats. The 60-minute cap applied to local calls only, and a heartbeat could push a call's
end past it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from interview_app.api import paths
from interview_app.domain.tokens import CallGrant
from interview_app.realtime.call_context import CallContext
from interview_app.realtime.calls import MAX_CALL_S, CallRecord
from interview_app.realtime.interviewer import CallListener, Interviewer
from interview_app.realtime.local_interviewer import LocalProvider
from interview_app.realtime.openai_relay import OpenAIProvider
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_openai import FakeOpenAI
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, call_end_reasons, start
from tests.support.waiting import wait_until

IDLE_S = 2


@pytest.fixture
async def openai_client(settings):
    async with FakeOpenAI() as fake:
        relay = replace(
            settings,
            openai_api_key=fake.api_key,
            openai_base_url=fake.base_url,
            call_idle=timedelta(seconds=IDLE_S),
        )
        async with api_client(relay) as client:
            await wait_for_indexes(client)
            yield client, fake


async def test_a_provider_call_without_heartbeats_is_hung_up_there_and_frees_its_slot(openai_client, sync_db):
    client, fake = openai_client
    app_id = add_application(sync_db)
    session_id, token = await start(client, app_id)
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        registry = client.api.state.runtime.calls
        assert len(registry.calls) == 1
        await call.close()  # the browser dies: no hang-up, no more heartbeats
        await wait_until(lambda: not registry.calls, timeout=IDLE_S + 5)
        assert fake.hangups == ["rtc_fake123"]  # hung up at the provider too
        await wait_until(lambda: call_end_reasons(sync_db, session_id) == ["idle"])
    finally:
        await call.close()


async def test_heartbeats_keep_a_provider_call(openai_client, sync_db):
    client, fake = openai_client
    app_id = add_application(sync_db)
    session_id, token = await start(client, app_id)
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        for _ in range(2 * IDLE_S + 1):
            await asyncio.sleep(1)
            beat = await client.post(paths.SESSION_HEARTBEAT.format(session_id=session_id), headers=bearer(token))
            assert beat.status_code == 204
        assert len(client.api.state.runtime.calls.calls) == 1 and fake.hangups == []
    finally:
        await call.close()
        await client.api.state.runtime.calls.close_all()


async def ignored(*_args) -> None:
    pass


def interviewer(registry, provider_call: bool) -> Interviewer:
    """The real interviewers of both providers (neither reaches the network before an offer)."""
    listener = CallListener(connected=ignored, ended=ignored, turn=ignored)
    provider = OpenAIProvider(registry.settings, registry.store) if provider_call else LocalProvider(())
    return provider.interviewer("call_x", "session", CallContext(), listener)


def record(
    registry, provider_call: bool, started_ago_s: float, expires_in_s: float, heard_ago_s: float = 0
) -> CallRecord:
    grant = CallGrant("app", "session", offline=False, expires_at=int(time.time() + expires_in_s))
    call = CallRecord("call_x", grant, interviewer(registry, provider_call), expires_at=time.time() + expires_in_s)
    call.started = time.monotonic() - started_ago_s
    call.heard_at = time.monotonic() - heard_ago_s
    return call


@pytest.mark.parametrize("provider_call", [True, False])
async def test_no_call_outlives_60_minutes_whatever_its_heartbeats_say(client, provider_call):
    registry = client.api.state.runtime.calls
    # A day of token left, a heartbeat a second ago: 60 minutes is still the end.
    reason = registry.end_reason(
        record(registry, provider_call, MAX_CALL_S, 86_400, heard_ago_s=1), time.time(), time.monotonic()
    )
    assert reason == "max_duration"
    assert (
        registry.end_reason(record(registry, provider_call, MAX_CALL_S - 60, 86_400), time.time(), time.monotonic())
        is None
    )
