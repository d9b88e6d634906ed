"""Regression: a call being answered takes one slot, not two.

On the old code a local call's record joined the registry while its offer was answered and was
also counted as an answer in progress, so with ``INTERVIEW_MAX_CALLS=2`` a second candidate was
turned away (``503 CAPACITY``) while only one call existed.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from interview_app.api import paths
from tests.realtime.holding import hold_first_answer
from tests.support.api_app import add_application
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, offline_token


@pytest.fixture
def settings(settings):
    return replace(settings, max_calls=2)


async def test_a_second_call_fits_beside_one_being_answered(client, sync_db):
    for app_id in ("app-first", "app-second", "app-third"):
        add_application(sync_db, app_id)  # offline calls are for open applications only
    registry = client.api.state.runtime.calls
    second_done = asyncio.Event()
    first_inside = hold_first_answer(registry, release=second_done)
    calls = [CandidateCall() for _ in range(3)]
    try:
        offers = [await call.offer() for call in calls]

        def place(n: int, app_id: str):
            headers = {"Content-Type": "application/sdp", **bearer(offline_token(app_id))}
            return client.post(paths.REALTIME_CALLS, content=offers[n], headers=headers)

        first = asyncio.ensure_future(place(0, "app-first"))
        await first_inside.wait()
        second = await place(1, "app-second")
        second_done.set()
        assert second.status_code == 201, second.text
        assert (await first).status_code == 201
        third = await place(2, "app-third")  # the cap still holds
        assert third.status_code == 503 and third.json()["code"] == "CAPACITY"
        assert len(registry.calls) == 2
    finally:
        for call in calls:
            await call.close()
        await registry.close_all()
