"""``make bench`` (part 1): start-session latency over HTTP against a bare baseline handler.

Serves ``tests/bench/bench_app.py`` with granian (one worker; the database is single-core),
against SecantusDB on a free port, and prints P50/P95/P99 at concurrency 1, 10 and 100 for
both, with the P95 ratio, and the CPU each request costs the server process tree and the database
process (from ``/proc``: a regression shows as a number, not only as noise in a latency). Bare and
API alternate in interleaved rounds, so the machine's other load falls on both. Every request
starts a new session (one per application), so both sides do one read and one insert; database round
trips per start are counted separately.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from collections import Counter

import aiohttp
from pymongo import monitoring

from interview_app.domain.clock import utcnow
from tests.bench import profiling
from tests.bench.common import (
    DATABASE_PIDS,
    ROUNDS,
    CpuMeter,
    bench_database,
    bench_server,
    cpu_row,
    load,
    percentiles,
    row,
    sides_in_order,
)

LEVELS = [(1, 100), (10, 150), (100, 300)]  # requests per round and side
API = "/api/interview/start-session"
FLOOR = "/bench/bare"
WARMUP = 50
PROFILED = (10, 1000)  # BENCH_PROFILE=1: one profiled load per side (concurrency, requests)


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
    renewals = []  # the page renews its token through start-session, carrying consent each time
    for _ in range(2):
        counter.commands.clear()
        await start_session(
            store,
            application_id="rt-app",
            metadata={},
            identity=None,
            session_secret="x" * 32,
            now=utcnow(),
            consent_version="bench",
        )
        renewals.append(list(counter.commands))
    await database.client.close()
    return [
        f"new start: {len(new)} round trips {new}",
        f"reuse:     {len(reuse)} round trips {reuse}",
        f"reuse with consent, first:  {len(renewals[0])} round trips {renewals[0]}",
        f"reuse with consent, after:  {len(renewals[1])} round trips {renewals[1]}",
    ]


async def profile(base: str, urls: dict[str, str], take, meter: CpuMeter) -> None:
    """``BENCH_PROFILE=1``: each side's cProfile of one load, with its CPU per request (README
    "Performance"). The profiler slows the server: read the shares, not the milliseconds."""
    concurrency, n = PROFILED
    async with aiohttp.ClientSession() as http:
        for side, url in urls.items():
            await (await http.post(f"{base}/bench/profile/start")).read()
            with meter.measure(n) as figures:
                await load(url, take(n), concurrency)
            text = await (await http.post(f"{base}/bench/profile/stop")).text()
            print(f"\n=== profile of {side}, c={concurrency}, {n} requests ===")
            print(cpu_row(f"{side} (profiled)", figures))
            print(text)


def median_ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(ours / floor for ours, floor in pairs)


def main() -> int:
    compare(LEVELS, full=True)
    return 0


def compare(levels: list[tuple[int, int]], *, api_path: str = API, variant: str = "", full: bool = False) -> None:
    """Interleave the floor and ``api_path`` at each (concurrency, requests per round) and print both.

    ``variant`` is the bench app's ``BENCH_VARIANT`` (``tests/bench/variants.py``); ``full`` adds the
    round trips and, with ``BENCH_PROFILE=1``, the profiles (``make bench``).
    """
    profiled = PROFILED[1] * 2 if profiling.ENABLED and full else 0
    total = WARMUP * 2 + sum(n for _, n in levels) * 2 * ROUNDS + profiled

    async def run(base: str, app_ids: list[str], uri: str, meter: CpuMeter):
        ids = iter(app_ids)

        def take(n: int) -> list[dict]:
            return [{"applicationId": next(ids)} for _ in range(n)]

        urls = {"bare": f"{base}{FLOOR}", "api": f"{base}{api_path}"}
        for url in urls.values():
            await load(url, take(WARMUP), 10)
        print(
            f"start-session benchmark (granian, 1 worker, SecantusDB on loopback; {ROUNDS} interleaved rounds per "
            "level, ratios are the median of the rounds' ratios; CPU per request of the server process tree and "
            "of the database over all rounds)"
        )
        for concurrency, n in levels:
            samples: dict[str, list[float]] = {"bare": [], "api": []}
            p95s: list[tuple[float, float]] = []
            cpu: dict[str, list[dict[str, float]]] = {"bare": [], "api": []}
            errors: Counter = Counter()
            for round_ in range(ROUNDS):
                p95 = {}
                for side in sides_in_order(round_):
                    counted = errors if side == "api" else None
                    with meter.measure(n) as figures:
                        latencies = await load(urls[side], take(n), concurrency, errors=counted)
                    samples[side] += latencies
                    cpu[side].append(figures)
                    p95[side] = percentiles(latencies)["p95"]
                p95s.append((p95["api"], p95["bare"]))
            cpu_mean = {
                side: {name: statistics.fmean(f[name] for f in cpu[side]) for name in meter.pids} for side in cpu
            }
            print(row(f"c={concurrency:<3} bare find+insert+JWT", samples["bare"]))
            print(row(f"c={concurrency:<3} POST start-session", samples["api"]))
            print(cpu_row(f"c={concurrency:<3} bare", cpu_mean["bare"]))
            print(cpu_row(f"c={concurrency:<3} start-session", cpu_mean["api"]))
            server_ratio = cpu_mean["api"]["server"] / cpu_mean["bare"]["server"]
            print(
                f"c={concurrency:<3} P95 ratio start-session / bare: {median_ratio(p95s):.2f}x "
                f"(rounds: {', '.join(f'{a / b:.2f}' for a, b in p95s)}); server CPU ratio {server_ratio:.2f}x"
            )
            count = n * ROUNDS
            unavailable = errors["503"]  # a 503 DATABASE_UNAVAILABLE with Retry-After is an honest "later"
            server_errors = sum(errors.values()) - unavailable
            print(
                f"c={concurrency:<3} start-session answers other than 201: {sum(errors.values())} of {count}; "
                f"500s and other errors (must be 0): {server_errors}; 503 DATABASE_UNAVAILABLE with Retry-After: "
                f"{unavailable} ({unavailable * 100 / count:.1f} %, at most 1 %) {dict(errors)}"
            )
        if full:
            for line in await count_round_trips(uri, "bench_rt"):
                print(line)
        if profiling.ENABLED and full:
            await profile(base, urls, take, meter)

    with (
        bench_database("bench", total) as (env, app_ids, uri),
        bench_server({**env, "BENCH_VARIANT": variant}) as (base, server_pid),
    ):
        meter = CpuMeter(server=server_pid, database=DATABASE_PIDS[uri])
        asyncio.run(run(base, app_ids, uri, meter))


if __name__ == "__main__":
    sys.exit(main())
