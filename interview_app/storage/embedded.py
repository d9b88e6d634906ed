"""The embedded MongoDB-compatible server (SecantusDB) used when ``MONGODB_URI`` is unset.

SecantusDB is GPL-2.0-only, so it always runs as a separate process: we talk to it over the
wire protocol and never import it. One server per storage path: a state file under the data
directory records its port and pid, and every process (Reflex hot reloads, several workers,
the ``make run`` wrapper) reuses the live server instead of starting a second one, which would
fail on the WiredTiger lock anyway. A file lock serialises the check-then-start.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

READY_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class EmbeddedServer:
    """A running SecantusDB process reachable on loopback."""

    pid: int
    port: int
    storage_path: str

    @property
    def uri(self) -> str:
        return uri_for(self.port)


def uri_for(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


def free_port() -> int:
    """Ask the kernel for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_binary() -> str:
    local = Path(sys.executable).with_name("secantusd-py")
    return str(local) if local.exists() else (shutil.which("secantusd-py") or "secantusd-py")


def is_answering(uri: str, timeout_ms: int = 500) -> bool:
    """True when a wire-protocol server at ``uri`` answers."""
    return serving_pid(uri, timeout_ms) is not None


def serving_pid(uri: str, timeout_ms: int) -> int | None:
    """The process id of the server answering at ``uri`` (its ``serverStatus``; 0 if it names none),
    or None when none answers."""
    try:
        with MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms) as client:
            return client.admin.command("serverStatus").get("pid", 0)
    except PyMongoError:
        return None


def is_running(server: EmbeddedServer, timeout_ms: int = 2000) -> bool:
    """Whether this server answers on its port: its own process, not another one there, nor a
    process id the system has since given to something else."""
    return serving_pid(server.uri, timeout_ms) == server.pid


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def spawn(storage_path: str, port: int | None = None) -> EmbeddedServer:
    """Start a server process and wait until it answers (itself: its ``serverStatus`` names its pid).

    Refuses a port where a server already answers: the new process would fail on the files the
    other holds while the other's answers looked like its own (a test's database "restarted" while
    the old one still ran, and a later stop stopped nothing).
    """
    port = port or free_port()
    if is_answering(uri_for(port), timeout_ms=200):
        raise RuntimeError(f"a database server already answers on port {port}")
    log_path = Path(storage_path).parent / "secantusd.log" if storage_path != ":memory:" else os.devnull
    with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [
                _server_binary(),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--storage-path",
                storage_path,
                "--cache-size",
                "256M",
                "--log-level",
                "WARNING",
            ],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the hot reload of the process that started it
        )
    server = EmbeddedServer(pid=proc.pid, port=port, storage_path=storage_path)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"secantusd-py exited with code {proc.returncode}")
        if serving_pid(server.uri, timeout_ms=200) == proc.pid:  # this process, not another on the port
            return server
        time.sleep(0.1)
    stop(server)
    raise RuntimeError("secantusd-py did not become ready in time")


def stop(server: EmbeddedServer) -> None:
    """SIGTERM the server and wait for its clean drain (SIGKILL as a last resort)."""
    if not _pid_alive(server.pid):
        return
    os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(server.pid, os.WNOHANG)
            if done:
                return
        if not _pid_alive(server.pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(server.pid, signal.SIGKILL)


def ensure_running(data_dir: Path) -> tuple[EmbeddedServer, bool]:
    """Reuse the live server for ``data_dir`` or start one.

    Returns:
        The server, and True when this call started it (so the caller owns its shutdown).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    state_file = data_dir / "secantusd.json"
    with open(data_dir / "secantusd.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if state_file.exists():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                known = EmbeddedServer(**json.loads(state_file.read_text()))
                if is_running(known, timeout_ms=500):
                    return known, False
        server = spawn(str((data_dir / "db").resolve()))
        state_file.write_text(json.dumps(server.__dict__))
        return server, True


def stop_recorded(data_dir: Path) -> None:
    """Stop the server recorded for ``data_dir``, if any."""
    state_file = data_dir / "secantusd.json"
    if not state_file.exists():
        return
    with contextlib.suppress(ValueError, KeyError, TypeError):
        stop(EmbeddedServer(**json.loads(state_file.read_text())))
    state_file.unlink(missing_ok=True)
