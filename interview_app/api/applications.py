"""``GET /api/interview/applications/{id}``: what the page shows before Start (job, Resume, submitted)."""

from __future__ import annotations

from fastapi import APIRouter

from interview_app.api import paths
from interview_app.api.deps import ERROR_RESPONSES, BearerDep, RuntimeDep
from interview_app.api.schemas import (
    ActiveSession,
    ApplicationPreviewResponse,
    CompletedSession,
    InterviewSummary,
    Notice,
    iso_utc,
)
from interview_app.domain import notice
from interview_app.domain.clock import utcnow
from interview_app.domain.lifecycle import preview_application
from interview_app.domain.questions import questions_for

router = APIRouter(prefix=paths.PREFIX, tags=["applications"])


@router.get(paths.relative(paths.APPLICATION), response_model=ApplicationPreviewResponse, responses=ERROR_RESPONSES)
async def application_preview(application_id: str, runtime: RuntimeDep, bearer: BearerDep):
    """The job, the interview's status and the notice to agree to, for the candidate's own application
    (no token in it); ``completedSession`` names the submitted interview, whose score can be read."""
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
    application = preview.application
    question_count = len(questions_for(application.plan, application.job_title))
    return ApplicationPreviewResponse(
        **application.public(),
        status=preview.status,
        interview=InterviewSummary(
            questionCount=question_count,
            expectedMinutes=application.plan.expected_minutes(question_count),
            language=application.plan.language,
            camera=application.plan.camera,
        ),
        activeSession=ActiveSession(
            sessionId=active.session_id,
            startedAt=iso_utc(active.started_at),
            lastActivityAt=iso_utc(active.active_since),
        )
        if active
        else None,
        notice=Notice(**notice.notice()),
        completedSession=CompletedSession(
            sessionId=done.session_id,
            startedAt=iso_utc(done.started_at),
            completedAt=iso_utc(done.completed_at),
            duration=done.duration,
            answered=done.answered,
        )
        if (done := preview.completed_session)
        else None,
    )
