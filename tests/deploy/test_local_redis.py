"""Regression (issue 15 D13): ``make prod``'s own Redis requires a password.

On the old code it listened without one, so any local process could read Reflex state (tokens
included) and publish orders about calls.
"""

from __future__ import annotations

import socket
import subprocess
from urllib.parse import urlsplit

import redis

from interview_app.cli.prod import redacted, start_local_redis


def test_the_local_redis_refuses_clients_without_the_runs_password(tmp_path):
    proc, url = start_local_redis(tmp_path)
    try:
        parts = urlsplit(url)
        assert parts.password and len(parts.password) >= 32
        assert redis.Redis.from_url(url).ping()
        with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=5) as plain:
            plain.sendall(b"PING\r\n")
            assert plain.recv(200).startswith(b"-NOAUTH")
        assert parts.password not in str(proc.args)  # never on a command line `ps` shows
        assert parts.password not in redacted(url) and redacted(url).endswith(f"@127.0.0.1:{parts.port}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert isinstance(proc, subprocess.Popen)
