"""Waiting for a database call at most so long, without cancelling it.

``asyncio.wait_for`` cancels what it waits for when the time is up. Cancelled inside the driver's
server selection (a database down or restarting), pymongo's async topology released its lock twice
("RuntimeError: Lock is not acquired"), and from then on every database call of that process failed
or hung: the app stayed broken after the database came back. So the call keeps running (the driver
ends it by its own ``timeoutMS``) while the caller stops waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def bounded(call: Awaitable[T], seconds: float) -> T:
    """``call``'s result, or ``TimeoutError`` after ``seconds``; the call itself is never cancelled."""
    return await asyncio.wait_for(asyncio.shield(call), seconds)
