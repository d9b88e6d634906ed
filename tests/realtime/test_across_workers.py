"""Calls across workers: two API processes' worth of state (each its own call registry), sharing
only the database and Redis, as granian workers or app hosts do."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

import pytest

from interview_app.api import paths
from interview_app.realtime import call_orders
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_openai import FakeOpenAI
from tests.support.redis_server import redis_server
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, offline_token, start
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@contextlib.asynccontextmanager
async def two_workers(settings):
    async with api_client(settings) as first, api_client(settings) as second:
        await wait_for_indexes(first)
        await wait_for_indexes(second)
        yield first, second


def live(worker) -> dict:
    return worker.api.state.runtime.calls.calls


async def test_a_hang_up_reaching_the_other_worker_ends_the_call(settings, sync_db, redis_url):
    add_application(sync_db, "app-two-workers")  # offline calls are for open applications only
    async with two_workers(replace(settings, redis_url=redis_url)) as (holder, other):
        token = offline_token("app-two-workers")
        call = CandidateCall()
        try:
            assert (await call.dial(holder, token)).status_code == 201
            assert len(live(holder)) == 1 and live(other) == {}
            wrong = await other.delete(call.location, headers=bearer(offline_token("app-two-workers")))
            assert wrong.status_code == 404  # another grant, even for the same application
            hung_up = await other.delete(call.location, headers=bearer(token))
            assert hung_up.status_code == 204
            await wait_until(lambda: live(holder) == {})
            await wait_until(lambda: call.pc.connectionState in ("closed", "failed"), timeout=15)
            assert (await other.delete(call.location, headers=bearer(token))).status_code == 404
        finally:
            await call.close()


async def test_end_and_replacement_reach_the_worker_holding_the_call(settings, sync_db, redis_url):
    async with two_workers(replace(settings, redis_url=redis_url)) as (first, second):
        session_id, token = await start(first, add_application(sync_db))
        old, new = CandidateCall(), CandidateCall()
        try:
            assert (await old.dial(first, token)).status_code == 201
            assert (await new.dial(second, token)).status_code == 201  # the same session, elsewhere
            await wait_until(lambda: live(first) == {})
            assert len(live(second)) == 1
            ended = await first.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
            assert ended.status_code == 200
            await wait_until(lambda: live(second) == {})
        finally:
            await old.close()
            await new.close()


async def test_without_redis_the_provider_call_is_hung_up_by_its_stored_id(settings, sync_db):
    async with FakeOpenAI() as fake:
        relay = replace(settings, openai_api_key=fake.api_key, openai_base_url=fake.base_url)
        async with two_workers(relay) as (holder, other):
            session_id, token = await start(holder, add_application(sync_db))
            call = CandidateCall()
            try:
                assert (await call.dial(holder, token)).status_code == 201
                assert sync_db.interviewSessions.find_one({"sessionId": session_id})["remoteCallId"] == "rtc_fake123"
                ended = await other.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
                assert ended.status_code == 200 and fake.hangups == ["rtc_fake123"]
            finally:
                await call.close()


async def test_a_late_replacement_order_never_ends_a_newer_call(settings, sync_db, redis_url):
    """A replacement order for a call placed before the second one reaches the second worker only
    after the second call began there (a slow bus): the newer call stays up."""
    async with two_workers(replace(settings, redis_url=redis_url)) as (first, second):
        _, token = await start(first, add_application(sync_db))
        old, new = CandidateCall(), CandidateCall()
        try:
            assert (await old.dial(first, token)).status_code == 201
            [old_record] = live(first).values()
            placed_between = time.time()
            assert (await new.dial(second, token)).status_code == 201
            await wait_until(lambda: live(first) == {})
            late = {"op": "hangup_grant", "key": old_record.grant.key, "reason": "replaced", "keep": "call_x"}
            await call_orders.apply(second.api.state.runtime.calls, {**late, "before": placed_between})
            assert len(live(second)) == 1
        finally:
            await old.close()
            await new.close()
