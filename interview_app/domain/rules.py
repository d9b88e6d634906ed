"""Business rules of starting an interview session, as pure functions of a snapshot.

The database gives one snapshot (the application plus its relevant sessions) and these rules
decide what a start means; the storage layer then applies the decision. Keeping the rules
pure makes them unit-testable and the only place they are written down.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

REUSE_WINDOW = timedelta(minutes=5)
RATE_LIMIT_COUNT = 3
RATE_LIMIT_WINDOW = timedelta(minutes=10)
MAX_EVENTS = 200  # a session document must stay small: events beyond this are dropped


class SessionStatus(str, Enum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    ERROR = "error"


APPLICATION_COMPLETED = "interview_completed"


@dataclass(frozen=True)
class SessionRef:
    session_id: str
    status: str
    started_at: datetime


@dataclass(frozen=True)
class Snapshot:
    """The application and those of its sessions the rules look at."""

    application: dict
    sessions: list[SessionRef]


@dataclass(frozen=True)
class Completed:
    """The interview was already submitted: no new session."""


@dataclass(frozen=True)
class Reuse:
    """A fresh in-progress session exists (double click, quick retry): hand it out again."""

    session: SessionRef


@dataclass(frozen=True)
class RateLimited:
    retry_after_seconds: int


@dataclass(frozen=True)
class StartNew:
    """Store a new session, first abandoning ``stale`` if there is one."""

    stale: SessionRef | None


Decision = Completed | Reuse | RateLimited | StartNew


def is_completed(snapshot: Snapshot) -> bool:
    return snapshot.application.get("status") == APPLICATION_COMPLETED or any(
        s.status == SessionStatus.COMPLETED for s in snapshot.sessions
    )


def decide_start(snapshot: Snapshot, now: datetime) -> Decision:
    """What a start request for this application means right now."""
    if is_completed(snapshot):
        return Completed()
    current = next((s for s in snapshot.sessions if s.status == SessionStatus.IN_PROGRESS), None)
    if current is not None and now - current.started_at < REUSE_WINDOW:
        return Reuse(current)
    window_start = now - RATE_LIMIT_WINDOW
    recent = sorted(s.started_at for s in snapshot.sessions if s.started_at >= window_start)
    if len(recent) >= RATE_LIMIT_COUNT:
        # The window frees a slot when the oldest start that still counts leaves it.
        frees_at = recent[-RATE_LIMIT_COUNT] + RATE_LIMIT_WINDOW
        return RateLimited(max(1, math.ceil((frees_at - now).total_seconds())))
    return StartNew(stale=current)


def event(kind: str, at: datetime, payload: dict | None = None) -> dict:
    """One entry of a session's ``events`` list."""
    return {"type": kind, "timestamp": at, "payload": payload or {}}


def new_session_document(application: dict, metadata: dict, now: datetime) -> dict:
    """The stored shape of a fresh in-progress session (the story's schema).

    ``completedAt``, ``duration``, ``finalScore`` and ``scoreBreakdown`` are optional in the
    schema and absent until the interview is scored, rather than stored as nulls.
    """
    return {
        "sessionId": str(uuid.uuid4()),
        "applicationId": application["_id"],
        "candidateId": application.get("userId"),
        "status": SessionStatus.IN_PROGRESS.value,
        "startedAt": now,
        "metadata": metadata,
        "events": [event("session.started", now, {"deviceType": metadata.get("deviceType")})],
        "createdAt": now,
        "updatedAt": now,
    }
