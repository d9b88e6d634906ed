"""Helpers shared by the benchmarks: percentiles and a bounded concurrent HTTP load."""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import aiohttp
import httpx
from pymongo import MongoClient

from interview_app.storage import embedded
from interview_app.storage.embedded import free_port

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Interleaved rounds of a floor-against-ours comparison. An even number, so each side goes first
# equally often: with 5 (the floor first 3 times), the floor measured against itself gave 0.95x at
# c=1 in three runs out of three; with 6, 0.98-1.04x in six (tests/bench/start_session_bounds.py).
ROUNDS = 6


def sides_in_order(round_: int) -> tuple[str, str]:
    """Which side runs first in this round: neither always does."""
    return ("bare", "api") if round_ % 2 == 0 else ("api", "bare")


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (granian runs the app in a child worker process)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(child) for child in task.read_text().split())
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time spent so far by ``pid`` and its descendants (from ``/proc``)."""
    total = 0
    for member in _tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


class CpuMeter:
    """CPU per request of the processes given, over one load: ``with meter.measure(n) as figures``."""

    def __init__(self, **pids: int):
        self.pids = pids

    @contextlib.contextmanager
    def measure(self, requests: int) -> Iterator[dict[str, float]]:
        figures: dict[str, float] = {}
        before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        yield figures
        for name, pid in self.pids.items():
            figures[name] = (cpu_seconds(pid) - before[name]) * 1000 / requests  # ms per request


def cpu_row(label: str, figures: dict[str, float]) -> str:
    return f"{label:<34} CPU per request: " + "  ".join(f"{name} {ms:5.2f} ms" for name, ms in figures.items())


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def row(label: str, samples_ms: list[float]) -> str:
    p = percentiles(samples_ms)
    return f"{label:<34} n={len(samples_ms):<5} P50 {p['p50']:7.1f} ms  P95 {p['p95']:7.1f} ms  P99 {p['p99']:7.1f} ms"


async def load(
    url: str, bodies: list[dict], concurrency: int, expect: int = 201, errors: Counter | None = None
) -> list[float]:
    """POST every body with ``concurrency`` requests in flight; latencies in ms."""
    return await load_requests([(url, body, {}) for body in bodies], concurrency, expect, errors)


async def load_requests(
    requests: Sequence[tuple[str, dict | None, dict]],
    concurrency: int,
    expect: int = 201,
    errors: Counter | None = None,
) -> list[float]:
    """POST every (url, JSON body or None, headers) with ``concurrency`` in flight; latencies in ms.

    Any other status stops the run, unless ``errors`` is given: then each other answer is counted
    there (``"503"``, ``"503 without Retry-After"``, ``"timeout"``...) and left out of the latencies.
    """
    queue: asyncio.Queue = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:

        async def worker():
            while not queue.empty():
                url, body, headers = queue.get_nowait()
                started = time.perf_counter()
                try:
                    async with http.post(url, json=body, headers=headers) as response:
                        await response.read()
                        status, retry_after = response.status, response.headers.get("Retry-After")
                except (TimeoutError, aiohttp.ClientError) as exc:
                    if errors is None:
                        raise
                    errors[type(exc).__name__] += 1
                    continue
                if status != expect:
                    if errors is None:
                        raise RuntimeError(f"{url} answered {status}")
                    errors[f"{status}" if status != 503 or retry_after else "503 without Retry-After"] += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


DATABASE_PIDS: dict[str, int] = {}  # the bench database's process, by URI (for CPU per request)


@contextlib.contextmanager
def bench_database(db_name: str, applications: int) -> Iterator[tuple[dict, list[str], str]]:
    """An in-memory SecantusDB holding ``applications`` fresh applications, stopped afterwards.

    Yields the environment the app needs for it, the applications' ids and the server's URI.
    """
    server = embedded.spawn(":memory:")
    DATABASE_PIDS[server.uri] = server.pid
    try:
        app_ids = [f"bench-{uuid.uuid4().hex[:12]}" for _ in range(applications)]
        with MongoClient(server.uri) as client:
            client[db_name].applications.insert_many(
                [{"_id": a, "userId": "u", "jobTitle": "Bench", "status": "interview_scheduled"} for a in app_ids]
            )
        env = {
            "MONGODB_URI": server.uri,
            "MONGODB_DB": db_name,
            "INTERVIEW_SESSION_SECRET": "b" * 48,
            "CANDIDATE_TOKEN_SECRET": "c" * 48,
        }
        yield env, app_ids, server.uri
    finally:
        embedded.stop(server)


@contextlib.contextmanager
def bench_server(env: dict, workers: int = 1):
    """Serve ``tests/bench/bench_app.py`` with granian (one worker by default); yields (base URL, pid)."""
    port = free_port()
    granian = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("granian")),
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "tests.bench.bench_app:app",
        ],
        env={**os.environ, "INTERVIEW_DATA_DIR": "/tmp/interview-bench", **env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield base, granian.pid
    finally:
        granian.terminate()
        granian.wait(timeout=10)
