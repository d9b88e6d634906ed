"""WebRTC signaling: ``POST /api/interview/realtime/calls`` (SDP offer in, SDP answer out) and
``DELETE /api/interview/realtime/calls/{id}`` (hang up).

A call token (session or offline) is verified with the session secret, so signaling needs no
database: when the database cannot say in time whether the session is still in progress, the
call goes ahead (fail open, as offline mode requires).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from interview_app.api import paths
from interview_app.api.body import media_type, read_capped
from interview_app.api.deps import ERROR_RESPONSES, CallGrantDep, RuntimeDep
from interview_app.api.errors import ApiError
from interview_app.realtime import ice, sdp
from interview_app.realtime.call_context import ApplicationNotOpen
from interview_app.realtime.calls import CAPACITY_RETRY_AFTER_S, CallReplaced, CapacityReached
from interview_app.realtime.openai_relay import RelayError

router = APIRouter(prefix=paths.PREFIX, tags=["realtime"])
MAX_SDP_BYTES = 64 * 1024
SDP_BODY = {"requestBody": {"required": True, "content": {"application/sdp": {"schema": {"type": "string"}}}}}


def checked_offer(raw: bytes, policy: sdp.CandidatePolicy) -> str:
    try:
        return sdp.check_offer(raw, policy).sdp
    except sdp.InvalidOffer as exc:
        raise ApiError(400, "INVALID_SDP", "The body must be an SDP offer with an audio m-line", str(exc)) from exc


@router.post(
    paths.relative(paths.REALTIME_CALLS),
    status_code=201,
    openapi_extra=SDP_BODY,
    responses={201: {"content": {"application/sdp": {}}}, 502: ERROR_RESPONSES[500], **ERROR_RESPONSES},
)
async def create_call(request: Request, runtime: RuntimeDep, grant: CallGrantDep):
    """Answer the candidate's SDP offer with the interviewer's SDP answer."""
    if media_type(request) != "application/sdp":
        raise ApiError(415, "INVALID_SDP", "Content-Type must be application/sdp")
    offer = checked_offer(await read_capped(request, MAX_SDP_BYTES), ice.candidate_policy(runtime.settings))
    try:
        answer, call_id = await runtime.calls.start(grant, offer)
    except CapacityReached as exc:
        raise ApiError(
            503,
            "CAPACITY",
            "All interviewers are busy; try again shortly",
            headers={"Retry-After": str(CAPACITY_RETRY_AFTER_S)},
        ) from exc
    except CallReplaced as exc:
        raise ApiError(409, "CALL_REPLACED", "A newer call of this interview replaced this one") from exc
    except ApplicationNotOpen as exc:
        raise ApiError(
            409, "APPLICATION_NOT_OPEN", "This application has no interview to hold: unknown or already completed"
        ) from exc
    except RelayError as exc:
        raise ApiError(502, "PROVIDER_ERROR", "The interviewer could not be reached", str(exc)) from exc
    except ValueError as exc:  # aiortc refuses an offer it cannot use
        raise ApiError(400, "INVALID_SDP", "The offer could not be used", str(exc)) from exc
    # In dev the page and the API are on different ports: let the browser read Location (for hang-up).
    return Response(
        answer,
        status_code=201,
        media_type="application/sdp",
        headers={"Location": paths.REALTIME_CALL.format(call_id=call_id), "Access-Control-Expose-Headers": "Location"},
    )


@router.delete(paths.relative(paths.REALTIME_CALL), status_code=204, responses=ERROR_RESPONSES)
async def end_call(call_id: str, runtime: RuntimeDep, grant: CallGrantDep):
    """Hang up a call made with the same token's grant, whichever worker holds it."""
    record = runtime.calls.find(call_id, grant)
    if record is not None:
        await runtime.calls.hang_up(record)
    elif not await runtime.calls.hang_up_elsewhere(call_id, grant):
        raise ApiError(404, "CALL_NOT_FOUND", "No such call in progress")
    return Response(status_code=204)
