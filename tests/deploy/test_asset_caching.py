"""Regression (issue 20 §13): content-hashed assets are cached for a year, by the app and by Caddy;
pages, unhashed files and missing assets are asked for again. On the old code neither the app nor
``deploy/Caddyfile`` sent any ``Cache-Control``."""

from __future__ import annotations

import httpx
import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles

from interview_app.asset_caching import IMMUTABLE, REVALIDATE, middleware
from tests.support.caddy import fake_upstream, running_caddy

HASHED = "/assets/root-Di2gHm--.js"


def upstream():
    """An app that asks for no caching at all: Caddy alone must make hashed assets immutable."""
    return fake_upstream({"Cache-Control": "no-store"}, missing="missing")


def test_caddy_makes_found_hashed_assets_immutable_and_leaves_the_rest_to_the_app(tmp_path):
    with upstream() as app, running_caddy(app, tmp_path) as base:
        found = httpx.get(f"{base}{HASHED}", headers={"Accept-Encoding": "gzip"})
        assert found.status_code == 200 and found.headers.get_list("cache-control") == [IMMUTABLE]
        for path, status in [("/assets/missing-AAAAAAAA.js", 404), ("/interview/app-1", 200), ("/favicon.svg", 200)]:
            response = httpx.get(f"{base}{path}")
            assert response.status_code == status and response.headers.get_list("cache-control") == ["no-store"]


@pytest.fixture
def built(tmp_path):
    """A static export like Reflex's: a hashed script, its gzip sidecar, an unhashed file and a page."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "root-Di2gHm--.js").write_text("export {};")
    (tmp_path / "assets" / "root-Di2gHm--.js.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / "404.html").write_text("<html>missing</html>")
    return tmp_path


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        (HASHED, 200, IMMUTABLE),
        ("/assets/missing-AAAAAAAA.js", 404, REVALIDATE),  # a missing asset is asked for again
        ("/", 200, REVALIDATE),
        ("/favicon.svg", 200, REVALIDATE),
    ],
)
async def test_the_app_sends_the_cache_policy_with_its_static_files(built, path, status, expected):
    files = PrecompressedStaticFiles(directory=built, html=True, encodings=["gzip"])
    transport = httpx.ASGITransport(app=middleware()(files))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == status and response.headers["cache-control"] == expected
        if status == 200:  # a revalidation keeps the policy
            again = await client.get(path, headers={"If-None-Match": response.headers["etag"]})
            assert again.status_code == 304 and again.headers["cache-control"] == expected


async def test_the_app_leaves_the_apis_caching_to_the_api():
    async def api(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    transport = httpx.ASGITransport(app=middleware()(api))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/interview/applications/app-1")
    assert "cache-control" not in response.headers
