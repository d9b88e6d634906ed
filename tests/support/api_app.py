"""The API wired to a test database, in-process: settings, an httpx client, indexes, applications."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from interview_app.config import Settings
from tests.support.secrets import CANDIDATE_SECRET, REVIEWER_SECRET, SESSION_SECRET

# The local interviewer speaks at its fastest in tests: whole interviews wait on its voice (the
# greeting and first question last 14 s at the default 165 words a minute, 5 s at 450).
TEST_VOICE_WPM = 450


def make_settings(mongo_uri: str, db_name: str, tmp_path: Path, **overrides) -> Settings:
    base = Settings(
        prod=False,
        data_dir=tmp_path,
        mongodb_uri=mongo_uri,
        mongodb_db=db_name,
        session_secret=SESSION_SECRET,
        candidate_secret=CANDIDATE_SECRET,
        reviewer_secret=REVIEWER_SECRET,
        require_auth=False,
        trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")),
        scoring_concurrency=0,  # the API tests read what they stored; tests/scoring turns the scorer on
        local_voice_wpm=TEST_VOICE_WPM,
    )
    return replace(base, **overrides)


class ApiClient(httpx.AsyncClient):
    """An httpx client bound to one in-process API, which tests may look into (``client.api``)."""

    def __init__(self, api: FastAPI):
        super().__init__(
            transport=httpx.ASGITransport(app=api, raise_app_exceptions=False), base_url="http://testserver"
        )
        self.api = api


@contextlib.asynccontextmanager
async def api_client(settings: Settings) -> AsyncIterator[ApiClient]:
    """An httpx client talking to the API in-process, with the API's lifespan running."""
    from interview_app.api.app import create_api

    api = create_api(settings)
    async with api.router.lifespan_context(api), ApiClient(api) as client:
        yield client


async def wait_for_indexes(client) -> None:
    """Until the app knows its session indexes are in place (it refuses new sessions before)."""
    db = client.api.state.runtime.database
    for _ in range(2000):  # polled often: every API test waits here once
        if db.indexes_ready:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("indexes were not created")


def add_application(
    sync_db,
    app_id: str | None = None,
    user_id: str = "user-1",
    status: str = "interview_scheduled",
    job_title: str = "Backend Engineer",
    name: str = "Ada Lovelace",
) -> str:
    app_id = app_id or f"app-{uuid.uuid4().hex[:10]}"
    sync_db.applications.insert_one(
        {
            "_id": app_id,
            "userId": user_id,
            "jobTitle": job_title,
            "candidateProfile": {"fullName": name},
            "status": status,
            "createdAt": datetime.now(UTC),
        }
    )
    return app_id
