"""The page's start-session client: which failures may lead to offline mode, and the one retry."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from interview_app.ui import api_client


async def call(handler, **overrides):
    options = {"candidate_token": "tok", "metadata": {}, "user_agent": "Mozilla/5.0", "client_ip": "203.0.113.9"}
    return await api_client.start_session(
        "http://api.test", "app-1", transport=httpx.MockTransport(handler), **{**options, **overrides}
    )


def failing(exc_type, counter: list):
    def handler(request):
        counter.append(request)
        raise exc_type("boom", request=request)

    return handler


@pytest.mark.parametrize(
    "exc_type",
    [httpx.ConnectError, httpx.ReadError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError],
)
async def test_an_outage_is_retried_once_then_unavailable(exc_type):
    attempts = []
    outcome = await call(failing(exc_type, attempts))
    assert isinstance(outcome, api_client.Unavailable)
    assert outcome.reason == exc_type.__name__
    assert len(attempts) == 2


@pytest.mark.parametrize("exc_type", [httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.ProxyError])
async def test_a_request_that_cannot_be_sent_is_invalid_not_an_outage(exc_type):
    attempts = []
    outcome = await call(failing(exc_type, attempts))
    assert isinstance(outcome, api_client.Invalid)
    assert len(attempts) == 1


async def test_an_illegal_header_value_is_invalid_for_real():
    """The attack of security item 1, over a real socket: h11 refuses the header value."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        outcome = await api_client.start_session(
            f"http://127.0.0.1:{port}",
            "app-1",
            candidate_token="\n",
            metadata={},
            user_agent="Mozilla/5.0",
            client_ip=None,
        )
    assert isinstance(outcome, api_client.Invalid)
    assert outcome.reason == "LocalProtocolError"


@pytest.mark.parametrize("token", ["caf\u00e9", "\u2603"])
async def test_a_token_that_is_not_ascii_is_invalid_not_a_crash(token):
    outcome = await call(lambda request: httpx.Response(201, json={}), candidate_token=token)
    assert isinstance(outcome, api_client.Invalid)


async def test_a_5xx_is_unavailable_without_a_retry():
    attempts = []

    def handler(request):
        attempts.append(request)
        return httpx.Response(503, json={"code": "SERVER_ERROR"})

    outcome = await call(handler)
    assert outcome == api_client.Unavailable(reason="HTTP 503", status=503)
    assert len(attempts) == 1


async def test_a_4xx_is_refused_with_its_code_and_retry_after():
    outcome = await call(
        lambda request: httpx.Response(
            429, json={"code": "RATE_LIMITED", "details": "later"}, headers={"Retry-After": "120"}
        )
    )
    assert outcome == api_client.Refused(status=429, code="RATE_LIMITED", details="later", retry_after_seconds=120)


async def test_started_sends_the_candidate_token_address_and_agent():
    seen = {}

    def handler(request):
        seen.update(request.headers)
        return httpx.Response(200, json={"sessionId": "s1"})

    outcome = await call(handler)
    assert outcome == api_client.Started(body={"sessionId": "s1"}, reused=True)
    assert seen["authorization"] == "Bearer tok"
    assert seen["x-forwarded-for"] == "203.0.113.9"
    assert seen["user-agent"] == "Mozilla/5.0"


async def test_lifecycle_calls_use_the_shared_paths_and_the_session_token():
    seen = []

    def handler(request):
        seen.append((request.method, request.url.raw_path.decode(), request.headers["authorization"], request.content))
        if request.url.path.endswith("/heartbeat"):
            return httpx.Response(204)
        return httpx.Response(200, json={"ok": True})

    transport = httpx.MockTransport(handler)
    base = "http://api.test"
    assert await api_client.get_application(
        base, "app/1", candidate_token="cand", transport=transport
    ) == api_client.Answered(body={"ok": True})
    assert await api_client.heartbeat(base, "s1", session_token="sess", transport=transport) == api_client.Answered(
        body={}
    )
    await api_client.append_transcript(
        base, "s1", [{"id": "a", "role": "candidate", "text": ""}], session_token="sess", transport=transport
    )
    await api_client.end_session(base, "s1", "candidate_ended", session_token="sess", transport=transport)
    assert [(method, path, auth) for method, path, auth, _ in seen] == [
        ("GET", "/api/interview/applications/app%2F1", "Bearer cand"),
        ("POST", "/api/interview/sessions/s1/heartbeat", "Bearer sess"),
        ("POST", "/api/interview/sessions/s1/transcript", "Bearer sess"),
        ("POST", "/api/interview/sessions/s1/end", "Bearer sess"),
    ]
    assert b'"items"' in seen[2][3] and b'"reason":"candidate_ended"' in seen[3][3].replace(b" ", b"")


async def test_a_heartbeat_is_not_retried_but_an_end_is():
    attempts = []
    outcome = await api_client.heartbeat(
        "http://api.test", "s1", session_token="t", transport=httpx.MockTransport(failing(httpx.ConnectError, attempts))
    )
    assert isinstance(outcome, api_client.Unavailable) and len(attempts) == 1
    attempts.clear()
    outcome = await api_client.end_session(
        "http://api.test",
        "s1",
        "candidate_ended",
        session_token="t",
        transport=httpx.MockTransport(failing(httpx.ReadTimeout, attempts)),
    )
    assert isinstance(outcome, api_client.Unavailable) and len(attempts) == 2


async def test_a_lifecycle_refusal_keeps_its_code():
    outcome = await api_client.end_session(
        "http://api.test",
        "s1",
        "candidate_ended",
        session_token="t",
        transport=httpx.MockTransport(lambda r: httpx.Response(409, json={"code": "SESSION_NOT_ACTIVE"})),
    )
    assert outcome == api_client.Refused(status=409, code="SESSION_NOT_ACTIVE", details="", retry_after_seconds=None)
