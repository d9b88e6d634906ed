"""Shared fixtures: a real wire-protocol database server and the API wired to it.

The database is SecantusDB on a free port with in-memory storage, started once per test run;
set ``MONGODB_URI`` to run the very same suite against a real MongoDB instead. Each test gets
its own database name, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest
from pymongo import MongoClient

from interview_app.storage import embedded
from tests.support.api_app import api_client, make_settings, wait_for_indexes
from tests.support.browser import browser  # noqa: F401  (registered once, for every browser test folder)

pytest_plugins = ["tests.support.hang_report"]  # where a stuck test is stuck, asyncio tasks included


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
    with MongoClient(mongo_uri, serverSelectionTimeoutMS=3000) as client, contextlib.suppress(Exception):
        client.drop_database(name)


@pytest.fixture
def sync_db(mongo_uri, db_name):
    with MongoClient(mongo_uri, tz_aware=True) as client:
        yield client[db_name]


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path):
    return make_settings(mongo_uri, db_name, tmp_path)


@pytest.fixture
async def client(settings):
    async with api_client(settings) as c:
        await wait_for_indexes(c)
        yield c
