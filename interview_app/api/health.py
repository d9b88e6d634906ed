"""``GET /api/health``: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi import APIRouter
from pymongo.errors import PyMongoError

from interview_app.api import paths
from interview_app.api.deps import RuntimeDep
from interview_app.api.errors import error_response
from interview_app.api.schemas import ErrorBody

router = APIRouter(tags=["health"])


@router.get(paths.HEALTH, responses={503: {"model": ErrorBody}})
async def health(runtime: RuntimeDep):
    """200 when the database answers, 503 when it does not."""
    try:
        await runtime.database.ping()
    except PyMongoError as exc:
        return error_response(503, "DATABASE_UNAVAILABLE", "Database unavailable", type(exc).__name__)
    return {"status": "ok", "database": "ok"}
