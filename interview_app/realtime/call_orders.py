"""Orders about calls between workers: what they say, how they are published, how they apply.

A call lives in the worker that answered its offer; a hang-up, an end, a replacement or a
refreshed token may land on any worker. That worker applies the order to its own calls and
publishes it on the bus (:mod:`interview_app.realtime.bus`, which signs and carries it); every
worker applies what it hears with :func:`apply`. Without a bus (one worker) publishing does
nothing and every order stays local.
"""

from __future__ import annotations

import math
from typing import Protocol

from interview_app.realtime.bus import CallBus


class LocalCalls(Protocol):
    """What an order acts on: the calls this worker holds (``CallRegistry``)."""

    async def hang_up_local_grant(self, key: str, reason: str, placed_before: float | None) -> bool: ...

    async def hang_up_local_call(self, call_id: str, reason: str) -> None: ...

    def extend_local(self, session_id: str, expires_at: float) -> None: ...


def finite(value: object) -> float | None:
    """An order's number, or None when it is missing, not a number, or not finite."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


async def apply(calls: LocalCalls, order: dict) -> None:
    """An order from the bus, published by any worker (its signature already checked)."""
    match order.get("op"):
        case "hangup_grant":
            await calls.hang_up_local_grant(
                str(order.get("key")), str(order.get("reason")), finite(order.get("before"))
            )
        case "hangup_call":
            await calls.hang_up_local_call(str(order.get("callId")), str(order.get("reason")))
        case "extend":
            expires_at = finite(order.get("expiresAt"))
            if expires_at is not None:
                calls.extend_local(str(order.get("sessionId")), expires_at)


class CallOrders:
    """Publishes orders, and keeps the index that tells any worker whether a call exists elsewhere."""

    def __init__(self, bus: CallBus | None = None):
        self.bus = bus

    async def hang_up_grant(self, key: str, reason: str, placed_before: float | None) -> None:
        if self.bus is not None:
            await self.bus.publish({"op": "hangup_grant", "key": key, "reason": reason, "before": placed_before})

    async def hang_up_call(self, call_id: str, reason: str) -> None:
        if self.bus is not None:
            await self.bus.publish({"op": "hangup_call", "callId": call_id, "reason": reason})

    async def extend(self, session_id: str, expires_at: float) -> None:
        if self.bus is not None:
            await self.bus.publish({"op": "extend", "sessionId": session_id, "expiresAt": expires_at})

    async def register(self, call_id: str, grant_key: str, application_id: str) -> None:
        if self.bus is not None:
            await self.bus.register(call_id, grant_key, application_id)

    async def unregister(self, call_id: str) -> None:
        if self.bus is not None:
            await self.bus.unregister(call_id)

    async def held_elsewhere(self, call_id: str) -> dict | None:
        """The index entry of a call some worker holds (its grant key and application), if any."""
        return None if self.bus is None else await self.bus.lookup(call_id)
