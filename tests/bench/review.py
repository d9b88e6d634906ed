"""``make bench`` (part 7): the review API over 10,000 sessions (issue 18 §4).

Seeds 10,000 sessions (a mix of statuses, scores and decisions, written as the app stores them)
into an in-memory SecantusDB, serves the real API with granian (one worker) and prints, one
request at a time (a recruiter's clicks):

* the P95 of a list page (50 rows with the counts; goal under 50 ms on the embedded database);
* the P95 of a filtered list page (completed, awaiting a decision, a name or title search);
* the time to stream the whole CSV (goal under 2 s).

``REVIEW_BENCH_SESSIONS`` seeds fewer (a quick check of the benchmark itself).
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from pymongo import MongoClient

from interview_app.api import paths
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.bench.common import bench_database, bench_server, row

SESSIONS = int(os.environ.get("REVIEW_BENCH_SESSIONS") or 10_000)
PAGES = 200
REVIEWER_SECRET = "r" * 48
NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov"]
TITLES = ["Backend Engineer", "Data Engineer", "Site Reliability Engineer", "Frontend Developer"]


def session(n: int, now: datetime, rng: random.Random) -> dict:
    started = now - timedelta(minutes=n * 3 + rng.random())
    status = "in_progress" if n < 20 else rng.choice(["completed"] * 8 + ["abandoned"])
    doc = {
        "sessionId": str(uuid.uuid4()),
        "applicationId": f"bench-app-{n}",
        "candidateId": f"user-{n}",
        "candidateName": f"{rng.choice(NAMES)} {n}",
        "jobTitle": rng.choice(TITLES),
        "status": status,
        "startedAt": started,
        "lastActivityAt": started,
        "metadata": {"deviceType": "desktop", "userAgent": "Mozilla/5.0", "ipAddress": "198.51.100.1"},
        "events": [{"type": "session.started", "timestamp": started, "payload": {"deviceType": "desktop"}}],
        "transcript": [
            {"id": f"t{k}", "role": "candidate" if k % 2 else "interviewer", "text": "A turn.", "source": "provider"}
            for k in range(12)
        ],
        "transcriptVersion": 12,
        "createdAt": started,
        "updatedAt": started,
    }
    if status == "completed":
        score = rng.randint(20, 95)
        doc.update(
            completedAt=started + timedelta(minutes=14),
            duration=840,
            endReason="interview_complete",
            finalScore=score,
            scoreBreakdown={"clarity": score, "correctness": score, "depth": score},
            scoring={"status": "scored", "provider": "local"},
        )
        if rng.random() < 0.4:
            doc["review"] = {"decision": rng.choice(["advance", "hold", "reject"]), "note": "n", "by": "b", "at": now}
    return doc


def seed(uri: str, db_name: str) -> float:
    rng, now = random.Random(18), datetime.now(UTC)
    started = time.perf_counter()
    with MongoClient(uri, tz_aware=True) as client:
        sessions = client[db_name].interviewSessions
        for first in range(0, SESSIONS, 1000):
            sessions.insert_many([session(n, now, rng) for n in range(first, min(first + 1000, SESSIONS))])
    return time.perf_counter() - started


def timed_pages(http: httpx.Client, params_of) -> list[float]:
    """``PAGES`` list requests one after another, each following the previous page's cursor."""
    samples, cursor = [], None
    for n in range(PAGES):
        params = params_of(n) | ({"cursor": cursor} if cursor else {})
        started = time.perf_counter()
        response = http.get(paths.REVIEW_SESSIONS, params=params)
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        cursor = response.json()["nextCursor"] if n % 10 else None  # walk 10 pages deep, then start over
    return samples


def main() -> int:
    with bench_database("bench_review", 1) as (env, _, uri):
        seconds = seed(uri, "bench_review")
        env = {**env, "INTERVIEW_REVIEWER_SECRET": REVIEWER_SECRET}
        with bench_server(env) as (base, _):
            token = tokens.mint_reviewer_token(REVIEWER_SECRET, "bench@example.com", utcnow())[0]
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                deadline = time.monotonic() + 120  # the new indexes are built over the seeded sessions
                while http.get(paths.REVIEW_SESSIONS).status_code == 503 and time.monotonic() < deadline:
                    time.sleep(1)  # answered 503 DATABASE_UNAVAILABLE with Retry-After meanwhile
                for _ in range(20):  # warm-up (connections, caches)
                    http.get(paths.REVIEW_SESSIONS).raise_for_status()
                plain = timed_pages(http, lambda n: {"limit": 50})
                filters = [
                    {"status": "completed", "decision": "none"},
                    {"scoring": "scored", "decision": "advance"},
                    {"q": "grace"},
                    {"status": "in_progress"},
                ]
                filtered = timed_pages(http, lambda n: {"limit": 50} | filters[n % len(filters)])
                started = time.perf_counter()
                lines = 0
                with http.stream("GET", paths.REVIEW_SESSIONS_CSV) as response:
                    response.raise_for_status()
                    for chunk in response.iter_text():
                        lines += chunk.count("\r\n")
                csv_seconds = time.perf_counter() - started
    print(f"review benchmark (granian, 1 worker, SecantusDB, {SESSIONS} sessions seeded in {seconds:.1f} s)")
    print(row("list page (50 rows + counts)", plain) + "   goal: P95 < 50 ms")
    print(row("filtered list page", filtered))
    print(f"{'full CSV export':<34} {lines - 1} rows streamed in {csv_seconds:.2f} s   goal: < 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
