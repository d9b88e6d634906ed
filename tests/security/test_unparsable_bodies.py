"""Regression (security item 5): a body that cannot be parsed is a 400, never a 500 nor a Sentry error.

On the old code 5,000 nested arrays (under the 16 KiB cap) raised ``RecursionError`` in the JSON
parser, and aiortc crashed on a malformed m-line: both answered 500 and reported an error to Sentry.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import sentry_sdk

from interview_app import observability
from interview_app.api.app import create_api
from tests.support.api_app import api_client, make_settings
from tests.support.fake_sentry import FakeSentry
from tests.support.review import reviewer
from tests.support.rtc_client import CALLS
from tests.support.sessions import bearer, candidate_token, offline_token, session_token

NESTED = 5000


@pytest.fixture
def sentry():
    with FakeSentry() as fake:
        yield fake


@pytest.fixture
async def client_reporting_to_sentry(settings, sentry):
    try:
        async with api_client(replace(settings, sentry_dsn=sentry.dsn)) as client:
            yield client
    finally:
        sentry_sdk.get_client().close(timeout=2)
        observability._initialised = False


def errors_reported(sentry: FakeSentry) -> list[dict]:
    sentry_sdk.get_client().flush(timeout=2)
    return [event for event in sentry.events() if event.get("exception")]


SESSION_ID = "sess-nested"
NESTED_BODIES = {
    "nested arrays": '{"items": ' + "[" * NESTED + "]" * NESTED + "}",
    "nested objects": '{"items": ' + '{"a":' * 2500 + "1" + "}" * 2500 + "}",
    "unclosed arrays": "[" * NESTED,
}


def json_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation whose body is JSON, read from the OpenAPI document."""
    document = create_api(make_settings("mongodb://127.0.0.1:1", "unused", Path(tempfile.gettempdir()))).openapi()
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "application/json" in (operation.get("requestBody") or {}).get("content", {})
    ]


def authorised(path: str) -> tuple[str, dict]:
    """The concrete URL and a token that passes authentication, so the body is what gets judged."""
    if path.startswith("/api/review/"):  # the hiring team's routes take a reviewer token
        return path.replace("{session_id}", SESSION_ID), reviewer()
    if "{session_id}" in path:
        return path.replace("{session_id}", SESSION_ID), bearer(session_token(SESSION_ID))
    return path.replace("{application_id}", "app-x"), bearer(candidate_token())


@pytest.mark.parametrize(("method", "path"), json_operations())
@pytest.mark.parametrize("body", NESTED_BODIES.values(), ids=NESTED_BODIES.keys())
async def test_deeply_nested_json_is_invalid_request(client_reporting_to_sentry, sentry, method, path, body):
    assert len(body.encode()) < 16 * 1024
    url, headers = authorised(path)
    response = await client_reporting_to_sentry.request(
        method, url, content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"
    assert errors_reported(sentry) == []


async def test_an_sdp_that_crashed_aiortc_is_invalid_sdp(client_reporting_to_sentry, sentry):
    response = await client_reporting_to_sentry.post(
        CALLS,
        content=b"v=0\r\nm=audio x\r\nzzz\r\n",
        headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {offline_token('app-x')}"},
    )
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"
    assert errors_reported(sentry) == []
