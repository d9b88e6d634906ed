"""Queries on ``interviewSessions``: each start costs as few round trips as possible.

A new start is two round trips (one aggregate that reads the application with its relevant
sessions, one insert); a reuse is one; a stale session adds one update.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from interview_app.domain.rules import MAX_EVENTS, RATE_LIMIT_WINDOW, SessionRef, SessionStatus, Snapshot, event
from interview_app.storage.mongo import SESSIONS, Database

__all__ = ["DuplicateKeyError", "SessionStore"]

_REF_FIELDS = {"_id": 0, "sessionId": 1, "status": 1, "startedAt": 1}


def _ref(doc: dict) -> SessionRef:
    return SessionRef(session_id=doc["sessionId"], status=doc["status"], started_at=doc["startedAt"])


class SessionStore:
    """Reads and writes sessions for the start-session flow and the call lifecycle."""

    def __init__(self, database: Database):
        self.database = database

    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        """The application with its in-progress, completed and recent sessions, in one trip."""
        pipeline = [
            {"$match": {"_id": application_id}},
            {"$lookup": {
                "from": SESSIONS, "localField": "_id", "foreignField": "applicationId", "as": "sessions",
                "pipeline": [
                    {"$match": {"$or": [
                        {"status": {"$in": [SessionStatus.IN_PROGRESS.value, SessionStatus.COMPLETED.value]}},
                        {"startedAt": {"$gte": now - RATE_LIMIT_WINDOW}},
                    ]}},
                    {"$project": _REF_FIELDS},
                ],
            }},
        ]
        async for doc in await self.database.applications.aggregate(pipeline):
            sessions = [_ref(s) for s in doc.pop("sessions", [])]
            return Snapshot(application=doc, sessions=sessions)
        return None

    async def insert(self, document: dict) -> None:
        """Store a new session; raises ``DuplicateKeyError`` when another one is in progress."""
        await self.database.sessions.insert_one(document)

    async def abandon(self, session_id: str, now: datetime, reason: str) -> None:
        """Mark an in-progress session abandoned (no-op if someone else already did)."""
        await self.database.sessions.update_one(
            {"sessionId": session_id, "status": SessionStatus.IN_PROGRESS.value},
            {"$set": {"status": SessionStatus.ABANDONED.value, "updatedAt": now},
             "$push": {"events": {"$each": [event("session.abandoned", now, {"reason": reason})],
                                  "$slice": -MAX_EVENTS}}},
        )

    async def find_in_progress(self, application_id: str) -> SessionRef | None:
        doc = await self.database.sessions.find_one(
            {"applicationId": application_id, "status": SessionStatus.IN_PROGRESS.value}, _REF_FIELDS)
        return _ref(doc) if doc else None

    async def record_event(self, session_id: str, kind: str, now: datetime, payload: dict) -> bool:
        """Append a bounded event to a session; False when the session does not exist."""
        doc = await self.database.sessions.find_one_and_update(
            {"sessionId": session_id},
            {"$set": {"updatedAt": now},
             "$push": {"events": {"$each": [event(kind, now, payload)], "$slice": -MAX_EVENTS}}},
            projection={"_id": 1}, return_document=ReturnDocument.AFTER,
        )
        return doc is not None

    async def job_title(self, application_id: str) -> str | None:
        doc = await self.database.applications.find_one({"_id": application_id}, {"jobTitle": 1})
        return doc.get("jobTitle") if doc else None
