"""JSON 404/405 for every ``/api`` path or method the API does not serve.

Reflex is mounted behind the API and serves every path the API does not match, so an unknown
``/api/...`` path would get the page's HTML 404 and a wrong method a plain-text 405. This last
route answers them in the API's error shape instead.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from starlette.routing import Match

from interview_app.api.errors import error_response

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def install(api: FastAPI, prefix: str = "/api") -> None:
    """Register the catch-all; call it after every other route of ``api``."""

    async def unknown(request: Request):
        allowed = [method for method in ALL_METHODS if _served(api, {**request.scope, "method": method}, unknown)]
        if allowed:
            return error_response(
                405, "METHOD_NOT_ALLOWED", "Method Not Allowed", headers={"Allow": ", ".join(allowed)}
            )
        return error_response(404, "NOT_FOUND", "Not Found", f"no such API path: {request.url.path[:200]}")

    for path in (prefix, f"{prefix}/{{path:path}}"):
        api.add_api_route(path, unknown, methods=ALL_METHODS, include_in_schema=False)


def _served(api: FastAPI, scope: dict, catch_all: Callable) -> bool:
    """Whether one of the API's routes (those before the catch-all, not Reflex's mount after it) serves
    this path with this method."""
    for route in api.router.routes:
        if getattr(route, "endpoint", None) is catch_all:
            return False
        if route.matches(scope)[0] == Match.FULL:
            return True
    return False
