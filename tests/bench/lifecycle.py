"""``make bench`` (part 2): heartbeat and transcript-append latency at concurrency 10.

Same server as part 1 (granian, one worker, SecantusDB). Sessions are started first (one per
application); then heartbeats and one-item transcript batches spread over them, each next to a
bare handler doing the minimum (token check, the same reads and writes) in the same run.
"""

from __future__ import annotations

import asyncio
import sys

import httpx

from interview_app.api import paths
from tests.bench.common import bench_database, bench_server, load_requests, percentiles, row

SESSIONS = 100
CONCURRENCY = 10
REQUESTS = 500


def main() -> int:
    async def run(base: str, app_ids: list[str]):
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            started = [(await http.post(paths.START_SESSION, json={"applicationId": a})).json() for a in app_ids]
        sessions = [(s["sessionId"], {"Authorization": f"Bearer {s['token']}"}) for s in started]

        def spread(url_of, body_of=lambda n: None):
            return [(url_of(sessions[n % SESSIONS][0]), body_of(n), sessions[n % SESSIONS][1]) for n in range(REQUESTS)]

        def item(n: int) -> dict:
            return {
                "items": [
                    {"id": f"bench-{n}", "role": "candidate", "text": "An answer of a few words.", "durationMs": 4200}
                ]
            }

        warmup = [(base + paths.SESSION_HEARTBEAT.format(session_id=sid), None, headers) for sid, headers in sessions]
        await load_requests(warmup, CONCURRENCY, expect=204)
        figures = {}
        for name, bare_url, api_url, api_status in (
            ("heartbeat", "/bench/bare-touch/{}", paths.SESSION_HEARTBEAT, 204),
            ("transcript append", "/bench/bare-append/{}", paths.SESSION_TRANSCRIPT, 200),
        ):
            body = item if name == "transcript append" else (lambda n: None)
            bare = await load_requests(
                spread(lambda sid, u=bare_url: base + u.format(sid), body),
                CONCURRENCY,
                expect=204 if name == "heartbeat" else 200,
            )
            api = await load_requests(
                spread(lambda sid, u=api_url: base + u.format(session_id=sid), lambda n, b=body: b(n + REQUESTS)),
                CONCURRENCY,
                expect=api_status,
            )
            figures[name] = (bare, api)
        print(f"lifecycle benchmark (granian, 1 worker, SecantusDB, c={CONCURRENCY}, {SESSIONS} sessions)")
        for name, (bare, api) in figures.items():
            print(row(f"bare {name}", bare))
            print(row(f"API {name}", api))
            print(f"{name} P95 ratio API / bare: {percentiles(api)['p95'] / percentiles(bare)['p95']:.2f}x")

    with bench_database("bench_lifecycle", SESSIONS) as (env, app_ids, _), bench_server(env) as (base, _):
        asyncio.run(run(base, app_ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
