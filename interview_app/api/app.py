"""The FastAPI application: the HTTP API, mounted by Reflex or served on its own."""

from __future__ import annotations

from fastapi import FastAPI

from interview_app.api import errors, interview, realtime
from interview_app.api.runtime import lifespan
from interview_app.config import Settings, get_settings


def create_api(settings: Settings | None = None) -> FastAPI:
    """Build the API; its ``lifespan`` must run (FastAPI runs it, Reflex registers it)."""
    api = FastAPI(title="Interview API", version="1.0.0", lifespan=lifespan,
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    api.state.settings = settings or get_settings()
    errors.install(api)
    api.include_router(interview.router)
    api.include_router(realtime.router)
    return api
