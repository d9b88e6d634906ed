"""Run ``deploy/Caddyfile`` with Debian's Caddy in front of a running app, on a free port."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

import httpx

from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT

CADDYFILE = ROOT / "deploy" / "Caddyfile"
START_TIMEOUT_S = 30


@contextlib.contextmanager
def running_caddy(upstream: str, work_dir: Path, port: int | None = None, host: str = "127.0.0.1"):
    """Caddy on ``host:port`` (a free port by default) proxying to ``upstream`` (host:port); yields its URL.

    Another loopback address as ``host`` lets Caddy listen on the app's own port number, so one
    build of the page (whose websocket URL keeps the page's host but names the port) works both
    directly and through the proxy.
    """
    port = port or free_port()
    env = {
        **os.environ,
        "INTERVIEW_SITE_ADDRESS": f"http://:{port}",
        "INTERVIEW_CADDY_BIND": host,
        "INTERVIEW_UPSTREAM": upstream,
        "CADDY_ADMIN": "off",
        "XDG_CONFIG_HOME": str(work_dir / "config"),
        "XDG_DATA_HOME": str(work_dir / "data"),
    }
    log_path = work_dir / "caddy.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"caddy exited early:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/ping", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"caddy did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
