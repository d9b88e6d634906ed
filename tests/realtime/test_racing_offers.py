"""Regression (issue 15 B6): offers racing on one grant.

On the old code 4 concurrent offers with the same token answered ``[201, 201, 500, 500]``: a
replaced call's peer was closed while its offer was still being answered (aiortc
``InvalidStateError``), and an older offer that finished late lived beside the newer one.
"""

from __future__ import annotations

import asyncio

from interview_app.api import paths
from tests.realtime.holding import hold_first_answer
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer

OFFERS = 4


async def post_offers(client, token: str, calls: list[CandidateCall]):
    offers = [await call.offer() for call in calls]
    return await asyncio.gather(
        *(
            client.post(
                paths.REALTIME_CALLS, content=offer, headers={"Content-Type": "application/sdp", **bearer(token)}
            )
            for offer in offers
        )
    )


async def test_concurrent_offers_on_one_grant_leave_one_call_and_no_5xx(client, session):
    _app_id, _session_id, token = session
    calls = [CandidateCall() for _ in range(OFFERS)]
    try:
        responses = await post_offers(client, token, calls)
        statuses = [response.status_code for response in responses]
        assert all(status in (201, 409) for status in statuses), [(r.status_code, r.text[:200]) for r in responses]
        for refused in (r for r in responses if r.status_code == 409):
            assert refused.json()["code"] == "CALL_REPLACED"
        registry = client.api.state.runtime.calls
        (live,) = registry.calls.values()  # the newest offer won; every other one is gone
        answered = {r.headers["location"].rsplit("/", 1)[-1] for r in responses if r.status_code == 201}
        assert live.call_id in answered
    finally:
        for call in calls:
            await call.close()
        await client.api.state.runtime.calls.close_all()


async def test_an_offer_replaced_while_it_is_answered_gets_409(client, session):
    """The older offer is held inside its answer until the newer one has replaced it."""
    _app_id, _session_id, token = session
    registry = client.api.state.runtime.calls
    newer_done = asyncio.Event()
    first_inside = hold_first_answer(registry, release=newer_done)
    older, newer = CandidateCall(), CandidateCall()
    try:
        older_offer, newer_offer = await older.offer(), await newer.offer()
        headers = {"Content-Type": "application/sdp", **bearer(token)}
        first = asyncio.ensure_future(client.post(paths.REALTIME_CALLS, content=older_offer, headers=headers))
        await first_inside.wait()
        second = await client.post(paths.REALTIME_CALLS, content=newer_offer, headers=headers)
        newer_done.set()
        refused = await first
        assert second.status_code == 201, second.text
        assert refused.status_code == 409 and refused.json()["code"] == "CALL_REPLACED", refused.text
        (live,) = registry.calls.values()
        assert second.headers["location"].endswith(live.call_id)
    finally:
        await older.close()
        await newer.close()
        await registry.close_all()
