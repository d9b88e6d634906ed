"""A sliding-window quota: at most ``limit`` events in any ``window``, and when the next one may come.

Used for new sessions per application (counted from the database) and for offline grants per
browser session (kept in the page's state).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta


def counting(moments: Iterable[datetime], now: datetime, window: timedelta) -> list[datetime]:
    """The moments inside the window that ends now, oldest first (one exactly ``window`` old has left)."""
    return sorted(moment for moment in moments if now - moment < window)


def seconds_until_free(moments: Iterable[datetime], now: datetime, limit: int, window: timedelta) -> int | None:
    """None while the window holds fewer than ``limit`` moments; otherwise the whole seconds (at
    least 1) until the oldest moment that still counts leaves it and frees a slot."""
    inside = counting(moments, now, window)
    if len(inside) < limit:
        return None
    frees_at = inside[-limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))
