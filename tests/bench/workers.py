"""``make bench`` (part 2): start-session latency through two granian workers vs one, same run.

Serves ``tests/bench/bench_app.py`` (the real API) with one worker and with two at the same time,
against the same SecantusDB on a free port, loads them in turn (alternating which goes first),
and prints P50/P95/P99 at concurrency 10 and 100 with the P95 ratio. Every request starts a new
session (one per application).
"""

from __future__ import annotations

import asyncio
import sys

from tests.bench.common import bench_database, bench_server, load, percentiles, row

LEVELS = [(10, 500), (100, 1500)]
WARMUP = 50
WORKER_COUNTS = (1, 2)


def main() -> int:
    total = (WARMUP + sum(n for _, n in LEVELS)) * len(WORKER_COUNTS)
    results: dict[tuple[int, int], list[float]] = {}
    with bench_database("bench_workers", total) as (env, app_ids, _):
        ids = iter(app_ids)

        def take(n: int) -> list[dict]:
            return [{"applicationId": next(ids)} for _ in range(n)]

        with bench_server(env, workers=1) as (one, _), bench_server(env, workers=2) as (two, _):
            urls = {1: f"{one}/api/interview/start-session", 2: f"{two}/api/interview/start-session"}
            for url in urls.values():
                asyncio.run(load(url, take(WARMUP), 10))
            for index, (concurrency, n) in enumerate(LEVELS):
                order = WORKER_COUNTS if index % 2 == 0 else WORKER_COUNTS[::-1]  # neither always goes first
                for workers in order:
                    results[(workers, concurrency)] = asyncio.run(load(urls[workers], take(n), concurrency))
    print("start-session through granian workers (same run, SecantusDB on loopback)")
    for concurrency, _ in LEVELS:
        for workers in WORKER_COUNTS:
            print(row(f"c={concurrency:<3} {workers} worker(s)", results[(workers, concurrency)]))
        ratio = percentiles(results[(2, concurrency)])["p95"] / percentiles(results[(1, concurrency)])["p95"]
        print(f"c={concurrency:<3} P95 ratio 2 workers / 1 worker: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
