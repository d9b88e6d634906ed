"""``python -m tests.bench.database_ops``: SecantusDB's CPU per operation for the rules' possible reads.

Issue 21, round 7 (README "Performance"): which reads and writes the start rules could use, and what
each costs the embedded database, one at a time on a fresh in-memory server holding 3,000
applications with two sessions each (and our session indexes). Database CPU is read from ``/proc``.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from pymongo import MongoClient

from interview_app.storage import embedded
from interview_app.storage.mongo import SESSION_INDEXES
from tests.bench.common import CpuMeter

APPLICATIONS = 3000
OPERATIONS = 600


def main() -> int:
    server = embedded.spawn(":memory:")
    try:
        client = MongoClient(server.uri, tz_aware=True)
        db = client.bench_ops
        sessions = db.interviewSessions
        sessions.create_indexes(SESSION_INDEXES)
        now = datetime.now(UTC)
        db.applications.insert_many([{"_id": f"app-{i}", "userId": "u"} for i in range(APPLICATIONS)])
        sessions.insert_many(
            {
                "_id": f"app-{i}/{k}",  # so that a range on `_id` could hold an application's sessions
                "sessionId": str(uuid.uuid4()),
                "applicationId": f"app-{i}",
                "status": "in_progress" if k else "abandoned",
                "startedAt": now,
                "createdAt": now,
            }
            for i in range(APPLICATIONS)
            for k in range(2)
        )
        push = {"$push": {"starts": {"$each": [now], "$slice": -3}}}
        operations: dict[str, Callable[[str], object]] = {
            "find_one of the application by _id": lambda app: db.applications.find_one({"_id": app}),
            "find of its sessions by applicationId": lambda app: list(sessions.find({"applicationId": app})),
            "find of its sessions by a range on _id": lambda app: list(
                sessions.find({"_id": {"$gt": f"{app}/", "$lt": f"{app}0"}})
            ),
            "update_one of the application by _id": lambda app: db.applications.update_one({"_id": app}, push),
            "find_one_and_update of the application": lambda app: db.applications.find_one_and_update(
                {"_id": app}, push
            ),
        }
        meter = CpuMeter(database=server.pid)
        print(f"SecantusDB, {APPLICATIONS} applications with 2 sessions each, {OPERATIONS} operations each:")
        for name, operation in operations.items():
            operation("app-0")  # warm
            with meter.measure(OPERATIONS) as figures:
                for n in range(OPERATIONS):
                    operation(f"app-{n % APPLICATIONS}")
            print(f"  {name:<42} database CPU {figures['database']:6.2f} ms per operation")
        client.close()
    finally:
        embedded.stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
