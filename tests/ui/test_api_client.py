"""The page's start-session client: which failures may lead to offline mode, and the one retry."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from interview_app.ui import api_client


async def call(handler, **overrides):
    options = {"candidate_token": "tok", "metadata": {}, "user_agent": "Mozilla/5.0", "client_ip": "203.0.113.9"}
    return await api_client.start_session("http://api.test", "app-1", transport=httpx.MockTransport(handler),
                                          **{**options, **overrides})


def failing(exc_type, counter: list):
    def handler(request):
        counter.append(request)
        raise exc_type("boom", request=request)
    return handler


@pytest.mark.parametrize("exc_type", [httpx.ConnectError, httpx.ReadError, httpx.ConnectTimeout,
                                      httpx.ReadTimeout, httpx.RemoteProtocolError])
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
        outcome = await api_client.start_session(f"http://127.0.0.1:{port}", "app-1", candidate_token="\n",
                                                 metadata={}, user_agent="Mozilla/5.0", client_ip=None)
    assert isinstance(outcome, api_client.Invalid)
    assert outcome.reason == "LocalProtocolError"


async def test_a_5xx_is_unavailable_without_a_retry():
    attempts = []

    def handler(request):
        attempts.append(request)
        return httpx.Response(503, json={"code": "SERVER_ERROR"})
    outcome = await call(handler)
    assert outcome == api_client.Unavailable(reason="HTTP 503", status=503)
    assert len(attempts) == 1


async def test_a_4xx_is_refused_with_its_code_and_retry_after():
    outcome = await call(lambda request: httpx.Response(429, json={"code": "RATE_LIMITED", "details": "later"},
                                                        headers={"Retry-After": "120"}))
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
