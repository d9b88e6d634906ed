"""Checks of the ``Cache-Control`` a running prod stack answers (issue 20 §13), read from real responses."""

from __future__ import annotations

import re

import httpx

from interview_app.asset_caching import IMMUTABLE, REVALIDATE

# The page's scripts and stylesheets: <link href>, <script src> and the module script's imports.
ASSET_URL = re.compile(r"""["'](/assets/[^"']+\.(?:js|css))["']""")


def assert_cache_headers(base: str) -> None:
    """Hashed assets are immutable (found, or not modified); the page, unhashed files and a missing
    asset are asked for again each time."""
    page = httpx.get(f"{base}/interview/cache-check", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["cache-control"] == REVALIDATE, page.headers
    assets = ASSET_URL.findall(page.text)
    script = next(url for url in assets if url.endswith(".js"))
    stylesheet = next(url for url in assets if url.endswith(".css"))
    for url in (script, stylesheet):
        found = httpx.get(f"{base}{url}", headers={"Accept-Encoding": "gzip"})
        assert found.status_code == 200 and found.headers["cache-control"] == IMMUTABLE, (url, found.headers)
        again = httpx.get(f"{base}{url}", headers={"If-None-Match": found.headers["etag"], "Accept-Encoding": "gzip"})
        assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE, (url, again.headers)
    assert httpx.get(f"{base}/favicon.svg").headers["cache-control"] == REVALIDATE
    missing = httpx.get(f"{base}/assets/missing-AAAAAAAA.js")
    assert missing.status_code == 404 and missing.headers.get("cache-control") == REVALIDATE, missing.headers
