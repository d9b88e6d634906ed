"""Score a finished session again: the one re-score, for ``make rescore`` and the review API alike.

The rules (who may be queued again, what the history keeps) are here; the store only reads the
session and writes the new ``scoring`` if nothing changed since it read it (optimistic), so a
result stored or a claim taken meanwhile is never lost: that is a 409 ``SESSION_BUSY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from interview_app.domain import errors
from interview_app.domain.model import SessionStatus

NOT_KEPT = frozenset({"history", "leaseUntil", "claim", "notBefore"})  # queue bookkeeping, not a result


@dataclass(frozen=True)
class Requeued:
    scoring: dict  # the session's ``scoring`` now
    changed: bool  # False: it was already queued, and nothing was written


class RequeueStore(Protocol):
    async def requeue_state(self, session_id: str) -> dict | None:
        """The session's ``status``, ``consent``, ``erased``, ``scoring``, ``finalScore`` and
        ``scoreBreakdown``; None when there is no such session."""
        ...

    async def replace_scoring(self, session_id: str, seen: dict, scoring: dict, now: datetime) -> bool:
        """Store ``scoring`` (numbers cleared, a ``scoring.requeued`` event) if the session is still
        as ``seen``; False when it changed meanwhile."""
        ...


def earlier(session: dict) -> dict:
    """The current result as ``scoring.history`` keeps it: its scoring fields and its numbers."""
    scoring = session.get("scoring") or {}
    kept = {key: value for key, value in scoring.items() if key not in NOT_KEPT}
    kept["finalScore"] = session.get("finalScore")
    kept["scoreBreakdown"] = session.get("scoreBreakdown")
    return kept


def requeued(session: dict, now: datetime) -> dict | None:
    """The ``scoring`` a re-score stores, the current result moved into ``history``; None when the
    session is already queued (a repeated request changes nothing). Refuses an interview still in
    progress, one without consent (the ``consent`` field decides), an erased one and one a scorer
    is working on right now."""
    if session.get("status") == SessionStatus.IN_PROGRESS:
        raise errors.SessionNotCompleted("The interview is still in progress: it is scored once it has ended")
    if session.get("erased"):
        raise errors.NotRequeueable("Its personal data was erased: there is nothing left to score")
    if not session.get("consent"):
        raise errors.NotRequeueable("The candidate did not consent to scoring")
    scoring = session.get("scoring") or {}
    status = scoring.get("status")
    if status == "running":
        raise errors.NotRequeueable("It is being scored right now; try again when that is done")
    if status == "pending":
        return None
    history = [*(scoring.get("history") or []), earlier(session)] if scoring else []
    return {"status": "pending", "queuedAt": now, "attempts": 0, "history": history}


async def requeue(store: RequeueStore, session_id: str, now: datetime) -> Requeued:
    """Queue a finished, consented session for scoring again (``make rescore``, the review API's
    re-score); every earlier result stays in ``scoring.history``."""
    session = await store.requeue_state(session_id)
    if session is None:
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    scoring = requeued(session, now)
    if scoring is None:
        return Requeued(session["scoring"], changed=False)
    if not await store.replace_scoring(session_id, session, scoring, now):
        raise errors.SessionBusy("The session's scoring changed meanwhile; retry")
    return Requeued(scoring, changed=True)
