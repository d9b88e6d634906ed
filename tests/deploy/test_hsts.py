"""Regression (issue 15 D13): HSTS from the proxy, and from the app when its public URL is https.
On the old code neither sent ``Strict-Transport-Security``."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from starlette.responses import PlainTextResponse

from interview_app.security_headers import middleware
from tests.support.caddy import fake_upstream, running_caddy


def test_caddy_sends_hsts(tmp_path):
    with fake_upstream() as app, running_caddy(app, tmp_path) as base:
        response = httpx.get(f"{base}/ping")
        assert response.status_code == 200
        assert response.headers["strict-transport-security"].startswith("max-age=63072000")


@pytest.mark.parametrize(("public_url", "expected"), [("https://interview.example.com", True), (None, False)])
async def test_the_app_sends_hsts_only_when_its_public_url_is_https(settings, tmp_path, public_url, expected):
    wrapped = middleware(replace(settings, public_url=public_url), pages_dir=lambda: tmp_path)(PlainTextResponse("ok"))
    transport = httpx.ASGITransport(app=wrapped)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/")
    assert ("strict-transport-security" in response.headers) is expected
    assert response.headers["x-content-type-options"] == "nosniff"
