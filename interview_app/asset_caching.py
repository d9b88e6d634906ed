"""How long browsers keep what the backend serves (issue 20 §13), set on the way out.

In prod the backend (granian + Starlette) also serves the static export of the page. Its build tool
(Vite, through Reflex) names every script and stylesheet it emits ``/assets/<name>-<hash>.<ext>``,
the hash being of the file's content: a changed file gets a new name, so a browser may keep such a
file for a year without asking again (``immutable``). Everything else (the HTML pages, which name
the current assets, and the unhashed files such as ``/favicon.svg`` or ``/interview.css``) is
``no-cache``: a browser may keep it but asks first each time, which costs a 304 when nothing
changed, and a new release is seen at once. Only a found file is immutable: a missing asset (a
page of the next release asking an older host) must be asked for again. The API decides its own
caching and is left alone. ``deploy/Caddyfile`` applies the same rule in front of the app.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Vite's ``assets/[name]-[hash].[ext]``: 8 characters of URL-safe base64 before the extension.
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$")
FOUND = frozenset({200, 304})
API_PREFIX = "/api/"


def cache_control(method: str, path: str, status: int) -> str | None:
    """The ``Cache-Control`` a response gets, or None to leave the response as it is (the API)."""
    if path.startswith(API_PREFIX):
        return None
    if method in ("GET", "HEAD") and status in FOUND and HASHED_ASSET.match(path):
        return IMMUTABLE
    return REVALIDATE


def middleware() -> Callable[[ASGIApp], ASGIApp]:
    """The ``api_transformer`` entry: wraps the backend (page, assets and API) like the security headers."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def with_cache_control(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_with_cache_control(message: Message) -> None:
                if message["type"] == "http.response.start":
                    policy = cache_control(scope["method"], scope["path"], message["status"])
                    headers = MutableHeaders(scope=message)
                    if policy == IMMUTABLE or (policy is not None and "cache-control" not in headers):
                        headers["Cache-Control"] = policy
                await send(message)

            await app(scope, receive, send_with_cache_control)

        return with_cache_control

    return wrap
