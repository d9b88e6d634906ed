"""Scorers in two processes on one real database: each ended session scored exactly once; a killed
worker's session is scored by another once its lease expires."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime

from interview_app.config import PROJECT_ROOT
from interview_app.storage.sessions import queued_for_scoring
from tests.support.fake_openai_responses import FakeResponses
from tests.support.scoring_data import interview
from tests.support.scoring_sessions import add_session


@contextlib.contextmanager
def scorer_processes(count: int, mongo_uri: str, db_name: str, base_url: str, lease: float, log_dir):
    procs = []
    try:
        for index in range(count):
            log = open(log_dir / f"scorer-{index}.log", "w")  # noqa: SIM115  (closed with the process)
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.support.scorer_process", mongo_uri, db_name, base_url, str(lease)],
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            procs.append((proc, log))
        for index in range(count):
            wait_for_line(log_dir / f"scorer-{index}.log", "scorer ready", procs[index][0])
        yield [proc for proc, _ in procs]
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, log in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def wait_for_line(path, text: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        assert proc.poll() is None, path.read_text()
        assert time.monotonic() < deadline, path.read_text()
        time.sleep(0.05)


def complete(sync_db, session_ids: list[str]) -> None:
    """What ``SessionStore.complete`` writes (the API's end), for many sessions at once."""
    now = datetime.now(UTC)
    sync_db.interviewSessions.update_many(
        {"sessionId": {"$in": session_ids}},
        {"$set": {"status": "completed", "completedAt": now, "scoring": queued_for_scoring(now, consented=True)}},
    )


async def until_final(sync_db, session_ids: list[str], timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        docs = list(sync_db.interviewSessions.find({"sessionId": {"$in": session_ids}}))
        if all(d["scoring"]["status"] not in {"pending", "running"} for d in docs):
            return docs
        assert time.monotonic() < deadline, [d["scoring"] for d in docs]
        await asyncio.sleep(0.1)


def unique_interview(index: int):
    """A sound interview whose item ids (and so whose judged JSON) belong to this session only."""
    return [replace(item, id=f"{item.id}-{index}") for item in interview()]


async def test_two_processes_score_twenty_ended_sessions_exactly_once(mongo_uri, db_name, sync_db, tmp_path):
    session_ids = [add_session(sync_db, unique_interview(i)) for i in range(20)]
    async with FakeResponses() as fake:
        with scorer_processes(2, mongo_uri, db_name, fake.base_url, 120, tmp_path):
            complete(sync_db, session_ids)
            docs = await until_final(sync_db, session_ids, timeout=60)
    assert [d["scoring"]["status"] for d in docs] == ["scored"] * 20
    assert [d["scoring"]["attempts"] for d in docs] == [1] * 20
    assert len(fake.per_transcript) == 20 and set(fake.per_transcript.values()) == {1}
    assert len(fake.requests) == 20


async def test_a_killed_workers_session_is_scored_after_its_lease_expires(mongo_uri, db_name, sync_db, tmp_path):
    session_id = add_session(sync_db)
    async with FakeResponses(["slow"]) as fake:
        fake.slow_seconds = 60  # the first worker dies while the judge is thinking
        with scorer_processes(1, mongo_uri, db_name, fake.base_url, 2, tmp_path) as [first]:
            complete(sync_db, [session_id])
            for _ in range(300):
                if fake.requests:
                    break
                await asyncio.sleep(0.05)
            assert fake.requests, "the first worker never asked the judge"
            first.kill()
            first.wait()
        assert sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"]["status"] == "running"
        (tmp_path / "second").mkdir()
        with scorer_processes(1, mongo_uri, db_name, fake.base_url, 2, tmp_path / "second"):
            [doc] = await until_final(sync_db, [session_id], timeout=30)
    assert doc["scoring"]["status"] == "scored" and doc["scoring"]["attempts"] == 2
    assert len(fake.requests) == 2
