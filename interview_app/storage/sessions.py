"""The MongoDB implementation of the domain's ``SessionRepository``: few round trips per request.

A new start is two round trips (one aggregate that reads the application with its relevant
sessions, one insert); a reuse is one; a stale session adds one update. Lifecycle writes are
single conditional updates (``status: in_progress``), so an ended session is never reopened.
Documents are mapped to domain values here: ``_id`` and ``candidateProfile`` stay in storage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from interview_app.domain import errors
from interview_app.domain.model import (
    APPLICATION_COMPLETED,
    Application,
    NewSession,
    Session,
    SessionRef,
    SessionStatus,
    Snapshot,
    TranscriptItem,
)
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan, parse_plan
from interview_app.domain.repository import SessionConflict
from interview_app.domain.rules import SNAPSHOT_STATUSES, counted_since
from interview_app.domain.score_view import ScoreRecord
from interview_app.storage.mongo import APPLICATIONS, SESSIONS, Database

log = logging.getLogger(__name__)

_REF_FIELDS = {"_id": 0, "sessionId": 1, "status": 1, "startedAt": 1, "lastActivityAt": 1, "createdAt": 1, "consent": 1}
_SESSION_FIELDS = {"_id": 0, "events": 0}  # metadata is read for ``offline`` only (a few short fields)
_SCORE_FIELDS = {
    **dict.fromkeys(("sessionId", "applicationId", "candidateId", "status", "consent"), 1),
    **dict.fromkeys(("finalScore", "scoreBreakdown", "scoring", "transcript"), 1),
    "_id": 0,
}
IN_PROGRESS = SessionStatus.IN_PROGRESS.value
MAX_EVENTS = 200  # a session document must stay small: events beyond this are dropped


def _ref(doc: dict) -> SessionRef:
    return SessionRef(
        session_id=doc["sessionId"],
        status=doc["status"],
        started_at=doc["startedAt"],
        last_activity_at=doc.get("lastActivityAt"),
        created_at=doc.get("createdAt"),
        consented=isinstance(doc.get("consent"), dict),
    )


def application_from_document(doc: dict) -> Application:
    return Application(
        id=doc["_id"],
        user_id=doc.get("userId"),
        job_title=doc.get("jobTitle"),
        candidate_name=(doc.get("candidateProfile") or {}).get("fullName"),
        status=doc.get("status"),
        plan=parse_plan(doc.get("interviewPlan")),
    )


def plan_for_reading(raw: object, session_id: str) -> InterviewPlan:
    """The stored plan, for reading a finished interview (its score, which question an answer
    answers): a plan broken since is logged and read as the default, never a failed read."""
    try:
        return parse_plan(raw)
    except errors.InvalidInterviewPlan as exc:
        log.warning("session %s: its application's interviewPlan is broken (%s); read without it", session_id, exc)
        return DEFAULT_PLAN


def _with_application(session_id: str, fields: dict) -> list[dict]:
    """One session's ``fields`` with its application's job title and plan (``application``), one trip."""
    return [
        {"$match": {"sessionId": session_id}},
        {"$project": fields},
        {
            "$lookup": {
                "from": APPLICATIONS,
                "localField": "applicationId",
                "foreignField": "_id",
                "as": "application",
                "pipeline": [{"$project": {"jobTitle": 1, "interviewPlan": 1}}],
            }
        },
    ]


def _item(doc: dict) -> TranscriptItem:
    """Items stored before sources existed were all written by the page: ``client``."""
    return TranscriptItem(
        id=doc["id"],
        role=doc["role"],
        text=doc.get("text", ""),
        at=doc.get("at"),
        duration_ms=doc.get("durationMs"),
        source=doc.get("source", "client"),
        input=doc.get("input"),
        client_text=doc.get("clientText"),
    )


item_from_document = _item  # the scoring queue reads transcripts the same way


def _item_doc(item: TranscriptItem) -> dict:
    doc: dict = {"id": item.id, "role": item.role, "text": item.text}
    if item.at is not None:
        doc["at"] = item.at
    if item.duration_ms is not None:
        doc["durationMs"] = item.duration_ms
    doc["source"] = item.source
    if item.input is not None:
        doc["input"] = item.input
    if item.client_text is not None:
        doc["clientText"] = item.client_text
    return doc


def _session(doc: dict) -> Session:
    return Session(
        session_id=doc["sessionId"],
        application_id=doc["applicationId"],
        status=doc["status"],
        started_at=doc["startedAt"],
        last_activity_at=doc.get("lastActivityAt"),
        completed_at=doc.get("completedAt"),
        duration=doc.get("duration"),
        end_reason=doc.get("endReason"),
        transcript=[_item(item) for item in doc.get("transcript") or []],
        transcript_version=doc.get("transcriptVersion", 0),
        final_score=doc.get("finalScore"),
        score_breakdown=doc.get("scoreBreakdown"),
        offline=(doc.get("metadata") or {}).get("offline") is True,
    )


def queued_for_scoring(now: datetime, consented: bool) -> dict:
    """The ``scoring`` a session gets in the write that completes it: consent decides (issue 17 §4)."""
    return {"status": "pending", "queuedAt": now, "attempts": 0} if consented else {"status": "not_consented"}


def event_document(kind: str, at: datetime, payload: dict | None = None) -> dict:
    """One entry of a session's ``events`` list."""
    return {"type": kind, "timestamp": at, "payload": payload or {}}


