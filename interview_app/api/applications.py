"""``GET /api/interview/applications/{id}``: what the page shows before Start (job, Resume, submitted)."""

from __future__ import annotations

from fastapi import APIRouter

from interview_app.api import paths
from interview_app.api.deps import ERROR_RESPONSES, BearerDep, RuntimeDep
from interview_app.api.schemas import ActiveSession, ApplicationPreviewResponse, iso_utc
from interview_app.domain.clock import utcnow
from interview_app.domain.lifecycle import preview_application

router = APIRouter(prefix=paths.PREFIX, tags=["applications"])


@router.get(paths.relative(paths.APPLICATION), response_model=ApplicationPreviewResponse, responses=ERROR_RESPONSES)
async def application_preview(application_id: str, runtime: RuntimeDep, bearer: BearerDep):
    """The job and the interview's status for the candidate's own application (no token in it)."""
    settings = runtime.settings
    preview = await preview_application(
        runtime.store,
        application_id=application_id,
        bearer=bearer,
        candidate_secret=settings.candidate_secret,
        require_auth=settings.require_auth,
        now=utcnow(),
    )
    active = preview.active_session
    return ApplicationPreviewResponse(
        **preview.application.public(),
        status=preview.status,
        activeSession=ActiveSession(
            sessionId=active.session_id,
            startedAt=iso_utc(active.started_at),
            lastActivityAt=iso_utc(active.active_since),
        )
        if active
        else None,
    )
