"""``make bench`` (part 2): realtime call latencies and the CPU cost of a call.

Serves the API with granian (one worker) against SecantusDB, dials it with aiortc candidates
on loopback, and prints offer→connected and connected→first interviewer event (P50/P95), then
the server's CPU per concurrent call, measured from /proc over the whole server process tree.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
from pymongo import MongoClient

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.realtime import ice
from interview_app.storage import embedded
from tests.bench.common import bench_server, percentiles
from tests.support.rtc_client import CandidateCall

SECRET = "r" * 48
CALLS = 20
CONCURRENT = 8
HOLD_S = 5.0
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root_pid: int) -> float:
    """User+system CPU of a process and all its descendants."""
    total, pending = 0.0, [root_pid]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending.extend(int(c) for c in children)
    return total


async def one_call(http: httpx.AsyncClient, n: int) -> tuple[float, float, float]:
    """(offer→connected, connected→session.created, connected→first transcript delta) in ms."""
    call = CandidateCall()
    token = tokens.mint_offline_token(SECRET, f"bench-{n}", utcnow())[0]
    started = time.perf_counter()
    response = await call.dial(http, token)
    assert response.status_code == 201, response.text
    created = await call.next_event("session.created")
    delta = await call.next_event("response.output_audio_transcript.delta")
    await call.close()
    assert call.connected_at is not None  # dial() returned once connected
    return (
        (call.connected_at - started) * 1000,
        (created["_received_at"] - call.connected_at) * 1000,
        (delta["_received_at"] - call.connected_at) * 1000,
    )


async def run(base: str, server_pid: int) -> None:
    ice.configure(["127.0.0.1"])
    async with httpx.AsyncClient(base_url=base, timeout=15) as http:
        samples = [await one_call(http, n) for n in range(CALLS)]
        connect = percentiles([s[0] for s in samples])
        created = percentiles([s[1] for s in samples])
        first = percentiles([s[2] for s in samples])
        print(f"realtime benchmark (local interviewer, {CALLS} sequential calls, aiortc candidates on loopback)")
        print(f"offer -> connected                       P50 {connect['p50']:6.1f} ms  P95 {connect['p95']:6.1f} ms")
        print(f"connected -> session.created             P50 {created['p50']:6.1f} ms  P95 {created['p95']:6.1f} ms")
        print(f"connected -> first interviewer transcript P50 {first['p50']:6.1f} ms  P95 {first['p95']:6.1f} ms")

        await asyncio.sleep(1.0)
        idle_before = tree_cpu_seconds(server_pid)
        await asyncio.sleep(HOLD_S)
        idle = tree_cpu_seconds(server_pid) - idle_before
        calls = [CandidateCall() for _ in range(CONCURRENT)]
        tokens_ = [tokens.mint_offline_token(SECRET, f"held-{i}", utcnow())[0] for i in range(CONCURRENT)]
        await asyncio.gather(*(c.dial(http, t) for c, t in zip(calls, tokens_, strict=True)))
        await asyncio.sleep(1.0)
        busy_before = tree_cpu_seconds(server_pid)
        await asyncio.sleep(HOLD_S)
        busy = tree_cpu_seconds(server_pid) - busy_before
        await asyncio.gather(*(c.close() for c in calls))
        per_call = (busy - idle) / HOLD_S / CONCURRENT * 100
        print(
            f"server CPU: idle {idle / HOLD_S * 100:.1f}% of a core, {CONCURRENT} concurrent calls "
            f"{busy / HOLD_S * 100:.1f}%  ->  {per_call:.1f}% of a core per call"
        )


def main() -> int:
    server = embedded.spawn(":memory:")
    env = {
        "MONGODB_URI": server.uri,
        "MONGODB_DB": "rtbench",
        "INTERVIEW_SESSION_SECRET": SECRET,
        "CANDIDATE_TOKEN_SECRET": SECRET,
        "INTERVIEW_ICE_HOST_ADDRESSES": "127.0.0.1",
    }
    with MongoClient(server.uri) as client:  # offline calls are placed for open applications only
        client.rtbench.applications.insert_many(
            [
                {"_id": f"bench-{n}", "jobTitle": "Backend Engineer", "status": "interview_scheduled"}
                for n in range(CALLS)
            ]
            + [
                {"_id": f"held-{i}", "jobTitle": "Backend Engineer", "status": "interview_scheduled"}
                for i in range(CONCURRENT)
            ]
        )
    try:
        with bench_server(env) as (base, pid):
            asyncio.run(run(base, pid))
    finally:
        embedded.stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
