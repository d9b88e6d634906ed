"""``POST /api/interview/start-session`` and ``GET /api/health``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pymongo.errors import PyMongoError

from interview_app import observability
from interview_app.api.body import parse_json
from interview_app.api.errors import error_response
from interview_app.api.runtime import RuntimeDep
from interview_app.api.schemas import ErrorBody, StartSessionRequest, StartSessionResponse
from interview_app.domain import tokens
from interview_app.domain.device import USER_AGENT_MAX_CHARS, client_address, device_type_from_user_agent
from interview_app.domain.identity import authorize
from interview_app.domain.start_session import start_session

router = APIRouter()

ERROR_RESPONSES = {status: {"model": ErrorBody} for status in (400, 401, 403, 404, 413, 415, 429, 500)}


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; a malformed header counts as a bad token."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def iso_utc(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@router.post(
    "/api/interview/start-session",
    status_code=201,
    response_model=StartSessionResponse,
    responses={200: {"model": StartSessionResponse, "description": "An in-progress session reused"},
               **ERROR_RESPONSES},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": StartSessionRequest.model_json_schema()}}}},
)
async def start_session_route(request: Request, runtime: RuntimeDep):
    """Register (or reuse) the candidate's interview session before the call starts."""
    settings = runtime.settings
    body: StartSessionRequest = await parse_json(request, StartSessionRequest)
    identity = authorize(bearer_token(request), settings.candidate_secret, settings.require_auth)
    sent = body.metadata.model_dump() if body.metadata else {}
    user_agent = sent.get("userAgent") or (request.headers.get("user-agent") or "")[:USER_AGENT_MAX_CHARS]
    metadata = {
        "userAgent": user_agent,
        "ipAddress": client_address(request.client.host if request.client else None,
                                    request.headers.get("x-forwarded-for"), settings.trusted_proxies),
        "deviceType": sent.get("deviceType") or device_type_from_user_agent(user_agent),
        "networkQuality": sent.get("networkQuality"),
    }
    result = await start_session(runtime.store, application_id=body.applicationId, metadata=metadata,
                                 identity=identity, session_secret=settings.session_secret, now=tokens.utcnow())
    if result.created:
        observability.track(observability.SESSION_STARTED,
                            {"sessionId": result.session_id, "applicationId": body.applicationId, "duration": 0},
                            session_id=result.session_id)
    payload = StartSessionResponse(sessionId=result.session_id, token=result.token,
                                   expiresAt=iso_utc(result.expires_at), application=result.application)
    return JSONResponse(payload.model_dump(), status_code=201 if result.created else 200)


@router.get("/api/health", responses={503: {"model": ErrorBody}})
async def health(runtime: RuntimeDep):
    """200 when the database answers, 503 when it does not."""
    try:
        await runtime.database.ping()
    except PyMongoError as exc:
        return error_response(503, "DATABASE_UNAVAILABLE", "Database unavailable", type(exc).__name__)
    return {"status": "ok", "database": "ok"}
