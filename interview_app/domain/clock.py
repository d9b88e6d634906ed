"""The one clock of the app: timezone-aware UTC, so stored dates and token times agree."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
