"""``make prod`` without ``MONGODB_URI``: a loud warning, the embedded database without the demo
application, no API docs, workers sharing a private Redis, and all it started stopped on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from pymongo import MongoClient

from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT, START_TIMEOUT_S
from tests.support.processes import wait_until_answering

SECRETS = {"INTERVIEW_SESSION_SECRET": "s" * 40, "CANDIDATE_TOKEN_SECRET": "c" * 40}


def children(pid: int) -> dict[int, str]:
    """The direct child processes of ``pid`` and their command names."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
            if int(fields[1].split()[1]) == pid:
                found[int(stat.parent.name)] = name
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    wait_until_answering(proc, [f"{base}/ping", f"{base}/interview/x"], log, START_TIMEOUT_S, "make prod")


def test_prod_on_the_embedded_database(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVIEW_", "MONGODB_", "GRANIAN_", "REFLEX_"))}
    env.update(SECRETS, INTERVIEW_DATA_DIR=str(tmp_path), INTERVIEW_PORT=str(port), INTERVIEW_WORKERS="2")
    log = tmp_path / "prod.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "interview_app.cli.prod"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, log)
        assert "MONGODB_URI is not set" in log.read_text() and "NOT seeded" in log.read_text()
        assert httpx.get(f"{base}/api/docs").status_code == 404
        assert httpx.get(f"{base}/api/openapi.json").status_code == 404
        database = json.loads((tmp_path / "secantusd.json").read_text())
        helpers = children(proc.pid)
        redis_pids = [pid for pid, name in helpers.items() if name.startswith("redis-server")]
        assert database["pid"] in helpers and len(redis_pids) == 1
        with MongoClient(f"mongodb://127.0.0.1:{database['port']}/?directConnection=true") as client:
            db = client["interview"]
            for _ in range(100):  # the workers create the indexes, then would seed right away
                if len(db.interviewSessions.index_information()) > 1:
                    break
                time.sleep(0.1)
            time.sleep(1.0)
            assert len(db.interviewSessions.index_information()) > 1
            assert db.applications.find_one({"_id": DEMO_APPLICATION_ID}) is None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    assert not alive(database["pid"]) and not alive(redis_pids[0])
    assert not (tmp_path / "secantusd.json").exists()
