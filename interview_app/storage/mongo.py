"""The MongoDB connection of one process: client, collections, indexes and the demo seed.

One ``AsyncMongoClient`` per process, created inside the running event loop (an async client
belongs to one loop). Timeouts are short so a dead database turns into a quick ``500``,
never a hung request, and the driver reconnects by itself when the server returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

APPLICATIONS = "applications"
SESSIONS = "interviewSessions"
TIMEOUT_MS = 2500

DEMO_APPLICATION_ID = "demo-application"
DEMO_USER_ID = "demo-candidate"

SESSION_INDEXES = [
    IndexModel([("sessionId", ASCENDING)], unique=True, name="sessionId_unique"),
    IndexModel([("applicationId", ASCENDING), ("status", ASCENDING)], name="applicationId_status"),
    IndexModel([("startedAt", DESCENDING)], name="startedAt_desc"),
    # The database itself guarantees one in-progress session per application, across every
    # worker and machine: concurrent starts race on this index, and exactly one insert wins.
    IndexModel([("applicationId", ASCENDING)], unique=True, name="one_in_progress_per_application",
               partialFilterExpression={"status": "in_progress"}),
]


@dataclass
class Database:
    client: AsyncMongoClient
    db: AsyncDatabase

    @property
    def applications(self):
        return self.db[APPLICATIONS]

    @property
    def sessions(self):
        return self.db[SESSIONS]

    async def ping(self) -> None:
        await self.db.command("ping")

    async def close(self) -> None:
        await self.client.close()


def connect(uri: str, db_name: str) -> Database:
    """A lazily connecting client (no I/O here: the app starts even if the database is down)."""
    client = AsyncMongoClient(
        uri, tz_aware=True, tzinfo=timezone.utc,
        serverSelectionTimeoutMS=TIMEOUT_MS, connectTimeoutMS=TIMEOUT_MS, timeoutMS=TIMEOUT_MS,
        maxPoolSize=100, appname="interview_app",
    )
    return Database(client=client, db=client[db_name])


async def ensure_indexes(database: Database) -> None:
    """Create the indexes; idempotent, safe to run from every process at start-up."""
    await database.sessions.create_indexes(SESSION_INDEXES)


async def seed_demo(database: Database) -> None:
    """The demo application the README's ``make run`` link opens (embedded database only)."""
    now = datetime.now(timezone.utc)
    await database.applications.update_one(
        {"_id": DEMO_APPLICATION_ID},
        {"$setOnInsert": {"userId": DEMO_USER_ID, "jobTitle": "Senior Python Engineer",
                          "candidateProfile": {"fullName": "Alex Candidate"},
                          "status": "interview_scheduled", "createdAt": now}},
        upsert=True,
    )
