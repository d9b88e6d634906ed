"""What the routes share: the bearer token, the runtime, the session claims, the call grant and
the error responses.

FastAPI dependencies as ``Annotated`` aliases (``RuntimeDep``, ``BearerDep``, ``SessionClaimsDep``,
``CallGrantDep``), so a route states what it needs, and who may call it, in its signature, and the
OpenAPI document shows the bearer scheme.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from interview_app.api.errors import ApiError
from interview_app.api.schemas import ErrorBody
from interview_app.domain import lifecycle, review, tokens
from interview_app.runtime import Runtime

ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 429, 500, 503)
ERROR_RESPONSES: dict[int | str, dict] = {status: {"model": ErrorBody} for status in ERROR_STATUSES}

# Declares the scheme in OpenAPI only; parsing stays ours so a malformed header is a 401, not a 403.
_bearer_scheme = HTTPBearer(auto_error=False, description="A candidate, session or offline token")


def bearer_token(
    request: Request, _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)]
) -> str | None:
    """The token of an ``Authorization: Bearer`` header; a malformed header counts as a bad token."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


BearerDep = Annotated[str | None, Depends(bearer_token)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def session_claims(session_id: str, bearer: BearerDep, runtime: RuntimeDep) -> tokens.SessionClaims:
    """The claims of a session token naming the path's ``session_id``: 401 for a missing or invalid
    token, 403 for another session's. Resolved before the route reads its body, so an unauthorised
    request is refused before anything else is looked at."""
    return lifecycle.authorize_session(bearer, session_id, runtime.settings.session_secret)


SessionClaimsDep = Annotated[tokens.SessionClaims, Depends(session_claims)]


def call_grant(bearer: BearerDep, runtime: RuntimeDep) -> tokens.CallGrant:
    """The grant of a session or offline token (signaling needs no database)."""
    if not bearer:
        raise ApiError(401, "UNAUTHORIZED", "A session or offline token is required")
    try:
        return tokens.verify_call_token(runtime.settings.session_secret, bearer)
    except tokens.TokenError as exc:
        raise ApiError(401, "UNAUTHORIZED", "Invalid call token", str(exc)) from exc


CallGrantDep = Annotated[tokens.CallGrant, Depends(call_grant)]


# The review API's own scheme in OpenAPI (an ATS configures it apart from the candidate's tokens).
_reviewer_scheme = HTTPBearer(
    auto_error=False, scheme_name="ReviewerBearer", description="A reviewer token (`make reviewer-link`)"
)


def reviewer(
    request: Request,
    runtime: RuntimeDep,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_reviewer_scheme)],
) -> str:
    """The reviewer (``sub``) of a reviewer token: 401 without a valid one, 403 for a candidate,
    session or offline token, 503 when the server has no ``INTERVIEW_REVIEWER_SECRET``."""
    settings = runtime.settings
    return review.authorize_reviewer(
        bearer_token(request, None),
        settings.reviewer_secret,
        (settings.session_secret, settings.candidate_secret),
    )


ReviewerDep = Annotated[str, Depends(reviewer)]
