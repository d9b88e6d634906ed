"""How the workers holding calls reach each other: Redis pub/sub plus a shared call index.

A call lives in the worker (and host) that answered its offer. A hang-up, an end, a
replacement call or a refreshed token may land anywhere: the worker that receives it publishes
an order on :data:`CHANNEL`, and every worker applies it to the calls it holds. The index
(``interview:call:<id>``, with a TTL as long as a call may live) lets any worker answer a
hang-up with 204 or 404 without holding the call. Without Redis (one worker) the bus is off
and every order stays local.

Every order and index entry is signed (HMAC-SHA256 with a key derived from the session secret,
which every worker shares): whoever can write to Redis but does not hold the secret cannot hang
up or extend calls. An unsigned or forged message, or one with a non-finite number, is refused
and logged. A replayed order is harmless: hang-ups name calls placed before a time, extensions
only ever raise an expiry to a token's own, and a call id is never reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio as redis

log = logging.getLogger(__name__)
CHANNEL = "interview:calls"
INDEX_TTL_S = 2 * 60 * 60  # longer than any call may last
Handler = Callable[[dict], Awaitable[None]]


class ForgedMessage(ValueError):
    """A bus message without a valid signature, or with a number JSON should not carry."""


def _refuse_constant(name: str) -> float:
    raise ForgedMessage(f"non-finite number {name}")


class Signer:
    """Signs and checks bus messages with a key derived from the session secret."""

    def __init__(self, secret: str):
        self._key = hashlib.sha256(b"interview-call-bus\0" + secret.encode()).digest()

    def mac(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()

    def seal(self, message: dict) -> str:
        body = json.dumps(message, allow_nan=False, separators=(",", ":"))
        return f"{self.mac(body)}.{body}"

    def open(self, sealed: str) -> dict:
        mac, _, body = sealed.partition(".")
        if not body or not hmac.compare_digest(mac, self.mac(body)):
            raise ForgedMessage("unsigned or forged")
        message = json.loads(body, parse_constant=_refuse_constant)
        if not isinstance(message, dict):
            raise ForgedMessage("not an object")
        return message


class CallBus:
    def __init__(self, url: str, secret: str):
        self._signer = Signer(secret)
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
                order = self._signer.open(str(message["data"]))
            except (ForgedMessage, ValueError) as exc:
                log.warning("call bus: refused an order (%s): %.80r", exc, message.get("data"))
                continue
            try:
                await handler(order)
            except Exception:  # one bad order must not stop the listener
                log.exception("call bus: could not apply %r", message.get("data"))

    async def publish(self, order: dict) -> None:
        try:
            await self._redis.publish(CHANNEL, self._signer.seal(order))
        except (redis.RedisError, OSError) as exc:
            log.warning("call bus: could not publish %s: %s", order.get("op"), exc)

    async def register(self, call_id: str, grant_key: str, application_id: str) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            await self._redis.set(
                f"interview:call:{call_id}",
                self._signer.seal({"key": grant_key, "applicationId": application_id}),
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
        if not raw:
            return None
        try:
            return self._signer.open(raw)
        except (ForgedMessage, ValueError) as exc:
            log.warning("call bus: refused the index entry of %s (%s)", call_id, exc)
            return None

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()
