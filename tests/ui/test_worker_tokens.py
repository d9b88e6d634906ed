"""A tab whose websocket worker died keeps its token, so its Reflex state (issue 15 A3).

Two token managers on a real Redis stand for two workers. Reflex's own manager hands a tab that
reconnects from a dead worker a fresh token (an empty page); ours gives it its token back, and
still gives a true duplicate (its worker alive) a token of its own.
"""

from __future__ import annotations

import time

import pytest
import redis.asyncio as aioredis

from interview_app.ui.worker_tokens import ALIVE_TTL_S, LiveWorkerTokenManager
from tests.support.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


async def test_a_tab_reconnecting_from_a_dead_worker_keeps_its_token(redis_url):
    dead = LiveWorkerTokenManager(aioredis.Redis.from_url(redis_url))
    alive = LiveWorkerTokenManager(aioredis.Redis.from_url(redis_url))
    try:
        assert await dead.link_token_to_sid("tab-1", "sid-on-the-dead-worker") is None
        await dead.close()  # killed: no disconnect, its records stay in Redis
        started = time.monotonic()
        assert await alive.link_token_to_sid("tab-1", "sid-on-the-live-worker") is None
        assert time.monotonic() - started < ALIVE_TTL_S + 1.5
        assert await alive.is_token_connected("tab-1")
    finally:
        await alive.close()


async def test_a_duplicated_tab_of_a_live_worker_gets_a_token_of_its_own(redis_url):
    first = LiveWorkerTokenManager(aioredis.Redis.from_url(redis_url))
    second = LiveWorkerTokenManager(aioredis.Redis.from_url(redis_url))
    try:
        assert await first.link_token_to_sid("tab-2", "sid-a") is None
        new_token = await second.link_token_to_sid("tab-2", "sid-b")
        assert new_token is not None and new_token != "tab-2"
    finally:
        await first.close()
        await second.close()
