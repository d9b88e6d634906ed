"""``GET /api/interview/sessions/{id}/score``: the finished interview's score, for the candidate.

Authorised by the session token, or by the candidate token of the session's application (the
score screen opened from the invite link in a fresh tab). Read only: the scorer writes the fields.
"""

from __future__ import annotations

from fastapi import APIRouter

from interview_app.api import paths
from interview_app.api.deps import ERROR_RESPONSES, BearerDep, RuntimeDep
from interview_app.api.schemas import ScoreResponse, iso_utc
from interview_app.domain.score_view import read_score

router = APIRouter(prefix=paths.PREFIX, tags=["sessions"])


@router.get(paths.relative(paths.SESSION_SCORE), response_model=ScoreResponse, responses=ERROR_RESPONSES)
async def session_score(session_id: str, runtime: RuntimeDep, bearer: BearerDep):
    """The score of a completed interview (409 ``SESSION_NOT_COMPLETED`` while it is in progress);
    with ``INTERVIEW_SHOW_SCORE=false`` the status only."""
    settings = runtime.settings
    view = await read_score(
        runtime.store,
        session_id,
        bearer=bearer,
        session_secret=settings.session_secret,
        candidate_secret=settings.candidate_secret,
        require_auth=settings.require_auth,
        show_score=settings.show_score,
    )
    return ScoreResponse(
        sessionId=view.session_id,
        status=view.status,  # type: ignore[arg-type]  # one of domain.scoring.model.STATUSES
        finalScore=view.final_score,
        scoreBreakdown=view.score_breakdown,
        dimensions=view.dimensions,  # type: ignore[arg-type]  # plain dicts of the Dimension shape
        summary=view.summary,
        provider=view.provider,
        model=view.model,
        rubricVersion=view.rubric_version,
        transcriptVerified=view.transcript_verified,
        scoredAt=iso_utc(view.scored_at),
        reason=view.reason,
    )
