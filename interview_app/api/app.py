"""The FastAPI application: the HTTP API, mounted by Reflex or served on its own."""

from __future__ import annotations

from fastapi import FastAPI

from interview_app.api import applications, errors, health, interview, realtime, sessions
from interview_app.config import Settings, get_settings
from interview_app.runtime import lifespan


def create_api(settings: Settings | None = None) -> FastAPI:
    """Build the API; its ``lifespan`` must run (FastAPI runs it, Reflex registers it)."""
    api = FastAPI(title="Interview API", version="1.0.0", lifespan=lifespan,
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    api.state.settings = settings or get_settings()
    errors.install(api)
    for module in (interview, applications, sessions, realtime, health):
        api.include_router(module.router)
    return api
