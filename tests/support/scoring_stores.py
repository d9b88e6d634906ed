"""Fixtures of the scoring tests: a database with its indexes, the session store and the scoring queue
(no app, so no scorer runs). Imported by the conftest or test module that uses them."""

from __future__ import annotations

import pytest

from interview_app.config import Settings
from interview_app.storage.mongo import connect, ensure_indexes
from interview_app.storage.scoring import ScoringStore
from interview_app.storage.sessions import SessionStore


@pytest.fixture
async def database(mongo_uri, db_name):
    database = connect(mongo_uri, db_name, Settings.database_timeout_ms)
    await ensure_indexes(database)
    yield database
    await database.close()


@pytest.fixture
def sessions(database):
    return SessionStore(database)


@pytest.fixture
def queue(database):
    return ScoringStore(database)
