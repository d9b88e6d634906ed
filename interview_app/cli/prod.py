"""``make prod``: the production run, one port, several workers sharing Reflex state in Redis.

Checks everything it can before Reflex starts (secrets, ports, variables: one line and exit
code 2 when something is wrong), starts a private ``redis-server`` on loopback when
``REFLEX_REDIS_URL`` is not set (its append-only file in ``INTERVIEW_DATA_DIR/redis``; started again
on its port when it stops), warns loudly when no ``MONGODB_URI`` is given (the embedded database is
a single-node demo store, and nothing is seeded in production), then runs ``reflex run --env prod``
(through :mod:`interview_app.cli.reflex_prod`: a worker that dies is respawned) and stops what it
started when Reflex exits.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import redis

from interview_app.cli import run_record
from interview_app.cli.errors import fail, require_free_port, settings_or_exit
from interview_app.cli.prod_settings import ProdSettings, prod_settings
from interview_app.config import ConfigError
from interview_app.storage import embedded

REDIS_READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 30.0
WATCH_INTERVAL_S = 0.5  # how soon a local redis-server that stopped is started again
EMBEDDED_WARNING = """
  WARNING: MONGODB_URI is not set: production is running on the embedded database (SecantusDB),
  a single-node demo store under INTERVIEW_DATA_DIR, with no replication and no backups.
  The demo application is NOT seeded in production. Set MONGODB_URI to a MongoDB replica set.
"""


# Reflex turns Redis keyspace notifications on (its NOTIFY_KEYSPACE_EVENTS) with CONFIG SET once per
# process, and a restarted Redis forgets them: state locks would then be waited for until they
# expire. So the server starts with them.
REFLEX_KEYSPACE_EVENTS = "K$sgxe"


def redis_server_command(binary: str, port: int, data_dir: Path) -> list[str]:
    """``make prod``'s Redis: loopback only, and an append-only file in ``data_dir`` (fsync every
    second), so a restart brings back every tab's Reflex state (phase, session, unsent turns)."""
    return [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--save",
        "",
        "--notify-keyspace-events",
        REFLEX_KEYSPACE_EVENTS,
    ]


def start_local_redis(
    data_dir: Path, port: int | None = None, password: str | None = None
) -> tuple[subprocess.Popen, str]:
    """A ``redis-server`` on loopback (``port``, or a free one) keeping Reflex state in ``data_dir/redis``.

    It requires a password (``password``, or one made for this run), given on its standard input,
    never on a command line other users can read, and to the workers inside ``REFLEX_REDIS_URL``.
    A restart passes the same port and password, so the workers reconnect as they were.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        fail(
            "REFLEX_REDIS_URL is not set and redis-server is not installed: run `make system-deps` "
            "(Debian package redis-server) or set REFLEX_REDIS_URL=redis://host:6379"
        )
    port = port or embedded.free_port()
    password = password or secrets.token_urlsafe(32)
    (data_dir / "redis").mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [*redis_server_command(binary, port, data_dir / "redis"), "-"],  # "-": more configuration on stdin
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(f"requirepass {password}\n")
    proc.stdin.close()
    url = f"redis://:{password}@127.0.0.1:{port}"
    deadline = time.monotonic() + REDIS_READY_TIMEOUT_S
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(redis.RedisError):
                redis.Redis.from_url(url, socket_timeout=0.5).ping()
                return proc, url
            time.sleep(0.05)
    except BaseException:  # stopped (SIGTERM, Ctrl-C) while waiting: the caller never sees this server
        proc.kill()
        raise
    proc.kill()
    return fail(f"the local redis-server did not start on port {port}: set REFLEX_REDIS_URL to a running Redis")


def redacted(url: str) -> str:
    """The URL without its password, for logs."""
    head, at, tail = url.rpartition("@")
    return f"{head.split('//', 1)[0]}//***@{tail}" if at else url


def reflex_command(prod: ProdSettings) -> list[str]:
    """``reflex run --env prod`` on one port, through :mod:`interview_app.cli.reflex_prod` (a worker
    that dies is respawned instead of stopping every worker)."""
    port = str(prod.port)
    return [
        sys.executable,
        "-m",
        "interview_app.cli.reflex_prod",
        "run",
        "--env",
        "prod",
        "--single-port",
        "--frontend-port",
        port,
        "--backend-port",
        port,
        "--backend-host",
        prod.host,
    ]


def stop_process_group(proc: subprocess.Popen, timeout_s: float = STOP_TIMEOUT_S) -> int:
    """SIGTERM the whole process group (Reflex and its workers), SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        return proc.wait()


def main() -> int:
    os.environ["REFLEX_ENV_MODE"] = "prod"  # Settings then require real secrets and auth
    settings = settings_or_exit()
    try:
        prod = prod_settings()
    except ConfigError as exc:
        fail(str(exc))
    require_free_port(prod.host, prod.port, "INTERVIEW_PORT")
    local_redis: subprocess.Popen | None = None
    database = None
    env = {**os.environ, "GRANIAN_WORKERS": str(prod.workers), "REFLEX_ENV_MODE": "prod"}
    if prod.browser_api_url:
        env["REFLEX_API_URL"] = prod.browser_api_url
    reflex = None
    try:
        if settings.mongodb_uri is None:
            print(EMBEDDED_WARNING, file=sys.stderr, flush=True)
            database, started = embedded.ensure_running(settings.data_dir)
            database = database if started else None
        if settings.redis_url is None:
            local_redis, env["REFLEX_REDIS_URL"] = start_local_redis(settings.data_dir)
            print(
                f"Reflex state in a local redis-server on {redacted(env['REFLEX_REDIS_URL'])}, with a "
                "password made for this run (set REFLEX_REDIS_URL to share one between hosts)",
                flush=True,
            )
        print(f"Production: {prod.workers} workers on http://{prod.host}:{prod.port}", flush=True)
        reflex = subprocess.Popen(reflex_command(prod), env=env, start_new_session=True)
        run_record.write(settings.data_dir, "prod", prod.port, settings.public_url, settings.candidate_secret)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
        while (code := reflex.poll()) is None:
            if local_redis is not None and local_redis.poll() is not None:
                print(
                    f"the local redis-server stopped (exit code {local_redis.returncode}): starting it again "
                    "on its port, with its append-only file",
                    file=sys.stderr,
                    flush=True,
                )
                kept = urlsplit(env["REFLEX_REDIS_URL"])
                local_redis, _ = start_local_redis(settings.data_dir, kept.port, kept.password)
            time.sleep(WATCH_INTERVAL_S)
        return code
    except (KeyboardInterrupt, SystemExit) as exc:
        code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 130
        if reflex is not None:
            stop_process_group(reflex)
        return code
    finally:
        run_record.remove(settings.data_dir)
        if local_redis is not None:
            local_redis.terminate()
            local_redis.wait(timeout=10)
        if database is not None:
            embedded.stop(database)
            (settings.data_dir / "secantusd.json").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
