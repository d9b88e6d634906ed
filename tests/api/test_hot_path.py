"""The request path stays on the event loop (issue 21): no route and no dependency of the API is a
plain ``def``, which FastAPI would run in a worker thread (a thread hop and GIL contention on every
request: it was the largest share of the API's extra CPU per request, README "Performance")."""

from __future__ import annotations

import inspect

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from interview_app.api.app import create_api


def runs_on_the_loop(call) -> bool:
    """A coroutine function, or an object whose ``__call__`` is one (``HTTPBearer``)."""
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


def sync_calls(dependant: Dependant) -> list[str]:
    found = []
    for dependency in dependant.dependencies:
        if dependency.call is not None and not runs_on_the_loop(dependency.call):
            found.append(getattr(dependency.call, "__qualname__", repr(dependency.call)))
        found += sync_calls(dependency)
    return found


def api_routes(routes) -> list[APIRoute]:
    """Every ``APIRoute``, inside included routers too (FastAPI keeps those as wrappers)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
    return found


@pytest.fixture
def routes(settings) -> list[APIRoute]:
    return api_routes(create_api(settings).routes)


def test_every_route_and_every_dependency_runs_on_the_event_loop(routes):
    assert any(route.path.endswith("/start-session") for route in routes)
    offenders = {
        route.path: sync_calls(route.dependant) + ([] if runs_on_the_loop(route.endpoint) else [route.name])
        for route in routes
    }
    assert {path: calls for path, calls in offenders.items() if calls} == {}
