"""``make bench`` (part 1): start-session latency over HTTP against a bare baseline handler.

Serves ``tests/bench/bench_app.py`` with granian (one worker; the database is single-core),
against SecantusDB on a free port, and prints P50/P95/P99 at concurrency 1, 10 and 100 for
both, with the P95 ratio. Every request starts a new session (one per application), so both
sides do one read and one insert; database round trips per start are counted separately.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter

from pymongo import monitoring

from interview_app.domain.clock import utcnow
from tests.bench.common import bench_database, bench_server, load, percentiles, row

LEVELS = [(1, 200), (10, 500), (100, 1500)]
WARMUP = 50


class CommandCounter(monitoring.CommandListener):
    def __init__(self):
        self.commands: list[str] = []

    def started(self, event):
        self.commands.append(event.command_name)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


async def count_round_trips(uri: str, db_name: str) -> list[str]:
    """Database commands one new start and one reuse cost, observed on the driver."""
    from pymongo import AsyncMongoClient

    from interview_app.domain.start_session import start_session
    from interview_app.storage.mongo import Database, ensure_indexes
    from interview_app.storage.sessions import SessionStore

    counter = CommandCounter()
    client = AsyncMongoClient(uri, event_listeners=[counter], tz_aware=True)
    database = Database(client=client, db=client[db_name])
    await ensure_indexes(database)
    database.index_watch.ready = True  # what keep_indexes does in the app once the indexes exist
    store = SessionStore(database)
    await database.applications.insert_one({"_id": "rt-app", "userId": "u", "jobTitle": "x"})
    counter.commands.clear()
    await start_session(
        store, application_id="rt-app", metadata={}, identity=None, session_secret="x" * 32, now=utcnow()
    )
    new = list(counter.commands)
    counter.commands.clear()
    await start_session(
        store, application_id="rt-app", metadata={}, identity=None, session_secret="x" * 32, now=utcnow()
    )
    reuse = list(counter.commands)
    await database.client.close()
    return [f"new start: {len(new)} round trips {new}", f"reuse:     {len(reuse)} round trips {reuse}"]


def main() -> int:
    total = WARMUP * 2 + sum(n for _, n in LEVELS) * 2

    async def run(base: str, app_ids: list[str], uri: str):
        ids = iter(app_ids)

        def take(n: int) -> list[dict]:
            return [{"applicationId": next(ids)} for _ in range(n)]

        await load(f"{base}/bench/bare", take(WARMUP), 10)
        await load(f"{base}/api/interview/start-session", take(WARMUP), 10)
        print("start-session benchmark (granian, 1 worker, SecantusDB on loopback)")
        for concurrency, n in LEVELS:
            bare = await load(f"{base}/bench/bare", take(n), concurrency)
            errors: Counter = Counter()
            api = await load(f"{base}/api/interview/start-session", take(n), concurrency, errors=errors)
            ratio = percentiles(api)["p95"] / percentiles(bare)["p95"]
            print(row(f"c={concurrency:<3} bare find+insert+JWT", bare))
            print(row(f"c={concurrency:<3} POST start-session", api))
            print(f"c={concurrency:<3} P95 ratio start-session / bare: {ratio:.2f}x")
            server_errors = sum(errors.values()) - errors["503"]  # a 503 with Retry-After is an honest "later"
            print(
                f"c={concurrency:<3} start-session answers other than 201: {sum(errors.values())} of {n} "
                f"(errors, must be 0: {server_errors}; 503 with Retry-After: {errors['503']}) {dict(errors)}"
            )
        for line in await count_round_trips(uri, "bench_rt"):
            print(line)

    with bench_database("bench", total) as (env, app_ids, uri), bench_server(env) as (base, _):
        asyncio.run(run(base, app_ids, uri))
    return 0


if __name__ == "__main__":
    sys.exit(main())
