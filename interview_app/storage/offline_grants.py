"""Offline grants counted outside the tab (issue 15 C9): a new tab gets no fresh quota.

Offline grants are minted exactly when the interview API, and often the database, cannot answer,
so the count cannot live in the database. Choice: Redis when ``REFLEX_REDIS_URL`` is set (what
several workers and hosts already share, and what holds the page state itself, so it answers
whenever the page does); otherwise the memory of this process, which is the one worker of a
development run. Should Redis fail, this process's memory counts rather than refusing a
candidate in the middle of an outage (logged). Calls are synchronous and bounded (0.5 s): they
happen only at an outage, in the page's backend.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import uuid
from datetime import datetime

import redis

from interview_app.domain import errors, offline

log = logging.getLogger(__name__)
KEY_PREFIX = "interview:offline-grants:"

# Sliding window in one atomic step: drop grants that left the window, refuse past the limit
# (answering the seconds until the oldest counting one leaves), else record this one.
_TAKE = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], -limit, -limit, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return -1
"""


class MemoryGrantLedger:
    """The grants of this process (a development run's one worker)."""

    def __init__(self) -> None:
        self._grants: dict[str, list[datetime]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: datetime) -> None:
        with self._lock:
            self._grants[key] = offline.take_grant(self._grants.get(key, []), now)


class RedisGrantLedger:
    """The grants of every worker and host sharing one Redis."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_TAKE)
        self._fallback = MemoryGrantLedger()

    def take(self, key: str, now: datetime) -> None:
        window_ms = int(offline.GRANT_WINDOW.total_seconds() * 1000)
        args = [int(now.timestamp() * 1000), window_ms, offline.GRANTS_PER_WINDOW, uuid.uuid4().hex]
        try:
            wait_ms = int(self._script(keys=[KEY_PREFIX + key], args=args))  # pyright: ignore[reportArgumentType]
        except redis.RedisError as exc:
            log.warning("offline grants counted in this process only: Redis failed (%s)", exc)
            self._fallback.take(key, now)
            return
        if wait_ms >= 0:
            raise errors.RateLimitExceeded(max(1, math.ceil(wait_ms / 1000)))


@functools.cache
def grant_ledger(redis_url: str | None) -> offline.GrantLedger:
    """The process's ledger: Redis when configured, else memory."""
    return RedisGrantLedger(redis_url) if redis_url else MemoryGrantLedger()
