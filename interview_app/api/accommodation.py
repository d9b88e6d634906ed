"""``POST /api/interview/sessions/{id}/accommodation``: the candidate asks for another format."""

from __future__ import annotations

from fastapi import APIRouter, Request

from interview_app.api import paths
from interview_app.api.body import json_body, parse_json
from interview_app.api.deps import ERROR_RESPONSES, RuntimeDep, SessionClaimsDep
from interview_app.api.schemas import AccommodationRequest, AccommodationResponse, iso_utc
from interview_app.domain.accommodation import request_accommodation
from interview_app.domain.clock import utcnow

router = APIRouter(prefix=paths.PREFIX, tags=["sessions"])


@router.post(
    paths.relative(paths.SESSION_ACCOMMODATION),
    response_model=AccommodationResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=json_body(AccommodationRequest, required=False),
)
async def accommodation(session_id: str, request: Request, runtime: RuntimeDep, _claims: SessionClaimsDep):
    """Record an accommodation request (an optional note) for the hiring team; any session status."""
    body = await parse_json(request, AccommodationRequest, optional=True)
    stored = await request_accommodation(runtime.store, session_id, body.note, utcnow())
    return AccommodationResponse(sessionId=session_id, requestedAt=iso_utc(stored["at"]), note=stored["note"])
