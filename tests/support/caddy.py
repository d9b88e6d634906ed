"""Run ``deploy/Caddyfile`` with Debian's Caddy in front of a running app, on a free port."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT
from tests.support.processes import wait_until_answering

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
        wait_until_answering(proc, [f"{base}/ping"], log_path, START_TIMEOUT_S, "caddy")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def fake_upstream(headers: dict[str, str] | None = None, missing: str | None = None) -> Iterator[str]:
    """A tiny HTTP app for Caddy to proxy to (``host:port``): every GET answers ``ok`` with
    ``headers``, or 404 when its path contains ``missing``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(404 if missing and missing in self.path else 200)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
