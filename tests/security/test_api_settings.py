"""Regression (security items 7, 8 and 10): what production turns off, warns about, and hands to Reflex.

On the old code the docs and the OpenAPI document were always on, ``INTERVIEW_REQUIRE_AUTH=false``
in production started silently, and rxconfig left Reflex's CORS at ``*`` and its
``trusted_proxy_hops`` at 0 whatever the environment said.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import replace

import httpx
import pytest

from interview_app.api.app import create_api
from interview_app.config import Settings
from tests.support.api_app import api_client
from tests.support.app_server import ROOT


@pytest.fixture
def prod_env(monkeypatch, tmp_path):
    for name in ("INTERVIEW_API_DOCS", "INTERVIEW_REQUIRE_AUTH", "INTERVIEW_SESSION_SECRET", "CANDIDATE_TOKEN_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    monkeypatch.setenv("NEXTAUTH_SECRET", "p" * 40)
    monkeypatch.setenv("INTERVIEW_SESSION_SECRET", "q" * 40)  # prod refuses one secret for both (issue 15 C10)
    monkeypatch.setenv("INTERVIEW_DATA_DIR", str(tmp_path))
    return monkeypatch


async def get(settings: Settings, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_api(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json", "/api/redoc", "/api/docs/assets/swagger-ui.css"])
async def test_api_docs_are_off_in_production(prod_env, path):
    response = await get(Settings.from_env(), path)
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


async def test_api_docs_can_be_turned_on_and_need_no_cdn(prod_env):
    prod_env.setenv("INTERVIEW_API_DOCS", "true")
    settings = Settings.from_env()
    page = await get(settings, "/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/api/docs/") for source in sources)
    assert "<script>" not in page.text  # no inline script: the page fits the Content-Security-Policy
    for source in sources:
        asset = await get(settings, source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert (await get(settings, "/api/openapi.json")).json()["info"]["title"]


async def test_no_auth_in_production_warns_loudly_at_start_up(settings, caplog):
    with caplog.at_level(logging.WARNING):
        async with api_client(replace(settings, prod=True, require_auth=False, public_url="https://a.example")):
            pass
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("SECURITY WARNING" in w and "INTERVIEW_REQUIRE_AUTH=false" in w for w in warnings)


async def test_no_public_url_in_production_warns_at_start_up(settings, caplog):
    with caplog.at_level(logging.WARNING):
        async with api_client(replace(settings, prod=True, require_auth=True, public_url=None)):
            pass
    assert any("INTERVIEW_PUBLIC_URL is not set" in r.getMessage() for r in caplog.records)


async def test_auth_in_production_starts_quietly(settings, caplog):
    with caplog.at_level(logging.WARNING):
        async with api_client(replace(settings, prod=True, require_auth=True, public_url="https://a.example")):
            pass
    assert not [r for r in caplog.records if "SECURITY WARNING" in r.getMessage()]


def reflex_config(**env: str) -> dict:
    """rxconfig's values as Reflex reads them, in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERVIEW_", "REFLEX_CORS", "REFLEX_TRUSTED", "REFLEX_ENV_MODE"))
    }
    code = (
        "import json, rxconfig; c = rxconfig.config; "
        "print(json.dumps({'cors': list(c.cors_allowed_origins), 'hops': c.trusted_proxy_hops}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_reflex_allows_only_the_public_origin_in_production():
    config = reflex_config(REFLEX_ENV_MODE="prod", INTERVIEW_PUBLIC_URL="https://interview.example.com/jobs/")
    assert config["cors"] == ["https://interview.example.com"]


def test_further_origins_are_only_those_listed():
    config = reflex_config(
        REFLEX_ENV_MODE="prod",
        INTERVIEW_PUBLIC_URL="https://interview.example.com",
        INTERVIEW_EXTRA_ORIGINS="https://jobs.example.com/, http://127.0.0.2:8080",
    )
    assert config["cors"] == ["https://interview.example.com", "https://jobs.example.com", "http://127.0.0.2:8080"]


def test_reflex_also_allows_the_dev_frontend_in_development():
    config = reflex_config(INTERVIEW_PUBLIC_URL="https://interview.example.com")
    assert config["cors"] == ["https://interview.example.com", "http://localhost:3000", "http://127.0.0.1:3000"]
    assert "*" not in reflex_config()["cors"]


def test_reflex_trusted_proxy_hops_follow_the_setting():
    assert reflex_config()["hops"] == 0
    assert reflex_config(INTERVIEW_TRUSTED_PROXY_HOPS="2")["hops"] == 2
