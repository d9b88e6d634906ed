"""Shared fixtures: a real wire-protocol database server and the API wired to it.

The database is SecantusDB on a free port with in-memory storage, started once per test run;
set ``MONGODB_URI`` to run the very same suite against a real MongoDB instead. Each test gets
its own database name, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from interview_app.config import Settings
from interview_app.storage import embedded

SESSION_SECRET = "test-session-secret-0123456789-abcdefghijklmnop"
CANDIDATE_SECRET = "test-candidate-secret-0123456789-abcdefghijklmn"


@pytest.fixture(scope="session")
def mongo_uri():
    if os.environ.get("MONGODB_URI"):
        yield os.environ["MONGODB_URI"]
        return
    server = embedded.spawn(":memory:")
    try:
        yield server.uri
    finally:
        embedded.stop(server)


@pytest.fixture
def db_name(mongo_uri):
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with MongoClient(mongo_uri, serverSelectionTimeoutMS=3000) as client:
        with contextlib.suppress(Exception):
            client.drop_database(name)


@pytest.fixture
def sync_db(mongo_uri, db_name):
    with MongoClient(mongo_uri, tz_aware=True) as client:
        yield client[db_name]


def make_settings(mongo_uri: str, db_name: str, tmp_path: Path, **overrides) -> Settings:
    base = Settings(
        prod=False, data_dir=tmp_path, mongodb_uri=mongo_uri, mongodb_db=db_name,
        session_secret=SESSION_SECRET, candidate_secret=CANDIDATE_SECRET, require_auth=False,
        trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")),
    )
    return replace(base, **overrides)


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path):
    return make_settings(mongo_uri, db_name, tmp_path)


@contextlib.asynccontextmanager
async def api_client(settings: Settings):
    """An httpx client talking to the API in-process, with the API's lifespan running."""
    from interview_app.api.app import create_api

    api = create_api(settings)
    async with api.router.lifespan_context(api):
        transport = httpx.ASGITransport(app=api, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.api = api
            yield client


@pytest.fixture
async def client(settings):
    async with api_client(settings) as c:
        await wait_for_indexes(c)
        yield c


async def wait_for_indexes(client) -> None:
    import asyncio
    db = client.api.state.runtime.database
    for _ in range(100):
        names = [ix["name"] async for ix in await db.sessions.list_indexes()]
        if "one_in_progress_per_application" in names:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("indexes were not created")


def add_application(sync_db, app_id: str | None = None, user_id: str = "user-1", status: str = "interview_scheduled",
                    job_title: str = "Backend Engineer", name: str = "Ada Lovelace") -> str:
    app_id = app_id or f"app-{uuid.uuid4().hex[:10]}"
    sync_db.applications.insert_one({"_id": app_id, "userId": user_id, "jobTitle": job_title,
                                     "candidateProfile": {"fullName": name}, "status": status,
                                     "createdAt": datetime.now(timezone.utc)})
    return app_id
