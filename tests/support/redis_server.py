"""A throw-away ``redis-server`` (Debian's) on a free loopback port, for multi-worker tests."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator

import redis

from interview_app.storage.embedded import free_port


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Yields the server's URL; stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
