"""What one server process holds while it runs: settings, database, session store, calls.

Built by :func:`lifespan`, which both the stand-alone API and the Reflex app run, and reached
from routes through ``interview_app.api.deps.RuntimeDep``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from interview_app.config import Settings
from interview_app.observability import init_sentry
from interview_app.realtime import call_orders, ice
from interview_app.realtime.bus import CallBus
from interview_app.realtime.call_orders import CallOrders
from interview_app.realtime.calls import CallRegistry
from interview_app.realtime.interviewer import Provider
from interview_app.realtime.local_interviewer import LocalProvider
from interview_app.realtime.openai_relay import OpenAIProvider
from interview_app.realtime.openai_sideband import OpenAISideband
from interview_app.scoring.worker import Scorer, make_judge
from interview_app.storage import embedded
from interview_app.storage.mongo import Database, connect, keep_indexes
from interview_app.storage.scoring import ScoringStore
from interview_app.storage.sessions import SessionStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    database: Database
    store: SessionStore
    calls: CallRegistry
    scoring: ScoringStore  # the scoring queue (``domain.scoring.requeue`` takes it)
    scorer: Scorer


def interviewer_provider(settings: Settings, store: SessionStore) -> Provider:
    """OpenAI Realtime when an API key is set (each call with the server's own sideband to it),
    else the local interviewer in this process."""
    if settings.openai_api_key:
        return OpenAIProvider(settings, store, sideband=lambda context: OpenAISideband(settings, context))
    return LocalProvider(settings.ice_servers, settings.local_voice_wpm)


@contextlib.asynccontextmanager
async def lifespan(api: FastAPI):
    settings: Settings = api.state.settings
    for risk in settings.risks():
        log.warning("!!! SECURITY WARNING !!! %s", risk)
    init_sentry(settings)
    uri = settings.mongodb_uri
    if uri is None:
        server, _ = await asyncio.to_thread(embedded.ensure_running, settings.data_dir)
        uri = server.uri
    database = connect(uri, settings.mongodb_db, settings.database_timeout_ms)
    ice.configure(settings.ice_host_addresses)
    store = SessionStore(database)
    bus = CallBus(settings.redis_url, settings.session_secret) if settings.redis_url else None
    calls = CallRegistry(settings, store, interviewer_provider(settings, store), CallOrders(bus))
    if bus is not None:
        await bus.start(lambda order: call_orders.apply(calls, order))
    # The scorer of this process (issue 17): woken by an end here, polling for the others.
    scoring_http = httpx.AsyncClient() if settings.openai_api_key else None
    scoring = ScoringStore(database)
    scorer = Scorer(settings, scoring, make_judge(settings, scoring_http))
    store.on_scoring_queued.append(scorer.wake)
    scorer.start()
    runtime = Runtime(settings=settings, database=database, store=store, calls=calls, scoring=scoring, scorer=scorer)
    api.state.runtime = runtime
    # The demo application only on the embedded database in development, never in production.
    seed = settings.mongodb_uri is None and not settings.prod
    preparing = asyncio.create_task(keep_indexes(database, seed=seed))
    try:
        yield
    finally:
        # Wait for the index keeper to stop before its client closes under it (a task cancelled
        # inside a driver call on a closing client must not outlive the app).
        preparing.cancel()
        await asyncio.wait({preparing}, timeout=5)
        await scorer.stop()
        if scoring_http is not None:
            await scoring_http.aclose()
        await runtime.calls.close_all()
        if bus is not None:
            await bus.close()
        await database.close()
