"""Sessions as the hiring team reads and decides on them (issue 18), over MongoDB.

The list is keyset-paginated on ``(startedAt, sessionId)`` descending (index
``review_order``), so a page stays the same while new sessions arrive. Candidate name and job
title are copies stored on the session at start (``storage/sessions.py::session_document``): a
case-insensitive filter on them, and the list, need no join. Sessions stored before that copy
existed get it once, when the indexes are created (``storage/mongo.py::backfill_names``).
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import DESCENDING, ReturnDocument

from interview_app.domain import errors, review, rules
from interview_app.domain.review import Cursor, ListFilter
from interview_app.storage.mongo import Database
from interview_app.storage.sessions import IN_PROGRESS, MAX_EVENTS, event_document, item_from_document, push_event

SORT = [("startedAt", DESCENDING), ("sessionId", DESCENDING)]
FIRST_WINDOW = timedelta(hours=6)  # a page's first read: sessions started in the last 6 hours
WIDEN = 8  # then 2 days, 16 days, 128 days, 2.8 years, 22 years: then no lower bound
EARLIEST_WINDOW = datetime(2000, 1, 1, tzinfo=UTC)
COUNTS_FRESH_FOR = timedelta(seconds=5)  # the console refreshes every 5 s
SLOW_COUNT_S = 0.05  # a count slower than this is kept COUNTS_FRESH_FOR (a big list)
MAX_KEPT_COUNTS = 256  # filters whose counts this process keeps (oldest forgotten first)
_COUNTS: dict[tuple, tuple[datetime, dict]] = {}
MAX_REVIEW_HISTORY = 500  # decisions are human-paced: this only guards the document's size
ROW_FIELDS = {
    "_id": 0,
    "sessionId": 1,
    "applicationId": 1,
    "candidateName": 1,
    "jobTitle": 1,
    "status": 1,
    "startedAt": 1,
    "duration": 1,
    "endReason": 1,
    "metadata.deviceType": 1,
    "metadata.offline": 1,
    "transcript.id": 1,
    "transcript.role": 1,
    "transcript.source": 1,
    "finalScore": 1,
    "scoreBreakdown": 1,
    "scoring.status": 1,
    "review": 1,
    "erased": 1,
}


def filter_query(chosen: ListFilter, text: bool = True) -> dict[str, Any]:
    """The filter as a MongoDB query (``none`` means "not set yet"); without the name search
    (an ``$or`` of two regexes) when ``text`` is false."""
    query: dict[str, Any] = {}
    if chosen.status:
        query["status"] = chosen.status
    if chosen.scoring:
        query["scoring.status"] = None if chosen.scoring == "none" else chosen.scoring
    if chosen.decision:
        query["review.decision"] = None if chosen.decision == "none" else chosen.decision
    if text and chosen.q and chosen.q.strip():
        pattern = {"$regex": re.escape(chosen.q.strip()), "$options": "i"}
        query["$or"] = [{"candidateName": pattern}, {"jobTitle": pattern}]
    started: dict[str, datetime] = {}
    if chosen.started_from:
        started["$gte"] = chosen.started_from
    if chosen.started_to:
        started["$lte"] = chosen.started_to
    if started:
        query["startedAt"] = started
    return query


def _after(r: dict, cursor: Cursor) -> bool:
    """Whether a row read comes strictly after ``cursor`` in the list's order (ties on the start
    broken by session id)."""
    return r["startedAt"] < cursor.started_at or (
        r["startedAt"] == cursor.started_at and r["sessionId"] < cursor.session_id
    )


def _names(r: dict, text: str) -> bool:
    """The name search for a row already read: case-insensitive substring of name or job title."""
    return any(text in (r[field] or "").casefold() for field in ("candidateName", "jobTitle"))


def _without_note(event: dict) -> dict:
    """A session event as erasure keeps it: an accommodation request's note removed."""
    if event.get("type") != "accommodation.requested":
        return event
    return {**event, "payload": {k: v for k, v in (event.get("payload") or {}).items() if k != "note"}}


