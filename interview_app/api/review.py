"""The review API for the hiring team (issue 18 §2): list, detail, CSV, decision, re-score, erasure.

Every route takes ``ReviewerDep`` (a reviewer token: 401 without one, 403 for any other kind of
our tokens). The rules live in :mod:`interview_app.domain.review`; storage in
:mod:`interview_app.storage.review`. Dates are ISO 8601 UTC strings, like the rest of the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from interview_app.api import paths
from interview_app.api.body import json_body, parse_json
from interview_app.api.deps import ERROR_RESPONSES, ReviewerDep, RuntimeDep
from interview_app.api.review_schemas import (
    DecisionRequest,
    RescoreResponse,
    ReviewOut,
    SessionDetail,
    SessionList,
    SessionRow,
    Tombstone,
)
from interview_app.api.schemas import iso_utc
from interview_app.domain import errors, review, rules
from interview_app.domain.clock import utcnow
from interview_app.domain.review import (
    CURSOR_PATTERN,
    DEFAULT_PAGE,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    Cursor,
    DecisionFilter,
    ListFilter,
    ScoringFilter,
    StatusFilter,
)
from interview_app.domain.scoring import requeue
from interview_app.storage.review import ReviewStore
from interview_app.storage.sessions import item_from_document

router = APIRouter(prefix=paths.REVIEW_PREFIX, tags=["review"])
CSV_COLUMNS = (
    "sessionId",
    "applicationId",
    "candidateName",
    "jobTitle",
    "status",
    "startedAt",
    "duration",
    "endReason",
    "deviceType",
    "offline",
    "transcriptVerified",
    "scoringStatus",
    "finalScore",
    "clarity",
    "correctness",
    "depth",
    "decision",
    "decisionNote",
    "decidedBy",
    "decidedAt",
    "erased",
)


def relative(path: str) -> str:
    return path.removeprefix(paths.REVIEW_PREFIX)


async def review_store(runtime: RuntimeDep) -> ReviewStore:
    return ReviewStore(runtime.database)


StoreDep = Annotated[ReviewStore, Depends(review_store)]


async def list_filter(
    status: StatusFilter | None = None,
    scoring: ScoringFilter | None = None,
    decision: DecisionFilter | None = None,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS, description="Candidate name or job title")] = None,
    started_from: Annotated[datetime | None, Query(alias="from", description="startedAt at or after")] = None,
    started_to: Annotated[datetime | None, Query(alias="to", description="startedAt at or before")] = None,
) -> ListFilter:
    """The filters of the list and the CSV (``decision=none`` / ``scoring=none``: not set yet)."""
    return ListFilter(status, scoring, decision, q, review.as_utc(started_from), review.as_utc(started_to))


FilterDep = Annotated[ListFilter, Depends(list_filter)]


def jsonable(value: Any) -> Any:
    """A stored document as JSON: dates as the API's ISO strings, everything else as is."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items() if key != "_id"}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


@router.get(relative(paths.REVIEW_SESSIONS), response_model=SessionList, responses=ERROR_RESPONSES)
async def list_sessions(
    reviewer: ReviewerDep,
    store: StoreDep,
    chosen: FilterDep,
    cursor: Annotated[str | None, Query(pattern=CURSOR_PATTERN, description="nextCursor of the page before")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
):
    """Sessions, newest first, a page at a time, with counts for the whole filter."""
    rows, next_cursor = await store.page(chosen, Cursor.decode(cursor) if cursor else None, limit)
    counts = await store.counts(chosen, utcnow())
    return {
        "items": [
            jsonable({key: value for key, value in r.items() if key not in ("review", "scoreBreakdown")}) for r in rows
        ],
        "nextCursor": next_cursor.encode() if next_cursor else None,
        "counts": counts,
    }


def csv_line(values: list[Any]) -> str:
    """One RFC 4180 record (CRLF, quoted when needed), every cell formula-safe."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([review.safe_cell(value) for value in values])
    return buffer.getvalue()


def csv_record(r: dict) -> list[Any]:
    breakdown = r.get("scoreBreakdown") or {}
    decided = r.get("review") or {}
    return [
        *(r[key] if key != "startedAt" else iso_utc(r[key]) for key in CSV_COLUMNS[:12]),
        r["finalScore"],
        breakdown.get("clarity"),
        breakdown.get("correctness"),
        breakdown.get("depth"),
        decided.get("decision"),
        decided.get("note"),
        decided.get("by"),
        iso_utc(decided.get("at")),
        r["erased"],
    ]


@router.get(
    relative(paths.REVIEW_SESSIONS_CSV),
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **ERROR_RESPONSES},
)
async def export_csv(reviewer: ReviewerDep, store: StoreDep, chosen: FilterDep):
    """Every session of the filter as CSV (RFC 4180, streamed): the AI's scores beside the human
    decision; a cell starting with ``= + - @`` or a tab gets a leading ``'``."""

    async def lines() -> AsyncIterator[str]:
        yield csv_line(list(CSV_COLUMNS))
        async for r in store.rows(chosen):
            yield csv_line(csv_record(r))

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="interview-sessions.csv"'},
    )


