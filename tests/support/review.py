"""Helpers of the review API tests: reviewer tokens and sessions stored as the app stores them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from interview_app.api import paths
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.secrets import REVIEWER_SECRET


def reviewer_token(who: str = "alice@example.com", secret: str = REVIEWER_SECRET, hours: float = 8) -> str:
    return tokens.mint_reviewer_token(secret, who, utcnow(), ttl=timedelta(hours=hours))[0]


def reviewer(who: str = "alice@example.com") -> dict:
    return {"Authorization": f"Bearer {reviewer_token(who)}"}


def session_url(template: str, session_id: str) -> str:
    return template.format(session_id=session_id)


def insert_session(
    sync_db,
    *,
    started_at: datetime | None = None,
    status: str = "completed",
    name: str = "Ada Lovelace",
    job_title: str = "Backend Engineer",
    **fields,
) -> str:
    """A session document shaped like ``storage/sessions.py::session_document`` (then completed),
    written directly: fast enough to seed hundreds."""
    session_id = fields.pop("sessionId", None) or str(uuid.uuid4())
    started_at = started_at or datetime.now(UTC)
    doc = {
        "sessionId": session_id,
        "applicationId": fields.pop("applicationId", f"app-{uuid.uuid4().hex[:10]}"),
        "candidateId": "user-1",
        "candidateName": name,
        "jobTitle": job_title,
        "status": status,
        "startedAt": started_at,
        "lastActivityAt": fields.pop("lastActivityAt", started_at),
        "metadata": {"deviceType": "desktop", "userAgent": "Mozilla/5.0", "ipAddress": "198.51.100.9"},
        "events": [{"type": "session.started", "timestamp": started_at, "payload": {"deviceType": "desktop"}}],
        "transcript": [],
        "transcriptVersion": 0,
        "createdAt": started_at,
        "updatedAt": started_at,
    }
    if status == "completed":
        doc.update(completedAt=started_at + timedelta(minutes=12), duration=720, endReason="interview_complete")
    doc.update(fields)
    sync_db.interviewSessions.insert_one(doc)
    return session_id


REVIEW_ROUTES = [
    ("GET", paths.REVIEW_SESSIONS),
    ("GET", paths.REVIEW_SESSIONS_CSV),
    ("GET", paths.REVIEW_SESSION),
    ("POST", paths.REVIEW_DECISION),
    ("POST", paths.REVIEW_RESCORE),
    ("DELETE", paths.REVIEW_PERSONAL_DATA),
]
