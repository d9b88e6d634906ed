"""What one server process holds while it runs: settings, database, session store, calls.

Built by :func:`lifespan`, which both the stand-alone API and the Reflex app run, and reached
from routes through ``interview_app.api.deps.RuntimeDep``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from fastapi import FastAPI
from pymongo.errors import PyMongoError

from interview_app.config import Settings
from interview_app.observability import init_sentry
from interview_app.realtime import ice
from interview_app.realtime.calls import CallRegistry
from interview_app.storage import embedded
from interview_app.storage.mongo import Database, connect, ensure_indexes, seed_demo
from interview_app.storage.sessions import SessionStore

log = logging.getLogger(__name__)
INDEX_RETRY_S = 2.0


@dataclass
class Runtime:
    settings: Settings
    database: Database
    store: SessionStore
    calls: CallRegistry


async def _prepare_database(database: Database, seed: bool) -> None:
    """Indexes (and the demo seed) as soon as the database answers; retried in the background
    so an app started while the database is down still gets its unique indexes."""
    while True:
        try:
            await ensure_indexes(database)
            if seed:
                await seed_demo(database)
            return
        except PyMongoError as exc:
            log.warning("database not ready (%s); retrying", exc)
            await asyncio.sleep(INDEX_RETRY_S)


@contextlib.asynccontextmanager
async def lifespan(api: FastAPI):
    settings: Settings = api.state.settings
    init_sentry(settings)
    uri = settings.mongodb_uri
    if uri is None:
        server, _ = await asyncio.to_thread(embedded.ensure_running, settings.data_dir)
        uri = server.uri
    database = connect(uri, settings.mongodb_db)
    ice.configure(settings.ice_host_addresses)
    store = SessionStore(database)
    runtime = Runtime(settings=settings, database=database, store=store, calls=CallRegistry(settings, store))
    api.state.runtime = runtime
    preparing = asyncio.create_task(_prepare_database(database, seed=settings.mongodb_uri is None))
    try:
        yield
    finally:
        preparing.cancel()
        await runtime.calls.close_all()
        await database.close()
