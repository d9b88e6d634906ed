"""``POST /api/interview/start-session``: register (or reuse) the session before the call starts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from interview_app import observability
from interview_app.api import paths
from interview_app.api.body import json_body, parse_json
from interview_app.api.deps import ERROR_RESPONSES, BearerDep, RuntimeDep
from interview_app.api.errors import ApiError
from interview_app.api.schemas import ApplicationSummary, StartSessionRequest, StartSessionResponse, iso_utc
from interview_app.domain import errors, tokens
from interview_app.domain.clock import utcnow
from interview_app.domain.device import USER_AGENT_MAX_CHARS, client_address, device_type_from_user_agent
from interview_app.domain.identity import authorize
from interview_app.domain.start_session import start_session

router = APIRouter(prefix=paths.PREFIX, tags=["sessions"])


def offline_grant(body: StartSessionRequest, session_secret: str, now) -> tokens.OfflineGrant | None:
    """The verified grant of an offline interview being reconciled (issue 15 C8): ``offline`` only
    with the grant this server minted for that outage, whose ``iat`` is the interview's start."""
    if body.offlineGrant is None:
        if body.metadata is not None and body.metadata.offline:
            raise errors.OfflineGrantRequired()
        return None
    try:
        return tokens.verify_offline_grant(session_secret, body.offlineGrant, body.applicationId, now)
    except tokens.TokenError as exc:
        raise errors.InvalidOfflineGrant(str(exc)) from exc


async def read_start_request(request: Request) -> StartSessionRequest:
    """The body; a bad ``consent`` is ``400 VALIDATION_ERROR`` (contract C4), the rest as everywhere."""
    try:
        return await parse_json(request, StartSessionRequest)
    except ApiError as exc:
        if exc.status == 400 and (exc.details or "").startswith("consent"):
            raise errors.InvalidConsent(exc.details) from exc
        raise


@router.post(
    paths.relative(paths.START_SESSION),
    status_code=201,
    response_model=StartSessionResponse,
    responses={200: {"model": StartSessionResponse, "description": "An in-progress session reused"}, **ERROR_RESPONSES},
    openapi_extra=json_body(StartSessionRequest),
)
async def start_session_route(request: Request, runtime: RuntimeDep, bearer: BearerDep):
    """Register (or reuse) the candidate's interview session before the call starts."""
    settings = runtime.settings
    body = await read_start_request(request)
    identity = authorize(bearer, settings.candidate_secret, settings.require_auth)
    sent = body.metadata.model_dump(exclude_none=True) if body.metadata else {}
    user_agent = sent.get("userAgent") or (request.headers.get("user-agent") or "")[:USER_AGENT_MAX_CHARS]
    metadata = {
        "userAgent": user_agent,
        "ipAddress": client_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            settings.trusted_proxies,
        ),
        "deviceType": sent.get("deviceType") or device_type_from_user_agent(user_agent),
        "networkQuality": sent.get("networkQuality"),
    }
    now = utcnow()
    grant = offline_grant(body, settings.session_secret, now)
    if grant is not None:
        metadata["offline"] = True
    result = await start_session(
        runtime.store,
        application_id=body.applicationId,
        metadata=metadata,
        identity=identity,
        session_secret=settings.session_secret,
        now=now,
        offline_grant=grant,
        token_ttl=settings.session_token_ttl,
        consent_version=body.consent.noticeVersion if body.consent else None,
    )
    if result.created:
        observability.track(
            observability.SESSION_STARTED,
            {"sessionId": result.session_id, "applicationId": body.applicationId, "duration": 0},
            session_id=result.session_id,
        )
    payload = StartSessionResponse(
        sessionId=result.session_id,
        token=result.token,
        expiresAt=iso_utc(result.expires_at),
        application=ApplicationSummary(**result.application.public()),
    )
    return JSONResponse(payload.model_dump(), status_code=201 if result.created else 200)
