"""A recording HTTP proxy in front of the API, which can refuse some requests on purpose.

Tests point ``INTERVIEW_API_URL`` at it (the page's backend calls the API there, and browsers
place their calls there), so it sees every API answer of an interview: the fault tests check that
none was a 5xx other than a documented 503 with ``Retry-After``. Given a :data:`Rule`, it answers
some requests itself (a ``409 SESSION_BUSY``, a ``429``) without passing them on. Only tests
install it; the shipped app never runs behind it.

It runs its own event loop in a thread, since Playwright's sync API owns the test's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import aiohttp
from aiohttp import web

from interview_app.storage.embedded import free_port

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}
TRANSCRIPT_WRITE = re.compile(r"^/api/interview/sessions/[^/]+/transcript$")
UPSTREAM_TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass(frozen=True)
class Refusal:
    """What the proxy answers instead of the API."""

    status: int
    code: str
    retry_after_s: int


@dataclass(frozen=True)
class Exchange:
    """One request and what the client got: ``status`` None when the API could not be reached
    (the client then gets a ``502`` marked ``X-Fault-Proxy: upstream-unreachable``)."""

    method: str
    path: str
    status: int | None
    retry_after: str | None
    injected: bool
    request_body: bytes
    response_body: bytes

    @property
    def is_transcript_write(self) -> bool:
        return self.method == "POST" and bool(TRANSCRIPT_WRITE.match(self.path))

    def item_ids(self) -> list[str]:
        """The transcript items this request carried (empty for any other request)."""
        if not self.is_transcript_write:
            return []
        with contextlib.suppress(ValueError, TypeError, KeyError):
            return [str(item["id"]) for item in json.loads(self.request_body)["items"]]
        return []


Rule = Callable[[str, str], Refusal | None]  # (method, path) -> a refusal, or None to pass it on


def every_third_transcript_write() -> Rule:
    """Refuses the 1st, 4th, 7th... transcript write, alternately ``409 SESSION_BUSY`` and ``429``,
    each with ``Retry-After: 1``: what the API answers under contention and load."""
    count = 0
    refusals = [Refusal(409, "SESSION_BUSY", 1), Refusal(429, "RATE_LIMITED", 1)]

    def rule(method: str, path: str) -> Refusal | None:
        nonlocal count
        if method != "POST" or not TRANSCRIPT_WRITE.match(path):
            return None
        count += 1
        return refusals[(count // 3) % 2] if count % 3 == 1 else None

    return rule


class FaultProxy:
    """The proxy's handle: its URL, what it saw, and the rule it applies (None: pass everything)."""

    def __init__(self, target: str, port: int):
        self.target = target.rstrip("/")
        self.url = f"http://127.0.0.1:{port}"
        self.exchanges: list[Exchange] = []
        self.rule: Rule | None = None
        self._lock = threading.Lock()

    def reset(self, rule: Rule | None = None) -> None:
        """Forget what was seen and apply ``rule`` from now on."""
        with self._lock:
            self.exchanges, self.rule = [], rule

    def seen(self) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges)

    def _keep(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    async def handle(self, request: web.BaseRequest, session: aiohttp.ClientSession) -> web.StreamResponse:
        body = await request.read()
        rule = self.rule
        refusal = rule(request.method, request.path) if rule is not None else None
        if refusal is not None:
            answer = json.dumps({"error": "Refused by the test's fault proxy", "code": refusal.code}).encode()
            self._keep(
                Exchange(request.method, request.path, refusal.status, str(refusal.retry_after_s), True, body, answer)
            )
            return web.Response(
                status=refusal.status,
                body=answer,
                content_type="application/json",
                headers={"Retry-After": str(refusal.retry_after_s)},
            )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            async with session.request(
                request.method, self.target + request.path_qs, headers=headers, data=body, allow_redirects=False
            ) as upstream:
                answer = await upstream.read()
                status, upstream_headers = upstream.status, upstream.headers
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._keep(Exchange(request.method, request.path, None, None, False, body, repr(exc).encode()))
            return web.Response(status=502, text="unreachable", headers={"X-Fault-Proxy": "upstream-unreachable"})
        self._keep(
            Exchange(request.method, request.path, status, upstream_headers.get("Retry-After"), False, body, answer)
        )
        response = web.Response(status=status, body=answer)
        for key, value in upstream_headers.items():
            if key.lower() not in HOP_BY_HOP:
                response.headers.add(key, value)
        return response


@contextlib.contextmanager
def fault_proxy(target: str) -> Iterator[FaultProxy]:
    """Serve a :class:`FaultProxy` for ``target`` on a free loopback port until the block ends."""
    proxy = FaultProxy(target, free_port())
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), asyncio.Event()
    failed: list[BaseException] = []

    async def serve() -> None:
        async with aiohttp.ClientSession(timeout=UPSTREAM_TIMEOUT, auto_decompress=True) as session:

            async def handler(request: web.BaseRequest) -> web.StreamResponse:
                return await proxy.handle(request, session)

            server = web.Server(handler)
            runner = web.ServerRunner(server, handle_signals=False)
            await runner.setup()
            try:
                await web.TCPSite(runner, "127.0.0.1", int(proxy.url.rsplit(":", 1)[1])).start()
            except OSError as exc:
                failed.append(exc)
                ready.set()
                return
            ready.set()
            await stop.wait()
            await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    if not ready.wait(10) or failed:
        raise RuntimeError(f"the fault proxy could not listen on {proxy.url}: {failed}")
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
