"""``BENCH_VARIANT``: the bench app with part of start-session's work taken out, to measure a bound.

Used only by ``tests/bench/start_session_bounds.py`` (issue 21): how close to the floor start-session
could come if it did less. Each variant gives wrong answers and is never a product:

- ``no-rules-read``: the rules' snapshot read becomes the floor's ``find_one`` of the application,
  and the rules see no session (no reuse, no rate limit, no "already completed");
- ``story-indexes``: ``interviewSessions`` gets only the story's three indexes plus the one that
  keeps one in-progress session per application (the insert's race guard), not the review console's
  and scoring's.

Applied when ``bench_app`` is imported, before the API (and its index list) is built.
"""

from __future__ import annotations

import os

from interview_app.domain.model import Snapshot
from interview_app.storage import mongo
from interview_app.storage.sessions import SessionStore, application_from_document

STORY_INDEX_NAMES = ("sessionId_unique", "applicationId_status", "startedAt_desc")
KNOWN = {"no-rules-read", "story-indexes"}


async def _application_only(self: SessionStore, application_id: str, now) -> Snapshot | None:
    doc = await self.database.applications.find_one({"_id": application_id})
    return Snapshot(application=application_from_document(doc), sessions=[]) if doc else None


def apply() -> None:
    """Apply the variants named in ``BENCH_VARIANT`` (comma-separated)."""
    chosen = {name for name in os.environ.get("BENCH_VARIANT", "").split(",") if name}
    if chosen - KNOWN:
        raise SystemExit(f"unknown BENCH_VARIANT {sorted(chosen - KNOWN)}; known: {sorted(KNOWN)}")
    if "no-rules-read" in chosen:
        SessionStore.load_snapshot = _application_only
    if "story-indexes" in chosen:
        kept = (*STORY_INDEX_NAMES, "one_in_progress_per_application")
        mongo.SESSION_INDEXES[:] = [index for index in mongo.SESSION_INDEXES if index.document["name"] in kept]
        mongo.REQUIRED_INDEXES.intersection_update(kept)