def push_event(kind: str, now: datetime, payload: dict) -> dict:
    """The ``$push`` of one event, the list kept to its last ``MAX_EVENTS``."""
    return {"events": {"$each": [event_document(kind, now, payload)], "$slice": -MAX_EVENTS}}


item_document = _item_doc  # the stored shape of a transcript item (tests seed sessions with it)


def session_document(new: NewSession) -> dict:
    """The stored shape of a fresh in-progress session (the story's schema).

    ``completedAt``, ``duration``, ``finalScore`` and ``scoreBreakdown`` are optional in the
    schema and absent until the interview ends or is scored, rather than stored as nulls; so is
    ``consent`` (``{at, noticeVersion}``) until the candidate agrees to the notice.
    """
    now = new.created_at
    events = [event_document("session.started", now, {"deviceType": new.metadata.get("deviceType")})]
    consent = {}
    if new.consent is not None:
        consent = {"consent": new.consent}
        events.append(event_document("consent.given", now, {"noticeVersion": new.consent["noticeVersion"]}))
    return {
        "sessionId": new.session_id,
        "applicationId": new.application_id,
        "candidateId": new.candidate_id,
        "candidateName": new.candidate_name,  # copies for the review list (storage/review.py)
        "jobTitle": new.job_title,
        "status": IN_PROGRESS,
        "startedAt": new.started_at,
        "lastActivityAt": now,
        "metadata": new.metadata,
        "events": events,
        "transcript": [],
        "transcriptVersion": 0,
        "createdAt": now,
        "updatedAt": now,
        **consent,
    }


def snapshot_match(now: datetime) -> dict[str, Any]:
    """``rules.in_snapshot`` as a query: a session stored before ``createdAt`` existed counts
    from its ``startedAt`` (``SessionRef.counted_at``)."""
    since = counted_since(now)
    return {
        "$or": [
            {"status": {"$in": [status.value for status in SNAPSHOT_STATUSES]}},
            {"createdAt": {"$gte": since}},
            {"createdAt": None, "startedAt": {"$gte": since}},
        ]
    }


