"""``make bench`` (part 2): heartbeat and transcript-append latency at concurrency 10.

Same server as part 1 (granian, one worker, SecantusDB). Sessions are started first (one per
application); then heartbeats and one-item transcript batches spread over them, each next to a
bare handler doing the minimum (token check, the same reads and writes) in the same run, in
interleaved rounds, with the CPU per request of the server process tree and of the database.
"""

from __future__ import annotations

import asyncio
import statistics
import sys

import httpx

from interview_app.api import paths
from tests.bench.common import (
    DATABASE_PIDS,
    ROUNDS,
    CpuMeter,
    bench_database,
    bench_server,
    cpu_row,
    load_requests,
    percentiles,
    row,
    sides_in_order,
)

SESSIONS = 100
CONCURRENCY = 10
REQUESTS = 200  # per round and side


def main() -> int:
    async def run(base: str, app_ids: list[str], meter: CpuMeter):
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            started = [(await http.post(paths.START_SESSION, json={"applicationId": a})).json() for a in app_ids]
        sessions = [(s["sessionId"], {"Authorization": f"Bearer {s['token']}"}) for s in started]
        counter = iter(range(10**9))  # every transcript item gets a new id

        def spread(url_of, body_of):
            return [(url_of(sessions[n % SESSIONS][0]), body_of(), sessions[n % SESSIONS][1]) for n in range(REQUESTS)]

        def item() -> dict:
            n = next(counter)
            return {
                "items": [
                    {"id": f"bench-{n}", "role": "candidate", "text": "An answer of a few words.", "durationMs": 4200}
                ]
            }

        warmup = [(base + paths.SESSION_HEARTBEAT.format(session_id=sid), None, headers) for sid, headers in sessions]
        await load_requests(warmup, CONCURRENCY, expect=204)
        print(
            f"lifecycle benchmark (granian, 1 worker, SecantusDB, c={CONCURRENCY}, {SESSIONS} sessions, "
            f"{ROUNDS} interleaved rounds of {REQUESTS}; P95 ratios: median of the rounds'; CPU: over all rounds)"
        )
        for name, bare_url, api_url, status, body in (
            ("heartbeat", "/bench/bare-touch/{}", paths.SESSION_HEARTBEAT, 204, lambda: None),
            ("transcript append", "/bench/bare-append/{}", paths.SESSION_TRANSCRIPT, 200, item),
        ):
            urls = {
                "bare": lambda sid, u=bare_url: base + u.format(sid),
                "api": lambda sid, u=api_url: base + u.format(session_id=sid),
            }
            samples: dict[str, list[float]] = {"bare": [], "api": []}
            cpu: dict[str, list[dict[str, float]]] = {"bare": [], "api": []}
            p95s = []
            for round_ in range(ROUNDS):
                p95 = {}
                for side in sides_in_order(round_):
                    with meter.measure(REQUESTS) as figures:
                        latencies = await load_requests(spread(urls[side], body), CONCURRENCY, expect=status)
                    samples[side] += latencies
                    cpu[side].append(figures)
                    p95[side] = percentiles(latencies)["p95"]
                p95s.append(p95["api"] / p95["bare"])
            means = {side: {key: statistics.fmean(f[key] for f in cpu[side]) for key in meter.pids} for side in cpu}
            print(row(f"bare {name}", samples["bare"]))
            print(row(f"API {name}", samples["api"]))
            print(cpu_row(f"bare {name}", means["bare"]))
            print(cpu_row(f"API {name}", means["api"]))
            print(
                f"{name} P95 ratio API / bare: {statistics.median(p95s):.2f}x "
                f"(rounds: {', '.join(f'{r:.2f}' for r in p95s)}); "
                f"server CPU ratio {means['api']['server'] / means['bare']['server']:.2f}x"
            )

    with bench_database("bench_lifecycle", SESSIONS) as (env, app_ids, uri), bench_server(env) as (base, pid):
        asyncio.run(run(base, app_ids, CpuMeter(server=pid, database=DATABASE_PIDS[uri])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
