"""Regression (issue 15 D13): orders on the Redis bus are signed.

On the old code anyone who could publish on Redis could hang up any call (an unsigned JSON order
was obeyed), and a ``NaN`` or infinite expiry was applied as it came.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
import redis.asyncio as redis

from interview_app.realtime.bus import CHANNEL, Signer
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.redis_server import redis_server
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import start
from tests.support.waiting import wait_until

SETTLE_S = 0.5  # the listener polls every second at most; an order applies within milliseconds


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
async def worker(settings, redis_url):
    async with api_client(replace(settings, redis_url=redis_url)) as client:
        await wait_for_indexes(client)
        yield client


async def publish(redis_url: str, message: str) -> None:
    async with redis.Redis.from_url(redis_url) as raw:
        await raw.publish(CHANNEL, message)


async def test_unsigned_forged_and_non_finite_orders_are_refused(worker, sync_db, redis_url, settings):
    session_id, token = await start(worker, add_application(sync_db))
    call = CandidateCall()
    try:
        assert (await call.dial(worker, token)).status_code == 201
        registry = worker.api.state.runtime.calls
        (record,) = registry.calls.values()
        expiry = record.expires_at
        hang_up = {"op": "hangup_grant", "key": f"session:{session_id}", "reason": "forged", "before": None}
        await publish(redis_url, json.dumps(hang_up))  # unsigned, as the old code published
        await publish(redis_url, Signer("another secret of at least 32 bytes!!").seal(hang_up))  # forged
        signer = Signer(settings.session_secret)
        for number in ("NaN", "Infinity", "1e999"):
            body = f'{{"op":"extend","sessionId":"{session_id}","expiresAt":{number}}}'
            await publish(redis_url, f"{signer.mac(body)}.{body}")  # a hand-made body, signed
        await asyncio.sleep(SETTLE_S)
        assert list(registry.calls.values()) == [record] and record.expires_at == expiry
        await publish(redis_url, signer.seal(hang_up))  # the control: a signed order is obeyed
        await wait_until(lambda: registry.calls == {})
    finally:
        await call.close()


def test_a_sealed_message_opens_only_with_its_secret():
    signer = Signer("s" * 32)
    sealed = signer.seal({"op": "extend", "expiresAt": 1.5})
    assert signer.open(sealed) == {"op": "extend", "expiresAt": 1.5}
    for tampered in (sealed.replace("1.5", "9.5"), "x" + sealed, sealed.split(".", 1)[1], ""):
        with pytest.raises(ValueError):
            signer.open(tampered)
    with pytest.raises(ValueError):
        signer.seal({"expiresAt": float("nan")})
