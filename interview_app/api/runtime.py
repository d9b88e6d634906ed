"""What one server process holds while it runs: settings, database, session store, calls.

Built by :func:`lifespan`, which both the stand-alone API and the Reflex app run, and reached
from routes through the ``RuntimeDep`` dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from pymongo.errors import PyMongoError

from interview_app.config import Settings
from interview_app.observability import init_sentry
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
    extras: dict = field(default_factory=dict)  # per-feature resources (e.g. the realtime calls)


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


_shutdown_hooks: list = []


def on_shutdown(hook) -> None:
    """Register an ``async def hook(runtime)`` run when the process stops (e.g. hang up calls)."""
    _shutdown_hooks.append(hook)


@contextlib.asynccontextmanager
async def lifespan(api: FastAPI):
    settings: Settings = api.state.settings
    init_sentry(settings)
    uri = settings.mongodb_uri
    if uri is None:
        server, _ = await asyncio.to_thread(embedded.ensure_running, settings.data_dir)
        uri = server.uri
    database = connect(uri, settings.mongodb_db)
    runtime = Runtime(settings=settings, database=database, store=SessionStore(database))
    api.state.runtime = runtime
    preparing = asyncio.create_task(_prepare_database(database, seed=settings.mongodb_uri is None))
    try:
        yield
    finally:
        preparing.cancel()
        for hook in _shutdown_hooks:
            with contextlib.suppress(Exception):
                await hook(runtime)
        await database.close()


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
