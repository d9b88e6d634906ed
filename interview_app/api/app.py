"""The FastAPI application: the HTTP API, mounted by Reflex or served on its own."""

from __future__ import annotations

from fastapi import FastAPI

from interview_app.api import (
    accommodation,
    applications,
    docs,
    errors,
    health,
    interview,
    not_found,
    realtime,
    review,
    review_interviews,
    score,
    sessions,
)
from interview_app.config import Settings, get_settings
from interview_app.runtime import lifespan


def create_api(settings: Settings | None = None) -> FastAPI:
    """Build the API; its ``lifespan`` must run (FastAPI runs it, Reflex registers it).

    The docs page and the OpenAPI document exist only when ``INTERVIEW_API_DOCS`` is on (the default
    in dev, off in prod). Unknown ``/api`` paths answer in the error shape, so that route comes last.
    """
    settings = settings or get_settings()
    api = FastAPI(
        title="Interview API",
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json" if settings.api_docs else None,
    )
    api.state.settings = settings
    errors.install(api)
    routers = (interview, applications, sessions, accommodation, score, realtime, health, review, review_interviews)
    for module in routers:
        api.include_router(module.router)
    if settings.api_docs:
        docs.install(api)
    not_found.install(api)
    return api
