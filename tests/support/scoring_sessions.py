"""Sessions for the scoring tests, written straight into the real database (consent included)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from interview_app.domain.model import TranscriptItem
from interview_app.storage.sessions import item_document
from tests.support.api_app import add_application
from tests.support.scoring_data import interview


def add_session(
    sync_db,
    transcript: list[TranscriptItem] | None = None,
    *,
    consent: bool = True,
    status: str = "in_progress",
    scoring: dict | None = None,
    app_id: str | None = None,
    name: str = "Ada Lovelace",
) -> str:
    """An interview session (by default in progress, consented, with a sound provider transcript)."""
    app_id = app_id or add_application(sync_db, name=name)
    session_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    doc: dict = {
        "sessionId": session_id,
        "applicationId": app_id,
        "status": status,
        "startedAt": now,
        "lastActivityAt": now,
        "createdAt": now,
        "transcript": [item_document(i) for i in (interview() if transcript is None else transcript)],
        "transcriptVersion": 1,
        "events": [],
    }
    if consent:  # what branch `consent` stores at start (contract C4)
        doc["consent"] = {"at": now, "noticeVersion": "notice-1"}
    if scoring is not None:
        doc["scoring"] = scoring
    sync_db.interviewSessions.insert_one(doc)
    return session_id
