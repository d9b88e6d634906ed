"""The FastAPI application: the HTTP API, mounted by Reflex or served on its own."""

from __future__ import annotations

from fastapi import FastAPI

from interview_app.api import errors, interview, realtime
from interview_app.api.runtime import lifespan
from interview_app.config import Settings, get_settings


def create_api(settings: Settings | None = None) -> FastAPI:
    """Build the API; its ``lifespan`` must run (FastAPI runs it, Reflex registers it)."""
    settings = settings or get_settings()
    docs = not settings.prod  # production publishes no API explorer (nor the schema it reads)
    api = FastAPI(title="Interview API", version="1.0.0", lifespan=lifespan, redoc_url=None,
                  docs_url="/api/docs" if docs else None, openapi_url="/api/openapi.json" if docs else None)
    api.state.settings = settings
    errors.install(api)
    api.include_router(interview.router)
    api.include_router(realtime.router)
    return api
