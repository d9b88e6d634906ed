"""Unit-level checks of the local interviewer: the level meter, idle hang-up, and the script."""

import asyncio

import numpy as np
from aiortc import RTCSessionDescription

from interview_app.realtime import script
from interview_app.realtime.interviewer import CallListener
from interview_app.realtime.local_interviewer import LocalInterviewerCall, level_dbfs
from tests.support.rtc_client import CandidateCall


def test_level_meter():
    assert level_dbfs(np.zeros(960, dtype=np.int16)) == -120.0
    full = (np.sin(np.linspace(0, 100, 960)) * 32767).astype(np.int16)
    assert -4 < level_dbfs(full) < -2  # a full-scale sine is -3 dBFS


def test_script_fits_the_role():
    assert "pipeline" in script.turns("Senior Data Scientist")[0]
    assert "system you designed" in script.turns("Backend Developer")[0]
    assert script.turns(None)[0].startswith("Hello, and welcome to your interview.")
    assert script.turns("Chef")[-1] == script.CLOSING


def test_a_resume_asks_the_first_unanswered_question_again():
    """Issue 20 item 1: a question asked just before the call dropped is asked again, never skipped."""
    greeting_q1, q2, q3, closing = script.turns("Backend Developer")
    q1 = script.questions("Backend Developer")[0]

    def resumed(*history: tuple[str, str]) -> list[str]:
        return script.remaining_turns("Backend Developer", list(history))

    assert resumed() == [greeting_q1, q2, q3, closing]  # nothing said yet: a fresh start
    assert resumed(("interviewer", greeting_q1)) == [f"{script.WELCOME_BACK} {q1}", q2, q3, closing]
    asked_q2 = [("interviewer", greeting_q1), ("candidate", ""), ("interviewer", q2)]
    assert resumed(*asked_q2) == [f"{script.WELCOME_BACK} {q2}", q3, closing]
    assert resumed(*asked_q2, ("candidate", "I traced it to a race.")) == [f"{script.WELCOME_BACK} {q3}", closing]
    resumed_once = [*asked_q2, ("interviewer", f"{script.WELCOME_BACK} {q2}")]
    assert resumed(*resumed_once) == [f"{script.WELCOME_BACK} {q2}", q3, closing]
    everything = [*asked_q2, ("candidate", ""), ("interviewer", q3), ("candidate", ""), ("interviewer", closing)]
    assert resumed(*everything) == [f"{script.WELCOME_BACK} {closing}"]


async def test_idle_call_hangs_up_by_itself():
    ended = asyncio.get_running_loop().create_future()

    async def on_ended(reason, figures):
        ended.set_result(reason)

    async def ignored(_):
        pass

    listener = CallListener(connected=ignored, ended=on_ended, turn=ignored)
    server = LocalInterviewerCall("call_idle", None, (), listener, idle_timeout_s=1.5)
    client = CandidateCall(with_audio=False)
    try:
        answer = await server.answer(await client.offer())
        await client.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        assert await asyncio.wait_for(ended, timeout=10) == "idle"
        assert server._pc.connectionState == "closed"
    finally:
        await client.close()