class SessionStore:
    """Reads and writes sessions for the start-session flow, the lifecycle and the calls."""

    def __init__(self, database: Database):
        self.database = database
        # Called with the session id whenever a completion queued it for scoring (the scorer of
        # this process wakes at once instead of at its next poll).
        self.on_scoring_queued: list[Callable[[str], None]] = []

    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        """The application with the sessions ``rules.in_snapshot`` keeps, in one trip."""
        pipeline = [
            {"$match": {"_id": application_id}},
            {
                "$lookup": {
                    "from": SESSIONS,
                    "localField": "_id",
                    "foreignField": "applicationId",
                    "as": "sessions",
                    "pipeline": [{"$match": snapshot_match(now)}, {"$project": _REF_FIELDS}],
                }
            },
        ]
        async for doc in await self.database.applications.aggregate(pipeline):
            sessions = [_ref(s) for s in doc.pop("sessions", [])]
            return Snapshot(application=application_from_document(doc), sessions=sessions)
        return None

    async def insert(self, session: NewSession) -> None:
        """Store a new session; raises ``SessionConflict`` when another one is in progress, and
        ``DatabaseUnavailable`` while the unique indexes that make that check are not in place."""
        if not await self.database.confirm_indexes():
            raise errors.DatabaseUnavailable("The database is being prepared; try again in a moment")
        try:
            await self.database.sessions.insert_one(session_document(session))
        except DuplicateKeyError as exc:
            raise SessionConflict(str(exc)) from exc

    async def abandon(self, session_id: str, now: datetime, reason: str) -> None:
        """Mark an in-progress session abandoned (no-op if someone else already did)."""
        await self.database.sessions.update_one(
            {"sessionId": session_id, "status": IN_PROGRESS},
            {
                "$set": {"status": SessionStatus.ABANDONED.value, "updatedAt": now},
                "$push": push_event("session.abandoned", now, {"reason": reason}),
            },
        )

    async def find_in_progress(self, application_id: str) -> SessionRef | None:
        doc = await self.database.sessions.find_one(
            {"applicationId": application_id, "status": IN_PROGRESS}, _REF_FIELDS
        )
        return _ref(doc) if doc else None

    async def get(self, session_id: str) -> Session | None:
        doc = await self.database.sessions.find_one({"sessionId": session_id}, _SESSION_FIELDS)
        return _session(doc) if doc else None

    async def touch(self, session_id: str, now: datetime) -> bool:
        result = await self.database.sessions.update_one(
            {"sessionId": session_id, "status": IN_PROGRESS}, {"$set": {"lastActivityAt": now, "updatedAt": now}}
        )
        return result.matched_count == 1

    async def replace_transcript(
        self, session_id: str, version: int, items: list[TranscriptItem], now: datetime
    ) -> bool:
        # Sessions stored before transcripts existed have no version field: it counts as 0.
        current = {"$in": [version, None]} if version == 0 else version
        result = await self.database.sessions.update_one(
            {"sessionId": session_id, "status": IN_PROGRESS, "transcriptVersion": current},
            {
                "$set": {
                    "transcript": [_item_doc(item) for item in items],
                    "transcriptVersion": version + 1,
                    "lastActivityAt": now,
                    "updatedAt": now,
                }
            },
        )
        return result.matched_count == 1

    async def complete(self, session_id: str, completed_at: datetime, duration: int, reason: str) -> bool:
        """Complete an in-progress session and, in the same write, queue it for scoring (C1).

        The rule, exactly: a session with a ``consent`` field is queued (``scoring.status:
        pending``); one without gets ``not_consented`` and is never claimed. Consent is stored at
        start, so trying the consented shape first and the other second is race-free; each write is
        the one that completes the session.
        """
        for consented in (True, False):
            result = await self.database.sessions.update_one(
                {"sessionId": session_id, "status": IN_PROGRESS, "consent": {"$exists": consented}},
                {
                    "$set": {
                        "status": SessionStatus.COMPLETED.value,
                        "completedAt": completed_at,
                        "duration": duration,
                        "endReason": reason,
                        "lastActivityAt": completed_at,
                        "updatedAt": completed_at,
                        "scoring": queued_for_scoring(completed_at, consented),
                    },
                    "$push": push_event("session.completed", completed_at, {"reason": reason, "duration": duration}),
                },
            )
            if result.matched_count == 1:
                if consented:
                    for listener in self.on_scoring_queued:
                        listener(session_id)
                return True
        return False

    async def mark_application_completed(self, application_id: str, at: datetime) -> None:
        """Once per application: a repeated end must not undo a later status (under review...)."""
        await self.database.applications.update_one(
            {"_id": application_id, "interviewCompletedAt": {"$exists": False}},
            {"$set": {"status": APPLICATION_COMPLETED, "interviewCompletedAt": at, "updatedAt": at}},
        )

    async def record_event(self, session_id: str, kind: str, now: datetime, payload: dict) -> bool:
        """Append a bounded event (the call's lifecycle, which is also activity); False when the
        session does not exist."""
        doc = await self.database.sessions.find_one_and_update(
            {"sessionId": session_id},
            {"$set": {"updatedAt": now, "lastActivityAt": now}, "$push": push_event(kind, now, payload)},
            projection={"_id": 1},
            return_document=ReturnDocument.AFTER,
        )
        return doc is not None

    async def call_context(self, session_id: str) -> tuple[Session, str | None, InterviewPlan] | None:
        """A session with its application's job title and interview plan, in one trip (what a call
        needs to begin). A broken stored plan raises ``InvalidInterviewPlan`` (422), as at start."""
        async for doc in await self.database.sessions.aggregate(_with_application(session_id, _SESSION_FIELDS)):
            application = (doc.pop("application", None) or [{}])[0]
            return _session(doc), application.get("jobTitle"), parse_plan(application.get("interviewPlan"))
        return None

    async def give_consent(self, session_id: str, consent: dict, now: datetime) -> bool:
        """Once per session: a session that has consent keeps the first one."""
        payload = {"noticeVersion": consent["noticeVersion"]}
        result = await self.database.sessions.update_one(
            {"sessionId": session_id, "consent": None},
            {"$set": {"consent": consent, "updatedAt": now}, "$push": push_event("consent.given", now, payload)},
        )
        return result.matched_count == 1

    async def request_accommodation(self, session_id: str, request: dict, now: datetime) -> bool:
        """Any status: a candidate may ask before, during or after the interview."""
        payload = {"note": request["note"]}
        result = await self.database.sessions.update_one(
            {"sessionId": session_id},
            {
                "$set": {"accommodationRequested": request, "updatedAt": now},
                "$push": push_event("accommodation.requested", now, payload),
            },
        )
        return result.matched_count == 1

    async def score_record(self, session_id: str) -> ScoreRecord | None:
        """The fields the score is read from (contract C2) with the application's job title and
        plan (which questions the answers answer), one trip."""
        found = await (await self.database.sessions.aggregate(_with_application(session_id, _SCORE_FIELDS))).to_list(1)
        if not found:
            return None
        doc = found[0]
        application = (doc.pop("application", None) or [{}])[0]
        scoring = doc.get("scoring")
        return ScoreRecord(
            session_id=doc["sessionId"],
            application_id=doc["applicationId"],
            candidate_id=doc.get("candidateId"),
            status=doc["status"],
            consented=isinstance(doc.get("consent"), dict),
            final_score=doc.get("finalScore"),
            score_breakdown=doc.get("scoreBreakdown"),
            scoring=scoring if isinstance(scoring, dict) else {},
            transcript=[_item(item) for item in doc.get("transcript") or []],
            job_title=application.get("jobTitle"),
            plan=plan_for_reading(application.get("interviewPlan"), doc["sessionId"]),
        )

    async def offline_grant_used(self, grant_id: str) -> bool:
        return await self.database.offline_grants.find_one({"_id": grant_id}, {"_id": 1}) is not None

    async def claim_offline_grant(self, grant_id: str, application_id: str, session_id: str, now: datetime) -> bool:
        """The grant's id is the document's ``_id``: unique without another index."""
        try:
            await self.database.offline_grants.insert_one(
                {"_id": grant_id, "applicationId": application_id, "sessionId": session_id, "usedAt": now}
            )
        except DuplicateKeyError:
            return False
        return True

    async def set_remote_call(self, session_id: str, remote_call_id: str) -> None:
        """The provider's id of the session's live call, so any worker can hang it up there."""
        await self.database.sessions.update_one({"sessionId": session_id}, {"$set": {"remoteCallId": remote_call_id}})

    async def remote_call_id(self, session_id: str) -> str | None:
        doc = await self.database.sessions.find_one({"sessionId": session_id}, {"remoteCallId": 1})
        return (doc or {}).get("remoteCallId")

    async def job_title(self, application_id: str) -> str | None:
        doc = await self.database.applications.find_one({"_id": application_id}, {"jobTitle": 1})
        return doc.get("jobTitle") if doc else None
