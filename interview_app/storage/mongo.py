"""The MongoDB connection of one process: client, collections, indexes and the demo seed.

One ``AsyncMongoClient`` per process, created inside the running event loop (an async client
belongs to one loop). Timeouts are short so a dead database turns into a quick ``500``,
never a hung request, and the driver reconnects by itself when the server returns.

A database that comes back may come back empty (a restore, a new node, an in-memory dev
server): its unique indexes are then gone, and with them the guarantee of one in-progress
session per application. :class:`IndexWatch` notices (the driver reports every server that
goes away or comes back, and :func:`keep_indexes` also checks periodically). That only makes the
indexes *unknown*: a monitor heartbeat that times out under load is no restart, so before a new
session is stored :meth:`Database.confirm_indexes` lists them (one round trip, shared by every
request waiting on it); only indexes really missing refuse new sessions until they are re-created.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import parse_qs

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError
from pymongo.server_type import SERVER_TYPE

from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.domain import demo

APPLICATIONS = "applications"
SESSIONS = "interviewSessions"
OFFLINE_GRANTS = "offlineGrants"  # one document per reconciled offline grant (``_id`` = its jti)
INDEX_CHECK_S = 5.0  # how often the indexes are checked while all looks well
INDEX_RETRY_S = 1.0  # and while they are missing or the database is down
log = logging.getLogger(__name__)


SESSION_INDEXES = [
    IndexModel([("sessionId", ASCENDING)], unique=True, name="sessionId_unique"),
    IndexModel([("applicationId", ASCENDING), ("status", ASCENDING)], name="applicationId_status"),
    IndexModel([("startedAt", DESCENDING)], name="startedAt_desc"),
    # The database itself guarantees one in-progress session per application, across every
    # worker and machine: concurrent starts race on this index, and exactly one insert wins.
    IndexModel(
        [("applicationId", ASCENDING)],
        unique=True,
        name="one_in_progress_per_application",
        partialFilterExpression={"status": "in_progress"},
    ),
    # The scoring queue's claim: pending (oldest first) or running with an expired lease. Partial:
    # sessions in progress have no ``scoring`` yet, so starts and transcript writes never maintain it.
    IndexModel(
        [("scoring.status", ASCENDING), ("scoring.queuedAt", ASCENDING)],
        name="scoring_queue",
        partialFilterExpression={"scoring.status": {"$exists": True}},
    ),
    # The review list (storage/review.py) and the CSV walk sessions newest first with a keyset on
    # (startedAt, sessionId): this index gives both the order and the "after the cursor" range, so a
    # page reads `limit` entries instead of sorting every session.
    IndexModel([("startedAt", DESCENDING), ("sessionId", DESCENDING)], name="review_order"),
    # The review filters a recruiter uses most ("in progress now", "completed", "awaiting a
    # decision", "scored"): each an equality on one field followed by the list's order, so a
    # filtered page is also a bounded index walk rather than a scan of every session.
    IndexModel([("status", ASCENDING), ("startedAt", DESCENDING), ("sessionId", DESCENDING)], name="review_status"),
    # The decision and scoring ones are partial: a session gets those fields only once it ended,
    # so start-session and transcript writes (the hot path, issue 21) never maintain them.
    IndexModel(
        [("review.decision", ASCENDING), ("startedAt", DESCENDING), ("sessionId", DESCENDING)],
        name="review_decision",
        partialFilterExpression={"review.decision": {"$exists": True}},
    ),
    IndexModel(
        [("scoring.status", ASCENDING), ("startedAt", DESCENDING), ("sessionId", DESCENDING)],
        name="review_scoring",
        partialFilterExpression={"scoring.status": {"$exists": True}},
    ),
    # No index for `q` (a case-insensitive substring of name or job title): a regex that is not
    # anchored cannot use one; it filters the rows the order index walks.
]


REQUIRED_INDEXES = {index.document["name"] for index in SESSION_INDEXES}

APPLICATION_INDEXES = [
    # An ATS retries POST /api/review/interviews with its own id (issue 20 §5): concurrent retries
    # race on this index and exactly one application is created per externalId. Partial, so the
    # applications without one (the demo, an integrator's own) never collide.
    IndexModel(
        [("externalId", ASCENDING)],
        unique=True,
        name="externalId_unique",
        partialFilterExpression={"externalId": {"$exists": True}},
    ),
]
REQUIRED_APPLICATION_INDEXES = {index.document["name"] for index in APPLICATION_INDEXES}


class IndexWatch(monitoring.ServerListener):
    """Marks the indexes unknown (not gone) whenever the driver loses or regains a server.

    The driver calls it from its monitoring code, possibly on another thread: it only flips a
    flag, counts the change (so a check that began before it is not trusted) and wakes
    :func:`keep_indexes` thread-safely.
    """

    def __init__(self) -> None:
        self.ready = False
        self.changes = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    def bind(self, loop: asyncio.AbstractEventLoop, wake: asyncio.Event) -> None:
        self._loop, self._wake = loop, wake

    def wake(self) -> None:
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def opened(self, event) -> None:
        pass

    def closed(self, event) -> None:
        pass

    def description_changed(self, event) -> None:
        if SERVER_TYPE.Unknown in (event.previous_description.server_type, event.new_description.server_type):
            self.changes += 1
            self.ready = False
            self.wake()


@dataclass
class Database:
    client: AsyncMongoClient
    db: AsyncDatabase
    index_watch: IndexWatch = field(default_factory=IndexWatch)
    _confirming: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def indexes_ready(self) -> bool:
        """True while the session indexes are known to be in place."""
        return self.index_watch.ready

    async def confirm_indexes(self) -> bool:
        """True when the session indexes are in place: known, or confirmed now by listing them.

        Requests waiting together share one listing (unless the server changed again meanwhile: then
        each trusts its own). Missing indexes wake :func:`keep_indexes`, which re-creates them; until
        then this answers False.
        """
        if self.index_watch.ready:
            return True
        async with self._confirming:
            present = self.index_watch.ready or await _check_indexes(self)
        if not present:
            self.index_watch.wake()
        return present

    # Made once: building a collection object costs each request 10-20 µs (issue 21).
    @cached_property
    def applications(self) -> AsyncCollection:
        return self.db[APPLICATIONS]

    @cached_property
    def sessions(self) -> AsyncCollection:
        return self.db[SESSIONS]

    @cached_property
    def offline_grants(self) -> AsyncCollection:
        return self.db[OFFLINE_GRANTS]

    async def ping(self) -> None:
        await self.db.command("ping")

    async def close(self) -> None:
        await self.client.close()


def durability(uri: str) -> dict:
    """Acknowledged means on disk: every write waits for the journal (``j: true``), unless
    ``MONGODB_URI`` names its own ``w`` or ``journal`` (the operator's choice then).

    Without it a database killed a moment after acknowledging a write lost it: SecantusDB keeps
    nothing since its last checkpoint on ``kill -9``, and MongoDB up to its journal interval. A turn
    the interviewer said just before the crash was then gone while the app believed it stored (the
    fault test's lost question). On SecantusDB a journaled write costs no more (measured 0.79 ms
    against 0.83 ms per update, 50 updates each).
    """
    named = {key.lower() for key in parse_qs(uri.partition("?")[2])}
    return {} if named & {"w", "journal"} else {"journal": True}


def connect(uri: str, db_name: str, timeout_ms: int) -> Database:
    """A lazily connecting client (no I/O here: the app starts even if the database is down); each
    call gives up after ``timeout_ms`` (``INTERVIEW_DATABASE_TIMEOUT_MS``); writes are durable
    (:func:`durability`)."""
    watch = IndexWatch()
    client = AsyncMongoClient(
        uri,
        tz_aware=True,
        tzinfo=UTC,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        timeoutMS=timeout_ms,
        maxPoolSize=100,
        appname="interview_app",
        event_listeners=[watch],
        **durability(uri),
    )
    return Database(client=client, db=client[db_name], index_watch=watch)


async def ensure_indexes(database: Database) -> None:
    """Create the indexes; idempotent, safe to run from every process at start-up."""
    await database.sessions.create_indexes(SESSION_INDEXES)
    await database.applications.create_indexes(APPLICATION_INDEXES)
    await backfill_names(database)


async def backfill_names(database: Database) -> None:
    """Copy candidate name and job title onto sessions stored before the copy existed (those
    without ``jobTitle``, issue 18), one update per application: a database upgraded to the review
    indexes runs it once, with their creation."""
    pipeline = [{"$match": {"jobTitle": {"$exists": False}}}, {"$group": {"_id": "$applicationId"}}]
    application_ids = [doc["_id"] async for doc in await database.sessions.aggregate(pipeline)]
    for application_id in application_ids:
        application = await database.applications.find_one({"_id": application_id}) or {}
        copies = {"jobTitle": application.get("jobTitle")}
        name = (application.get("candidateProfile") or {}).get("fullName")
        if name is not None:
            copies["candidateName"] = name
        await database.sessions.update_many(
            {"applicationId": application_id, "jobTitle": {"$exists": False}, "erased": None}, {"$set": copies}
        )


async def _index_names(collection) -> set[str]:
    return {index["name"] async for index in await collection.list_indexes()}


async def _indexes_present(database: Database) -> bool:
    # One after the other, not gathered: a check cancelled at shutdown then stops inside one driver
    # call, never leaves a second one running on a client about to close.
    if not await _index_names(database.sessions) >= REQUIRED_INDEXES:
        return False
    return await _index_names(database.applications) >= REQUIRED_APPLICATION_INDEXES


async def _check_indexes(database: Database) -> bool:
    """List the indexes; mark them ready when present and no server change came meanwhile."""
    watch = database.index_watch
    changes = watch.changes
    present = await _indexes_present(database)
    if present and watch.changes == changes:
        watch.ready = True
    return present


async def keep_indexes(database: Database, seed: bool) -> None:
    """Runs for the life of the process: (re-)create the indexes whenever they may be gone,
    and seed the demo application (embedded database only) each time the database answers."""
    wake = asyncio.Event()
    database.index_watch.bind(asyncio.get_running_loop(), wake)
    while True:
        wake.clear()
        try:
            if not await _check_indexes(database):
                database.index_watch.ready = False
                await ensure_indexes(database)
                if seed:
                    await seed_demo(database)
                await _check_indexes(database)
        except PyMongoError as exc:
            database.index_watch.ready = False
            log.warning("database not ready (%s); retrying", exc)
        interval = INDEX_CHECK_S if database.index_watch.ready else INDEX_RETRY_S
        try:
            await asyncio.wait_for(wake.wait(), interval)
        except TimeoutError:
            pass


async def seed_demo(database: Database) -> None:
    """The demo application the home page links (embedded database only), marked as demo data
    (``domain/demo.py``) so ``make demo-reset`` knows it; kept as it is when it exists."""
    document = demo.demo_application_document(DEMO_APPLICATION_ID, datetime.now(UTC))
    mark = {demo.DEMO_MARK: document.pop(demo.DEMO_MARK)}
    await database.applications.update_one(
        {"_id": DEMO_APPLICATION_ID}, {"$setOnInsert": document, "$set": mark}, upsert=True
    )
