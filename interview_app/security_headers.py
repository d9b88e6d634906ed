"""Security headers on every HTTP response of the backend, which in prod also serves the page.

A plain ASGI middleware, given to ``rx.App(api_transformer=[...])`` so it wraps the whole backend:
the page, its assets, the API and its docs. The Content-Security-Policy allows this origin only.
Reflex's built page carries a few inline scripts (the theme switch and react-router's hydration
context); rather than ``'unsafe-inline'``, each is allowed by its SHA-256, read from the built HTML
files. Styles keep ``'unsafe-inline'``: Radix and emotion set style attributes and inject
``<style>`` elements at run time. Nothing may evaluate strings: ``rx.call_script`` and
``rx.call_function`` need ``eval`` and are refused, so the page talks to its component through props.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interview_app.config import Settings, origin_of

FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(self), microphone=(self)",
}
# Two years, subdomains too (what hstspreload.org asks for); sent only when browsers reach the app over
# https (``INTERVIEW_PUBLIC_URL``): over plain http a browser ignores it, and localhost must stay usable.
HSTS = "max-age=63072000; includeSubDomains"


def transport_headers(settings: Settings) -> dict[str, str]:
    """``Strict-Transport-Security`` when the public URL is https (Caddy sends it too, deploy/Caddyfile)."""
    public = settings.public_url or ""
    return {"Strict-Transport-Security": HSTS} if public.lower().startswith("https://") else {}


class _InlineScripts(HTMLParser):
    """Collects the text of every ``<script>`` without ``src``."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside: bool = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and not any(name == "src" for name, _ in attrs)
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def inline_script_hashes(static_dir: Path) -> tuple[str, ...]:
    """CSP sources (``'sha256-...'``) for the inline scripts of every built page under ``static_dir``."""
    hashes: set[str] = set()
    for page in sorted(static_dir.rglob("*.html")):
        parser = _InlineScripts()
        parser.feed(page.read_text(encoding="utf-8"))
        for script in parser.scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return tuple(sorted(hashes))


def content_security_policy(settings: Settings, script_hashes: tuple[str, ...]) -> str:
    """Self only; the API's origin too when browsers signal to another one (``INTERVIEW_API_URL``)."""
    api_origin = origin_of(settings.api_url, "INTERVIEW_API_URL") if settings.api_url else None
    connect = " ".join(filter(None, ["'self'", api_origin]))
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "media-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _built_pages_dir() -> Path:
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def middleware(settings: Settings, pages_dir: Callable[[], Path] = _built_pages_dir) -> Callable[[ASGIApp], ASGIApp]:
    """The ``api_transformer`` entry: wraps the backend so every response carries the headers."""

    @functools.cache
    def policy() -> str:
        # Read on the first response: in prod the page is built after the backend module is imported.
        return content_security_policy(settings, inline_script_hashes(pages_dir()))

    fixed = {**FIXED_HEADERS, **transport_headers(settings)}

    def wrap(app: ASGIApp) -> ASGIApp:
        async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    headers["Content-Security-Policy"] = policy()
                    for name, value in fixed.items():
                        headers[name] = value
                await send(message)

            await app(scope, receive, send_with_headers)

        return with_headers

    return wrap
