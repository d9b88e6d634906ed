"""WebRTC signaling: ``POST /api/interview/realtime/calls`` (SDP offer in, SDP answer out) and
``DELETE /api/interview/realtime/calls/{id}`` (hang up).

Needs no database: a call token (session or offline) is verified with the session secret, so
an interview goes on while the database or the start-session API is down.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from interview_app.api.body import read_capped
from interview_app.api.errors import ApiError
from interview_app.api.interview import ERROR_RESPONSES, bearer_token
from interview_app.api.runtime import RuntimeDep
from interview_app.domain import tokens
from interview_app.realtime import sdp
from interview_app.realtime.openai_relay import RelayError

router = APIRouter()
CALLS = "/api/interview/realtime/calls"
MAX_SDP_BYTES = 64 * 1024


def call_grant(request: Request, session_secret: str) -> tokens.CallGrant:
    token = bearer_token(request)
    if not token:
        raise ApiError(401, "UNAUTHORIZED", "A session or offline token is required")
    try:
        return tokens.verify_call_token(session_secret, token)
    except tokens.TokenError as exc:
        raise ApiError(401, "UNAUTHORIZED", "Invalid call token", str(exc)) from exc


def checked_offer(raw: bytes, allow_loopback: bool) -> str:
    try:
        return sdp.check_offer(raw, allow_loopback).sdp
    except sdp.InvalidOffer as exc:
        raise ApiError(400, "INVALID_SDP", "The body must be an SDP offer with an audio m-line", str(exc)) from exc


@router.post(CALLS, status_code=201, responses={201: {"content": {"application/sdp": {}}}, **ERROR_RESPONSES})
async def create_call(request: Request, runtime: RuntimeDep):
    """Answer the candidate's SDP offer with the interviewer's SDP answer."""
    grant = call_grant(request, runtime.settings.session_secret)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/sdp":
        raise ApiError(415, "INVALID_SDP", "Content-Type must be application/sdp")
    offer = checked_offer(await read_capped(request, MAX_SDP_BYTES), runtime.settings.ice_allow_loopback)
    try:
        answer, call_id = await runtime.calls.start(grant, offer)
    except RelayError as exc:
        raise ApiError(502, "PROVIDER_ERROR", "The interviewer could not be reached", str(exc)) from exc
    except ValueError as exc:  # aiortc refuses an offer it cannot use
        raise ApiError(400, "INVALID_SDP", "The offer could not be used", str(exc)) from exc
    # In dev the page and the API are on different ports: let the browser read Location (for hang-up).
    return Response(answer, status_code=201, media_type="application/sdp",
                    headers={"Location": f"{CALLS}/{call_id}", "Access-Control-Expose-Headers": "Location"})


@router.delete(f"{CALLS}/{{call_id}}", status_code=204, responses=ERROR_RESPONSES)
async def end_call(call_id: str, request: Request, runtime: RuntimeDep):
    """Hang up a call made with the same token's grant."""
    grant = call_grant(request, runtime.settings.session_secret)
    record = runtime.calls.find(call_id, grant)
    if record is None:
        raise ApiError(404, "CALL_NOT_FOUND", "No such call in progress")
    await runtime.calls.hang_up(record)
    return Response(status_code=204)
