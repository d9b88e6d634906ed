"""The slot the OpenAI sideband of issue 16 fits into, exercised with a scripted sideband.

The OpenAI interviewer opens a sideband once the registry keeps its call, with the provider's
call id; the turns the sideband reports reach the session's transcript the way the local
interviewer's do; its ``gone`` ends the call (at the provider too) and frees the slot; a hang-up
closes it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_openai import FakeOpenAI
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, start
from tests.support.waiting import wait_until


class ScriptedSideband:
    """Records how the interviewer uses it, and hands back what it was given to report with."""

    def __init__(self):
        self.opened: str | None = None
        self.closed = 0
        self.listener = None
        self.gone = None

    async def open(self, remote_call_id, listener, gone) -> None:
        self.opened, self.listener, self.gone = remote_call_id, listener, gone

    async def close(self) -> None:
        self.closed += 1


@pytest.fixture
async def relayed(settings):
    async with FakeOpenAI() as fake:
        relay = replace(settings, openai_api_key=fake.api_key, openai_base_url=fake.base_url)
        async with api_client(relay) as client:
            await wait_for_indexes(client)
            sidebands: list[ScriptedSideband] = []

            def sideband(context) -> ScriptedSideband:
                sidebands.append(ScriptedSideband())
                return sidebands[-1]

            client.api.state.runtime.calls.provider.sideband = sideband
            yield client, fake, sidebands


def session(sync_db, session_id: str) -> dict:
    return sync_db.interviewSessions.find_one({"sessionId": session_id})


async def test_the_sideband_records_turns_and_its_end_frees_the_slot(relayed, sync_db):
    client, fake, sidebands = relayed
    session_id, token = await start(client, add_application(sync_db))
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        (sideband,) = sidebands
        assert sideband.opened == "rtc_fake123" and sideband.listener is not None and sideband.gone is not None
        said = TranscriptItem(id="resp_1", role="interviewer", text="Tell me about a pipeline.", at=utcnow())
        await sideband.listener.turn(said)
        assert [(i["id"], i["text"]) for i in session(sync_db, session_id)["transcript"]] == [("resp_1", said.text)]

        await sideband.gone("sideband_closed")  # the provider says the call is over
        registry = client.api.state.runtime.calls
        assert registry.calls == {} and fake.hangups == ["rtc_fake123"] and sideband.closed == 1
        ended = [e["payload"] for e in session(sync_db, session_id)["events"] if e["type"] == "call.ended"]
        assert [e["reason"] for e in ended] == ["sideband_closed"]
        assert (await client.delete(call.location, headers=bearer(token))).status_code == 404
    finally:
        await call.close()


async def test_a_hang_up_closes_the_sideband_once(relayed, sync_db):
    client, fake, sidebands = relayed
    _, token = await start(client, add_application(sync_db))
    call = CandidateCall()
    try:
        assert (await call.dial(client, token)).status_code == 201
        assert (await client.delete(call.location, headers=bearer(token))).status_code == 204
        await wait_until(lambda: fake.hangups == ["rtc_fake123"])
        (sideband,) = sidebands
        assert sideband.closed == 1
    finally:
        await call.close()
