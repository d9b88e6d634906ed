"""Regression (security item 5): a body that cannot be parsed is a 400, never a 500 nor a Sentry error.

On the old code 5,000 nested arrays (under the 16 KiB cap) raised ``RecursionError`` in the JSON
parser, and aiortc crashed on a malformed m-line: both answered 500 and reported an error to Sentry.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import sentry_sdk

from interview_app import observability
from tests.support.api_app import api_client
from tests.support.fake_sentry import FakeSentry
from tests.support.rtc_client import CALLS
from tests.support.sessions import offline_token

START = "/api/interview/start-session"
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


@pytest.mark.parametrize("body", [
    '{"applicationId": "a", "metadata": ' + "[" * NESTED + "]" * NESTED + "}",
    '{"applicationId": "a", "metadata": ' + '{"a":' * 2500 + "1" + "}" * 2500 + "}",
    "[" * NESTED,
], ids=["nested arrays", "nested objects", "unclosed arrays"])
async def test_deeply_nested_json_is_invalid_request(client_reporting_to_sentry, sentry, body):
    assert len(body.encode()) < 16 * 1024
    response = await client_reporting_to_sentry.post(START, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"
    assert errors_reported(sentry) == []


async def test_an_sdp_that_crashed_aiortc_is_invalid_sdp(client_reporting_to_sentry, sentry):
    response = await client_reporting_to_sentry.post(
        CALLS, content=b"v=0\r\nm=audio x\r\nzzz\r\n",
        headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {offline_token('app-x')}"})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"
    assert errors_reported(sentry) == []
