"""``make bench`` (scoring): 100 sessions ended at once, two app instances, the local judge.

Two instances of the real API (granian, one worker each, so two scorers of the default
concurrency) share one SecantusDB. 100 consented sessions with a sound transcript are ended at once
through both instances' end route (half each). Prints end -> scored P50/P95 (``scoring.scoredAt`` -
``completedAt``, both server times) and the count of double scorings (a session claimed more than
once: ``scoring.attempts`` above 1), which must be 0.
"""

from __future__ import annotations

import asyncio
import sys
import time

import aiohttp
from pymongo import MongoClient

from interview_app.storage.sessions import item_document
from tests.bench.common import bench_database, bench_server, load_requests, percentiles
from tests.support.scoring_data import interview

SESSIONS = 100
TIMEOUT_S = 300


def _transcript() -> list[dict]:
    return [item_document(item) for item in interview()]


def main() -> int:
    with (
        bench_database("bench_scoring", SESSIONS) as (env, app_ids, uri),
        bench_server(env) as (first, _),
        bench_server(env) as (second, _),
    ):
        bases = [first, second]
        bodies = [{"applicationId": a} for a in app_ids]
        starts = asyncio.run(_start(bases, bodies))
        with MongoClient(uri, tz_aware=True) as client:
            sessions = client["bench_scoring"].interviewSessions
            sessions.update_many(
                {"sessionId": {"$in": [s for s, _ in starts]}},
                {"$set": {"transcript": _transcript(), "consent": {"noticeVersion": "bench"}}},
            )
            ends = [
                (
                    f"{bases[i % 2]}/api/interview/sessions/{sid}/end",
                    {"reason": "interview_complete"},
                    {"Authorization": f"Bearer {token}"},
                )
                for i, (sid, token) in enumerate(starts)
            ]
            asyncio.run(load_requests(ends, concurrency=SESSIONS, expect=200))
            docs = _until_final(sessions, [s for s, _ in starts])
    latencies = [(d["scoring"]["scoredAt"] - d["completedAt"]).total_seconds() * 1000 for d in docs]
    statuses = sorted({d["scoring"]["status"] for d in docs})
    doubles = sum(1 for d in docs if d["scoring"].get("attempts", 0) > 1)
    p = percentiles(latencies)
    print(f"scoring: {SESSIONS} sessions ended at once, 2 app instances, local judge (statuses: {statuses})")
    print(f"end -> scored  P50 {p['p50']:7.1f} ms  P95 {p['p95']:7.1f} ms  max {max(latencies):.1f} ms")
    print(f"double scorings: {doubles} (must be 0)")
    return 0 if doubles == 0 and statuses == ["scored"] else 1


async def _start(bases: list[str], bodies: list[dict]) -> list[tuple[str, str]]:
    """Start every session (alternating instances); returns (session id, token) pairs."""
    results = []
    async with aiohttp.ClientSession() as http:
        for index, body in enumerate(bodies):
            async with http.post(f"{bases[index % 2]}/api/interview/start-session", json=body) as response:
                data = await response.json()
                results.append((data["sessionId"], data["token"]))
    return results


def _until_final(sessions, session_ids: list[str]) -> list[dict]:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        docs = list(sessions.find({"sessionId": {"$in": session_ids}}, {"scoring": 1, "completedAt": 1}))
        if all(d.get("scoring", {}).get("status") not in {None, "pending", "running"} for d in docs):
            return docs
        if time.monotonic() > deadline:
            raise RuntimeError("sessions still unscored after 5 minutes")
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
