"""The faults the fault tests inflict: a paused or killed database, a killed worker, a Redis restart.

There is no Toxiproxy here: processes are paused (``SIGSTOP`` on their process group), killed
(``SIGKILL``) and started again on the same port with the same files.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from interview_app.cli.prod import redis_server_command
from interview_app.storage.embedded import free_port
from tests.support.app_server import running_app
from tests.support.browser import DatabaseServer
from tests.support.fault_proxy import FaultProxy, fault_proxy


def pause_database(database: DatabaseServer) -> None:
    database.pause()


def resume_database(database: DatabaseServer) -> None:
    database.resume()


def kill_database(database: DatabaseServer) -> None:
    database.kill()


class RedisServer:
    """A ``redis-server`` on a fixed loopback port that a test may restart, started as ``make prod``
    starts its own (:func:`redis_server_command`: an append-only file, so a restart keeps the data)."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.proc = subprocess.Popen(
            redis_server_command(binary, self.port, self.data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError):
                redis.Redis.from_url(self.url).ping()
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it: Redis writes its append-only file and exits."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def restartable_redis() -> Iterator[RedisServer]:
    with tempfile.TemporaryDirectory(prefix="redis-") as data_dir:
        server = RedisServer(Path(data_dir))
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _udp_socket_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes


def process_holding_udp_port(port: int) -> int | None:
    """The process that has the UDP socket bound to ``port`` open (a call's media)."""
    inodes = _udp_socket_inodes(port)
    for pid in sorted(int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return pid
    return None


def answer_ports(sdp: str) -> list[int]:
    """The UDP ports of the host candidates in an SDP answer."""
    return [int(m) for m in re.findall(r"a=candidate:\S+ \d+ udp \d+ \S+ (\d+) typ host", sdp, flags=re.IGNORECASE)]


def restart_database(database: DatabaseServer) -> None:
    """Back on its port with its files: the data written before the kill is there."""
    database.start()


@contextlib.contextmanager
def app_behind_proxy(
    mongo_uri: str, db_name: str, data_dir: Path, extra_env: dict | None = None, workers: int | None = None
) -> Iterator[tuple[str, FaultProxy]]:
    """The app (prod mode) whose API is reached through a recording :class:`FaultProxy`: the page's
    backend and the browser's call offers go to ``INTERVIEW_API_URL``, the proxy. Yields (page URL, proxy)."""
    port = free_port()  # known before the app starts: the proxy forwards to it
    with (
        fault_proxy(f"http://127.0.0.1:{port}") as proxy,
        running_app(
            mongo_uri,
            db_name,
            data_dir,
            {"INTERVIEW_API_URL": proxy.url, **(extra_env or {})},
            port=port,
            workers=workers,
        ) as base,
    ):
        yield base, proxy
