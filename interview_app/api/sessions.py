"""The session lifecycle: read, heartbeat, transcript and end, each with the session token.

Each route takes ``SessionClaimsDep``: authorisation comes first (401 for a missing or bad token,
403 for another session's), then the use cases of :mod:`interview_app.domain.lifecycle`; a bad
body writes nothing.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from pymongo.errors import PyMongoError

from interview_app import observability
from interview_app.api import paths
from interview_app.api.body import json_body, parse_json
from interview_app.api.deps import ERROR_RESPONSES, RuntimeDep, SessionClaimsDep
from interview_app.api.schemas import (
    MAX_TRANSCRIPT_BODY_BYTES,
    DroppedReport,
    EndRequest,
    EndResponse,
    OfflineSpan,
    SessionResponse,
    TranscriptBatch,
    TranscriptCount,
    TranscriptItemOut,
    iso_utc,
)
from interview_app.domain import lifecycle, rules
from interview_app.domain.clock import utcnow
from interview_app.domain.model import Session, TranscriptItem
from interview_app.realtime.bounded import bounded

router = APIRouter(prefix=paths.PREFIX, tags=["sessions"])
log = logging.getLogger(__name__)
HANG_UP_TIMEOUT_S = 2.0


def item_view(item: TranscriptItem) -> TranscriptItemOut:
    return TranscriptItemOut(
        id=item.id,
        role=item.role,
        text=item.text,
        at=iso_utc(item.at),
        durationMs=item.duration_ms,
        source=item.source,
        input=item.input,
        clientText=item.client_text,
    )


def session_view(session: Session, show_score: bool = True) -> SessionResponse:
    """The read, with the provenance flags of :mod:`interview_app.domain.rules` (issue 16 T4);
    ``show_score`` false (``INTERVIEW_SHOW_SCORE``): no numbers for the candidate."""
    return SessionResponse(
        sessionId=session.session_id,
        applicationId=session.application_id,
        status=session.status,
        startedAt=iso_utc(session.started_at),
        lastActivityAt=iso_utc(session.last_activity_at),
        completedAt=iso_utc(session.completed_at),
        duration=session.duration,
        endReason=session.end_reason,
        transcript=[item_view(item) for item in session.transcript],
        transcriptVerified=rules.transcript_verified(session.transcript),
        offlineSpans=[
            OfflineSpan(start=iso_utc(span.start), end=iso_utc(span.end))
            for span in rules.offline_spans(session.transcript)
        ],
        finalScore=session.final_score if show_score else None,
        scoreBreakdown=session.score_breakdown if show_score else None,
    )


@router.get(paths.relative(paths.SESSION), response_model=SessionResponse, responses=ERROR_RESPONSES)
async def read_session(session_id: str, runtime: RuntimeDep, _claims: SessionClaimsDep):
    """The session's state and transcript (never a token)."""
    return session_view(await lifecycle.read_session(runtime.store, session_id), runtime.settings.show_score)


@router.post(paths.relative(paths.SESSION_HEARTBEAT), status_code=204, responses=ERROR_RESPONSES)
async def heartbeat(session_id: str, runtime: RuntimeDep, claims: SessionClaimsDep):
    """The candidate is still here: keeps the session resumable (activity, not age), and lets its
    call live until this token's expiry (the page refreshes its token through start-session)."""
    await lifecycle.heartbeat(runtime.store, session_id, utcnow())
    await runtime.calls.extend(session_id, claims["exp"])  # a refreshed token keeps the call going
    return Response(status_code=204)


@router.post(
    paths.relative(paths.SESSION_TRANSCRIPT),
    response_model=TranscriptCount,
    responses=ERROR_RESPONSES,
    openapi_extra=json_body(TranscriptBatch),
)
async def append_transcript(session_id: str, request: Request, runtime: RuntimeDep, _claims: SessionClaimsDep):
    """Upsert the page's transcript items by id; the whole batch or nothing.

    Interviewer turns only in an offline reconciliation (else 400 ``ROLE_NOT_ALLOWED``); an item
    the interviewer recorded cannot be rewritten, nor any item's role changed (409 ``ITEM_LOCKED``);
    replaying what is stored is harmless."""
    batch = await parse_json(request, TranscriptBatch, limit=MAX_TRANSCRIPT_BODY_BYTES)
    items = [
        TranscriptItem(id=item.id, role=item.role, text=item.text, at=item.at, duration_ms=item.durationMs)
        for item in batch.items
    ]
    count = await lifecycle.append_transcript(runtime.store, session_id, items, utcnow(), author="page")
    return TranscriptCount(count=count)


@router.post(
    paths.relative(paths.SESSION_DROPPED),
    status_code=204,
    responses=ERROR_RESPONSES,
    openapi_extra=json_body(DroppedReport),
)
async def report_dropped(session_id: str, request: Request, runtime: RuntimeDep, _claims: SessionClaimsDep):
    """Turns the page could not store (refused for good) become ``transcript.dropped`` session events."""
    report = await parse_json(request, DroppedReport)
    drops = [(item.itemId, item.code) for item in report.items]
    await lifecycle.report_dropped(runtime.store, session_id, drops, utcnow())
    return Response(status_code=204)


@router.post(
    paths.relative(paths.SESSION_END),
    response_model=EndResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=json_body(EndRequest, required=False),
)
async def end_session(session_id: str, request: Request, runtime: RuntimeDep, _claims: SessionClaimsDep):
    """Complete the interview (idempotent), submit the application and hang up its call."""
    body = await parse_json(request, EndRequest, optional=True)
    ended = await lifecycle.end_session(runtime.store, session_id, body.reason, utcnow())
    session = ended.session
    try:
        await bounded(runtime.calls.hang_up_session(session_id, "session_completed"), HANG_UP_TIMEOUT_S)
    except (TimeoutError, OSError, PyMongoError) as exc:  # the call still ends when the browser closes it
        log.warning("could not hang up the call of session %s: %s", session_id, exc)
    if ended.newly:
        observability.track(
            observability.SESSION_COMPLETED,
            {"sessionId": session_id, "applicationId": session.application_id, "duration": session.duration},
            session_id=session_id,
        )
    return EndResponse(
        sessionId=session_id,
        status="completed",
        completedAt=iso_utc(session.completed_at or utcnow()),
        duration=session.duration or 0,
    )
