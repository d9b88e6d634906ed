"""``make prod`` without ``MONGODB_URI``: a loud warning, the embedded database without the demo
application, no API docs, hashed assets cached for a year (the page not), workers sharing a private
Redis that keeps its data across a restart, a dead worker respawned and a dead Redis started again,
and all it started stopped on SIGTERM."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import httpx
import redis
from pymongo import MongoClient

from interview_app.cli.prod import REFLEX_KEYSPACE_EVENTS, redis_server_command
from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT, START_TIMEOUT_S
from tests.support.cache_headers import assert_cache_headers
from tests.support.processes import one_reflex_start, wait_until_answering

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


def wait_until_up(base: str, proc: subprocess.Popen, log: Path, settled: Callable[[], bool] | None = None) -> None:
    wait_until_answering(proc, [f"{base}/ping", f"{base}/interview/x"], log, START_TIMEOUT_S, "make prod", settled)


def test_prod_on_the_embedded_database(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVIEW_", "MONGODB_", "GRANIAN_", "REFLEX_"))}
    env.update(SECRETS, INTERVIEW_DATA_DIR=str(tmp_path), INTERVIEW_PORT=str(port), INTERVIEW_WORKERS="2")
    log = tmp_path / "prod.log"
    starting = contextlib.ExitStack()
    starting.enter_context(one_reflex_start())
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
        with starting:
            wait_until_up(base, proc, log)
        assert_cache_headers(base)  # issue 20 §13: hashed assets immutable, the page asked for again
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
        command_lines = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in helpers}
        reflex_pid = next(pid for pid, line in command_lines.items() if b"interview_app.cli.reflex_prod" in line)
        logged_url = re.search(r"local redis-server on (redis://\S+?),? ", log.read_text())[1]  # pyright: ignore[reportOptionalSubscript]
        environ = dict(
            entry.split(b"=", 1)
            for entry in Path(f"/proc/{reflex_pid}/environ").read_bytes().split(b"\0")
            if b"=" in entry
        )
        redis_url = environ[b"REFLEX_REDIS_URL"].decode()  # the workers get the run's password; the log does not
        assert logged_url.startswith("redis://***@") and urlsplit(redis_url).password not in log.read_text()
        with redis.Redis.from_url(redis_url, decode_responses=True) as state_store:  # restarts keep the tabs' state
            assert state_store.config_get("appendonly") == {"appendonly": "yes"}
            assert state_store.config_get("dir") == {"dir": str(tmp_path / "redis")}
        workers = set(children(reflex_pid))
        assert len(workers) == 2, workers
        killed = workers.pop()
        os.kill(killed, signal.SIGKILL)  # one worker dies: granian starts another

        # The killed worker stays a child (a zombie) until granian reaps it: it is not the new one.
        def respawned() -> set[int]:
            return set(children(reflex_pid)) - workers - {killed}

        for _ in range(300):  # on a busy machine the respawn can take seconds
            if len(respawned()) == 1:
                break
            time.sleep(0.1)
        assert len(respawned()) == 1, f"not respawned; the log:\n{log.read_text()[-4000:]}"
        # Still up and answering 200: a connection made the moment the new worker starts may be reset
        # (seen once in CI), so answering is polled like a start, not asked once.
        wait_until_up(base, proc, log)
        with redis.Redis.from_url(redis_url) as state_store:  # its Redis dies: started again, data kept
            state_store.set("a_tab_state", "phase=live")
        os.kill(redis_pids[0], signal.SIGKILL)
        for _ in range(100):
            redis_pids[1:] = [pid for pid, name in children(proc.pid).items() if name.startswith("redis-server")]
            if redis_pids[1:] and redis_pids[1] != redis_pids[0]:
                break
            time.sleep(0.1)
        assert len(redis_pids) == 2, "the local redis-server was not started again"
        for _ in range(100):
            with (
                contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError),
                redis.Redis.from_url(redis_url) as r,
            ):
                assert r.get("a_tab_state") == b"phase=live"
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the local redis-server does not answer on {redis_url} again")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    assert not alive(database["pid"]) and not any(alive(pid) for pid in redis_pids)
    assert not (tmp_path / "secantusd.json").exists()


def test_make_prods_redis_comes_back_from_a_restart_with_its_data_and_keyspace_events(tmp_path):
    """Reflex state survives a Redis restart, and so do the keyspace notifications Reflex's state
    locks wait on (Reflex sets them once per worker: a restarted Redis would forget them)."""
    port = free_port()
    command = redis_server_command(shutil.which("redis-server") or "redis-server", port, tmp_path)

    def started() -> subprocess.Popen:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                redis.Redis(port=port).ping()
                return server
            except (redis.ConnectionError, redis.BusyLoadingError):
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    server = started()
    try:
        redis.Redis(port=port).set("a_tab_state", b"phase=live")
        server.terminate()
        server.wait(timeout=10)
        server = started()
        with redis.Redis(port=port, decode_responses=True) as client:
            assert client.get("a_tab_state") == "phase=live"
            events = cast(dict, client.config_get("notify-keyspace-events"))["notify-keyspace-events"]
            assert set(events) >= set(REFLEX_KEYSPACE_EVENTS)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_reflex_keyspace_events_are_the_ones_reflex_sets():
    from reflex.istate.manager.redis import NOTIFY_KEYSPACE_EVENTS

    assert REFLEX_KEYSPACE_EVENTS == NOTIFY_KEYSPACE_EVENTS
