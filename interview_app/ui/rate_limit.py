"""A per-connection rate limit on what a browser may send through the event websocket.

Any client can call an ``@rx.event`` handler as often as it likes, and each accepted call event
may change the feed, which Reflex then re-sends to the browser. A token bucket per client token
(the tab's websocket identity) bounds that: :data:`RATE` events a second on average, bursts of
:data:`BURST` (a realtime provider streams transcript deltas in bursts, well under this). Events
past the limit are dropped and logged, once per flood. Kept in this process's memory: a tab's
websocket stays with one worker. A tiny bucket here rather than a library: one dict and four
lines of arithmetic, without a package to pin.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)
RATE = 50.0  # events per second, sustained
BURST = 200.0
MAX_CLIENTS = 10_000  # buckets kept; the least recently used are forgotten beyond it


@dataclass
class _Bucket:
    tokens: float
    at: float
    flooding: bool = False


class RateLimiter:
    def __init__(self, rate: float = RATE, burst: float = BURST, clock=time.monotonic):
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, client: str) -> bool:
        """Take one token from the client's bucket; False (drop the event) when it is empty."""
        now = self._clock()
        bucket = self._buckets.pop(client, None) or _Bucket(self.burst, now)
        self._buckets[client] = bucket  # most recently used last
        if len(self._buckets) > MAX_CLIENTS:
            del self._buckets[next(iter(self._buckets))]
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.flooding = bucket.flooding and bucket.tokens < self.burst / 2  # over once half refilled
            return True
        if not bucket.flooding:
            bucket.flooding = True
            log.warning("call events: client %.8s… exceeds %d/s; dropping its events", client, self.rate)
        return False


call_events = RateLimiter()
