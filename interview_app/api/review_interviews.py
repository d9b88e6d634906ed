"""``POST /api/review/interviews``: the hiring team creates an interview and gets its invite link
(issue 20 §5). Reviewer tokens only, like every ``/api/review`` route.

The rules are the use case's (``domain/create_interview.py``: idempotent on ``externalId``) and
the plan's (``domain/plan.py``); the link is minted by ``domain/invites.py``, the same function as
``make invite``, and lives ``INTERVIEW_INVITE_DAYS``.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from interview_app.api import paths
from interview_app.api.body import json_body, parse_json
from interview_app.api.deps import ERROR_RESPONSES, ReviewerDep, RuntimeDep
from interview_app.api.review_schemas import CreatedInterviewResponse, CreateInterviewRequest
from interview_app.api.schemas import iso_utc
from interview_app.config import Settings
from interview_app.domain.clock import utcnow
from interview_app.domain.create_interview import InterviewRequest, create_interview
from interview_app.domain.device import is_trusted_peer
from interview_app.domain.invites import mint_invite
from interview_app.domain.plan import parse_plan
from interview_app.storage.applications import ApplicationStore

router = APIRouter(tags=["review"])
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
ERRORS = {**ERROR_RESPONSES, 422: ERROR_RESPONSES[400]}


def _first(value: str | None) -> str:
    return (value or "").split(",")[0].strip()


def link_base(request: Request, settings: Settings) -> str:
    """Where the invite link points: ``INTERVIEW_PUBLIC_URL``, else the origin this request was sent
    to (``X-Forwarded-Proto`` / ``X-Forwarded-Host`` believed from a trusted proxy only: the console's
    own backend, or Caddy in front of the app)."""
    if settings.public_url:
        return settings.public_url
    scheme, host = request.url.scheme, request.headers.get("host", "")
    peer = request.client.host if request.client else None
    if is_trusted_peer(peer, settings.trusted_proxies):
        forwarded_scheme, forwarded_host = (
            _first(request.headers.get("x-forwarded-proto")).lower(),
            _first(request.headers.get("x-forwarded-host")),
        )
        scheme = forwarded_scheme if forwarded_scheme in ("http", "https") else scheme
        host = forwarded_host if _HOST.match(forwarded_host) else host
    return f"{scheme}://{host}"


@router.post(
    paths.REVIEW_INTERVIEWS,
    status_code=201,
    response_model=CreatedInterviewResponse,
    responses={200: {"model": CreatedInterviewResponse, "description": "a retry of this externalId"}, **ERRORS},
    openapi_extra=json_body(CreateInterviewRequest),
)
async def create(request: Request, reviewer: ReviewerDep, runtime: RuntimeDep):
    """Create the application and answer its invite link (201); a retry with the same ``externalId``
    answers the same application with a fresh link (200), or 409 ``EXTERNAL_ID_CONFLICT`` when it
    asks for another interview. The application records who created it (``createdBy``)."""
    body = await parse_json(request, CreateInterviewRequest, invalid_code="VALIDATION_ERROR")
    wanted = InterviewRequest(
        job_title=body.jobTitle.strip(),
        candidate_name=body.candidateName.strip(),
        plan=parse_plan(body.interviewPlan),  # 422 INVALID_INTERVIEW_PLAN naming the field
        candidate_email=body.candidateEmail,
        external_id=body.externalId,
        user_id=body.userId,
    )
    now = utcnow()
    made = await create_interview(ApplicationStore(runtime.database), wanted, reviewer, now)
    settings = runtime.settings
    invite = mint_invite(
        settings.candidate_secret,
        link_base(request, settings),
        made.application_id,
        made.user_id,
        now,
        settings.invite_ttl,
    )
    answer = CreatedInterviewResponse(
        applicationId=made.application_id,
        userId=made.user_id,
        inviteUrl=invite.url,
        expiresAt=iso_utc(invite.expires_at),
    )
    return JSONResponse(answer.model_dump(), status_code=201 if made.created else 200)