ROW_KEYS = tuple(SessionRow.model_fields)
DECISION_BODY = json_body(DecisionRequest)
# pydantic's discriminator mapping points into its own $defs, which the inlined schema has not.
DECISION_BODY["requestBody"]["content"]["application/json"]["schema"].pop("discriminator", None)
SESSION_PARTS = ("events", "transcript", "scoring", "review", "reviewHistory")


@router.get(relative(paths.REVIEW_SESSION), response_model=SessionDetail, responses=ERROR_RESPONSES)
async def session_detail(session_id: str, reviewer: ReviewerDep, store: StoreDep):
    """Everything about one session (metadata with the IP address: reviewers only); records a
    ``review.viewed`` event (at most one per reviewer every 10 minutes)."""
    found = await store.detail(session_id)
    if found is None:
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    session, application = found
    now = utcnow()
    if review.should_record_view(session.get("events") or [], reviewer, now):
        await store.record_view(session_id, reviewer, now)
    transcript = [{**item, "source": item.get("source", "client")} for item in session.get("transcript") or []]
    items = [item_from_document(item) for item in transcript]  # the flags come from the domain's rules
    if application is not None:
        application = {"id": application["_id"], **application}
    return jsonable(
        {
            "session": {key: value for key, value in session.items() if key not in SESSION_PARTS},
            "application": application,
            "events": session.get("events") or [],
            "transcript": transcript,
            "transcriptVerified": rules.transcript_verified(items),
            "offlineSpans": [{"from": span.start, "to": span.end} for span in rules.offline_spans(items)],
            "scoring": session.get("scoring"),
            "review": session.get("review"),
            "reviewHistory": session.get("reviewHistory") or [],
        }
    )


@router.post(
    relative(paths.REVIEW_DECISION),
    response_model=ReviewOut,
    responses=ERROR_RESPONSES,
    openapi_extra=DECISION_BODY,
)
async def decide(session_id: str, request: Request, reviewer: ReviewerDep, store: StoreDep):
    """Record the human decision (``reject`` needs a note); 409 while the interview is in progress."""
    body = (await parse_json(request, DecisionRequest)).root
    decided = await review.decide(store, session_id, reviewer, body.decision, body.note, utcnow())
    return jsonable(decided)


@router.post(relative(paths.REVIEW_RESCORE), status_code=202, response_model=RescoreResponse, responses=ERROR_RESPONSES)
async def rescore(session_id: str, reviewer: ReviewerDep, runtime: RuntimeDep):
    """Put a finished interview back in the scoring queue (the earlier result kept in history);
    already queued: nothing changes. The same use case as ``make rescore``."""
    requeued = await requeue(runtime.scoring, session_id, utcnow())
    return {"sessionId": session_id, "scoring": jsonable(requeued.scoring)}


@router.delete(relative(paths.REVIEW_PERSONAL_DATA), response_model=Tombstone, responses=ERROR_RESPONSES)
async def erase_personal_data(session_id: str, reviewer: ReviewerDep, store: StoreDep):
    """Erase the candidate's personal data from a finished session, for good (GDPR, Illinois' AI
    Video Interview Act): transcript, scoring rationale and evidence, user agent, IP address, name.
    A tombstone stays: ids, dates, status, scores, who erased it and when. Repeating it is harmless."""
    tombstone = await store.erase(session_id, reviewer, utcnow())
    if tombstone is None:
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    return {"sessionId": session_id, "erased": jsonable(tombstone)}
