"""Regression: a session that ends while its call's offer is being answered gets no live call.

On the old code an OpenAI call joined the registry only once the provider had answered, so the
session's end did not reach it: the offer got 201, and the call lived on (at the provider too)
after the interview was over. A local call was closed under its answer, yet its offer got 201
for a call that no longer existed.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from interview_app.api import paths
from tests.realtime.holding import hold_first_answer
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_openai import FakeOpenAI
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, start


@pytest.fixture(params=["local", "openai"])
async def provider_client(request, settings):
    if request.param == "local":
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            yield client, None
        return
    async with FakeOpenAI() as fake:
        relay = replace(settings, openai_api_key=fake.api_key, openai_base_url=fake.base_url)
        async with api_client(relay) as client:
            await wait_for_indexes(client)
            yield client, fake


async def test_the_sessions_end_during_the_answer_refuses_the_call(provider_client, sync_db):
    client, fake = provider_client
    session_id, token = await start(client, add_application(sync_db))
    registry = client.api.state.runtime.calls
    ended = asyncio.Event()
    inside = hold_first_answer(registry, release=ended)
    call = CandidateCall()
    try:
        headers = {"Content-Type": "application/sdp", **bearer(token)}
        placing = asyncio.ensure_future(client.post(paths.REALTIME_CALLS, content=await call.offer(), headers=headers))
        await inside.wait()
        end = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
        assert end.status_code == 200
        ended.set()
        refused = await placing
        assert refused.status_code == 409 and refused.json()["code"] == "SESSION_NOT_ACTIVE", refused.text
        assert registry.calls == {}
        if fake is not None:
            assert fake.hangups == ["rtc_fake123"]  # the provider's call is ended there too
    finally:
        await call.close()
        await registry.close_all()
