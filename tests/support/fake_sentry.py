"""A tiny HTTP server playing Sentry's ingest endpoint (``POST /api/<project>/envelope/``)."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sentry_sdk

from interview_app import observability
from interview_app.config import Settings


class FakeSentry:
    def __init__(self):
        self.envelopes: list[list[dict]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                encoding = (self.headers.get("Content-Encoding") or "").lower()
                if encoding == "gzip":
                    raw = gzip.decompress(raw)
                elif encoding == "deflate":
                    raw = zlib.decompress(raw)
                items = [json.loads(line) for line in raw.splitlines() if line.strip().startswith(b"{")]
                with owner._lock:
                    owner.envelopes.append(items)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Polled every 20 ms, not the default 0.5 s: ``shutdown`` waits for the next poll, at every test's end.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.server.server_address[1]}/42"

    def events(self) -> list[dict]:
        """Every event payload received (items with a ``message``)."""
        with self._lock:
            return [
                item
                for env in self.envelopes
                for item in env
                if "message" in item or ("event_id" in item and "level" in item)
            ]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def sentry_to(fake: FakeSentry, settings: Settings) -> Iterator[None]:
    """Sentry initialised to send to ``fake`` for the block, then closed and forgotten again."""
    assert observability.init_sentry(replace(settings, sentry_dsn=fake.dsn))
    try:
        yield
    finally:
        sentry_sdk.get_client().close(timeout=2)
        observability._initialised = False