def row(doc: dict) -> dict:
    """One list row (camelCase, as the API answers it; dates still ``datetime``)."""
    metadata = doc.get("metadata") or {}
    return {
        "sessionId": doc["sessionId"],
        "applicationId": doc["applicationId"],
        "candidateName": doc.get("candidateName"),
        "jobTitle": doc.get("jobTitle"),
        "status": doc["status"],
        "startedAt": doc["startedAt"],
        "duration": doc.get("duration"),
        "endReason": doc.get("endReason"),
        "deviceType": metadata.get("deviceType"),
        "offline": bool(metadata.get("offline")),
        "transcriptVerified": rules.transcript_verified([item_from_document(i) for i in doc.get("transcript") or []]),
        "finalScore": doc.get("finalScore"),
        "scoreBreakdown": doc.get("scoreBreakdown"),
        "scoringStatus": (doc.get("scoring") or {}).get("status"),
        "decision": (doc.get("review") or {}).get("decision"),
        "review": doc.get("review"),
        "erased": doc.get("erased") is not None,
    }


class ReviewStore:
    """Reads and writes of the review API (one instance per request is fine: it holds no state)."""

    def __init__(self, database: Database):
        self.sessions = database.sessions
        self.applications = database.applications

    async def page(self, chosen: ListFilter, cursor: Cursor | None, limit: int) -> tuple[list[dict], Cursor | None]:
        """Up to ``limit`` rows after ``cursor``, newest first, and the cursor of the next page.

        Read window by window below the cursor (or now): the last 6 hours first, then 8 times
        wider until the page is full or the window reaches back to 2000. The query stays one flat
        range on ``startedAt`` with equalities (the cursor's tie-break and the name search are
        applied here, not as ``$or``): an index walk on any MongoDB, and the only shape the
        embedded database answers from an index, where a sort with no range reads every session
        (about 0.35 s at 10,000). A page of recent sessions, what a recruiter opens, is one query.
        """
        flat = filter_query(chosen, text=False)
        text = (chosen.q or "").strip().casefold() or None
        top = cursor.started_at if cursor is not None else None
        ties = await self.sessions.count_documents({"startedAt": top}) if top is not None else 0
        window, now = FIRST_WINDOW, datetime.now(UTC)
        while True:
            lower = (top or now) - window
            bounded = lower > EARLIEST_WINDOW
            started = dict(flat.get("startedAt") or {})
            if bounded:
                started["$gte"] = max(started.get("$gte", lower), lower)
            if top is not None:
                started["$lte"] = min(started.get("$lte", top), top)
            query = {"startedAt": started, **{k: v for k, v in flat.items() if k != "startedAt"}} if started else flat
            found = self.sessions.find(query, ROW_FIELDS).sort(SORT)
            if text is None:
                found = found.limit(limit + 1 + ties)
            read = [row(doc) async for doc in found]
            rows = [r for r in read if (cursor is None or _after(r, cursor)) and (text is None or _names(r, text))]
            if len(rows) > limit or not bounded:
                break
            window *= WIDEN
        if len(rows) <= limit:
            return rows, None
        last = rows[limit - 1]
        return rows[:limit], Cursor(last["startedAt"], last["sessionId"])

    async def rows(self, chosen: ListFilter) -> AsyncIterator[dict]:
        """Every row of the filter, newest first, read in batches (the CSV export)."""
        async for doc in self.sessions.find(filter_query(chosen), ROW_FIELDS).sort(SORT).batch_size(500):
            yield row(doc)

    async def counts(self, chosen: ListFilter, now: datetime) -> dict:
        """The cards above the list, for the whole filter: exact, unless counting is slow.

        Counting reads every session of the filter (about 0.5 s at 10,000 on the embedded
        database, where no count comes from an index), and every page and the console's 5-second
        refresh show the cards. A count that took over :data:`SLOW_COUNT_S` is kept by this process
        for :data:`COUNTS_FRESH_FOR`, so a recruiter paging through a big list pays for it once and
        sees cards at most 5 seconds old; a quick count (a small list) is always made afresh.
        """
        key = (id(self.sessions.database.client), self.sessions.database.name, astuple(chosen))
        kept = _COUNTS.get(key)
        if kept is not None and now - kept[0] < COUNTS_FRESH_FOR:
            return kept[1]
        started = time.perf_counter()
        counted = await self._count(chosen, now)
        if time.perf_counter() - started <= SLOW_COUNT_S:
            _COUNTS.pop(key, None)
            return counted
        _COUNTS[key] = (now, counted)
        while len(_COUNTS) > MAX_KEPT_COUNTS:
            _COUNTS.pop(next(iter(_COUNTS)))
        return counted

    async def _count(self, chosen: ListFilter, now: datetime) -> dict:
        since = now - review.RUNNING_NOW
        completed = {"$eq": ["$status", "completed"]}
        pipeline = [
            {"$match": filter_query(chosen)},
            {
                "$group": {
                    "_id": None,
                    "inProgress": {
                        "$sum": {
                            "$cond": [
                                {"$and": [{"$eq": ["$status", IN_PROGRESS]}, {"$gte": ["$lastActivityAt", since]}]},
                                1,
                                0,
                            ]
                        }
                    },
                    "completed": {"$sum": {"$cond": [completed, 1, 0]}},
                    "awaitingDecision": {
                        "$sum": {
                            "$cond": [
                                {"$and": [completed, {"$eq": [{"$ifNull": ["$review.decision", None]}, None]}]},
                                1,
                                0,
                            ]
                        }
                    },
                    "averageScore": {"$avg": "$finalScore"},
                }
            },
        ]
        async for doc in await self.sessions.aggregate(pipeline):
            average = doc.get("averageScore")
            return {
                "inProgress": doc["inProgress"],
                "completed": doc["completed"],
                "awaitingDecision": doc["awaitingDecision"],
                "averageScore": round(average, 1) if average is not None else None,
            }
        return {"inProgress": 0, "completed": 0, "awaitingDecision": 0, "averageScore": None}

    async def detail(self, session_id: str) -> tuple[dict, dict | None] | None:
        """The whole session document and its application's, or None."""
        session = await self.sessions.find_one({"sessionId": session_id}, {"_id": 0})
        if session is None:
            return None
        application = await self.applications.find_one({"_id": session["applicationId"]})
        return session, application

    async def record_view(self, session_id: str, by: str, now: datetime) -> None:
        """A ``review.viewed`` event: audit only, so neither activity nor ``updatedAt`` moves."""
        await self.sessions.update_one(
            {"sessionId": session_id}, {"$push": push_event("review.viewed", now, {"by": by})}
        )

    async def decide(self, session_id: str, decision: dict, now: datetime) -> str | None:
        """Store ``review`` (and keep it in ``reviewHistory`` and a ``review.decided`` event) unless
        the session is in progress; returns the session's status, None when there is no such session."""
        payload = {key: decision[key] for key in ("decision", "note", "by")}
        doc = await self.sessions.find_one_and_update(
            {"sessionId": session_id, "status": {"$ne": IN_PROGRESS}},
            {
                "$set": {"review": decision, "updatedAt": now},
                "$push": {
                    "reviewHistory": {"$each": [decision], "$slice": -MAX_REVIEW_HISTORY},
                    **push_event("review.decided", now, payload),
                },
            },
            projection={"_id": 0, "status": 1},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self.sessions.find_one({"sessionId": session_id}, {"_id": 0, "status": 1})
        return doc["status"] if doc else None

    async def erase(self, session_id: str, by: str, now: datetime) -> dict | None:
        """Erase the candidate's personal data from the session, for good; the tombstone
        ``{at, by}`` (the first one when already erased), None when there is no such session."""
        doc = await self.sessions.find_one(
            {"sessionId": session_id},
            {"_id": 0, "status": 1, "scoring": 1, "erased": 1, "applicationId": 1, "events": 1},
        )
        if doc is None:
            return None
        if doc.get("erased"):
            return doc["erased"]
        if doc["status"] == IN_PROGRESS:
            raise errors.SessionNotCompleted("End the interview before erasing its data")
        tombstone = {"at": now, "by": by}
        # The events stay (what happened, and when) but lose the candidate's own words: the note
        # of an accommodation request says something about the person's health.
        events = [_without_note(event) for event in doc.get("events") or []]
        events.append(event_document("personal_data.erased", now, {"by": by}))
        changes: dict[str, Any] = {
            "erased": tombstone,
            "transcript": [],
            "events": events[-MAX_EVENTS:],
            "updatedAt": now,
        }
        scoring = review.erased_scoring(doc.get("scoring"))
        if scoring is not None:
            changes["scoring"] = scoring
        result = await self.sessions.update_one(
            {"sessionId": session_id, "status": {"$ne": IN_PROGRESS}, "erased": None},
            {
                "$set": changes,
                "$unset": {
                    "metadata.userAgent": "",
                    "metadata.ipAddress": "",
                    "candidateName": "",
                    "accommodationRequested.note": "",
                },
            },
        )
        if result.matched_count != 1:  # erased (or resumed) by another request meanwhile
            return await self.erase(session_id, by, now)
        # The name belongs to the person, not the session: every copy of it goes.
        await self.sessions.update_many({"applicationId": doc["applicationId"]}, {"$unset": {"candidateName": ""}})
        await self.applications.update_one({"_id": doc["applicationId"]}, {"$unset": {"candidateProfile.fullName": ""}})
        return tombstone
