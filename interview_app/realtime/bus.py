"""How the workers holding calls reach each other: Redis pub/sub plus a shared call index.

A call lives in the worker (and host) that answered its offer. A hang-up, an end, a
replacement call or a refreshed token may land anywhere: the worker that receives it publishes
an order on :data:`CHANNEL`, and every worker applies it to the calls it holds. The index
(``interview:call:<id>``, with a TTL as long as a call may live) lets any worker answer a
hang-up with 204 or 404 without holding the call. Without Redis (one worker) the bus is off
and every order stays local.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio as redis

log = logging.getLogger(__name__)
CHANNEL = "interview:calls"
INDEX_TTL_S = 2 * 60 * 60  # longer than any call may last
Handler = Callable[[dict], Awaitable[None]]


class CallBus:
    def __init__(self, url: str):
        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2)
        self._listener: asyncio.Task | None = None

    async def start(self, handler: Handler) -> None:
        """Apply every order published by any worker (this one included), from now on; a Redis
        that is down delays the subscription instead of failing the start-up."""
        subscribed = asyncio.Event()
        self._listener = asyncio.create_task(self._listen(handler, subscribed))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(subscribed.wait(), 3.0)

    async def _listen(self, handler: Handler, subscribed: asyncio.Event) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        while True:
            try:
                if not pubsub.subscribed:
                    await pubsub.subscribe(CHANNEL)
                    subscribed.set()
                message = await pubsub.get_message(timeout=1.0)
            except (redis.RedisError, OSError) as exc:
                log.warning("call bus: %s; subscribing again", exc)
                await asyncio.sleep(1.0)
                continue
            if message is None:
                continue
            try:
                order = json.loads(message["data"])
                if isinstance(order, dict):
                    await handler(order)
            except Exception:  # one bad order must not stop the listener
                log.exception("call bus: could not apply %r", message.get("data"))

    async def publish(self, order: dict) -> None:
        try:
            await self._redis.publish(CHANNEL, json.dumps(order))
        except (redis.RedisError, OSError) as exc:
            log.warning("call bus: could not publish %s: %s", order.get("op"), exc)

    async def register(self, call_id: str, grant_key: str, application_id: str) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            await self._redis.set(
                f"interview:call:{call_id}",
                json.dumps({"key": grant_key, "applicationId": application_id}),
                ex=INDEX_TTL_S,
            )

    async def unregister(self, call_id: str) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            await self._redis.delete(f"interview:call:{call_id}")

    async def lookup(self, call_id: str) -> dict | None:
        try:
            raw = await self._redis.get(f"interview:call:{call_id}")
        except (redis.RedisError, OSError):
            return None
        return json.loads(raw) if raw else None

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()
