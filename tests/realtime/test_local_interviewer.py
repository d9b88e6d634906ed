"""Checks of the local interviewer: the level meter, idle hang-up, the script, and the ways to answer."""

import asyncio

import numpy as np
from aiortc import RTCSessionDescription

from interview_app.domain.model import TranscriptItem
from interview_app.realtime import script
from interview_app.realtime.interviewer import CallListener
from interview_app.realtime.local_interviewer import LocalInterviewerCall, level_dbfs
from interview_app.realtime.voice import SAMPLE_RATE, synthesize
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


async def test_the_voice_speaks_at_the_chosen_rate():
    """``INTERVIEW_LOCAL_VOICE_WPM`` reaches espeak-ng: the same line at 450 words a minute takes well
    under half the time it takes at the default 165 (and a slower rate, longer)."""
    line = script.turns("Backend Developer")[0]
    seconds = {}
    for rate in (120, 165, 450):
        samples = await synthesize(line, rate)
        assert samples is not None
        seconds[rate] = len(samples) / SAMPLE_RATE
    assert seconds[120] > seconds[165] > 2.5 * seconds[450] > 0


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


class Recorded:
    """A listener that keeps what the interviewer reports."""

    def __init__(self) -> None:
        self.turns: list[TranscriptItem] = []
        self.listener = CallListener(connected=self._ignored, ended=self._ended, turn=self._turn)

    async def _ignored(self, _) -> None:
        pass

    async def _ended(self, reason, figures) -> None:
        pass

    async def _turn(self, item: TranscriptItem) -> None:
        self.turns.append(item)


async def _live_call(job_title: str, recorded: Recorded, with_audio: bool = True):
    server = LocalInterviewerCall("call_typed", job_title, (), recorded.listener)
    client = CandidateCall(with_audio=with_audio)
    answer = await server.answer(await client.offer())
    await client.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.wait_for(asyncio.gather(client.connected.wait(), client.opened.wait()), 10)
    return server, client


async def _said(client: CandidateCall, timeout: float = 15) -> str:
    return (await client.next_event("response.output_audio_transcript.done", timeout))["transcript"]


async def test_the_greeting_and_the_first_question_are_separate_turns():
    """Issue 20 item 10: the page can show the question alone."""
    recorded = Recorded()
    server, client = await _live_call("Backend Developer", recorded)
    try:
        assert await _said(client) == script.greeting("Backend Developer")
        assert await _said(client) == script.questions("Backend Developer")[0]
    finally:
        await server.hang_up("test_over")
        await client.close()


async def test_a_typed_answer_is_stored_with_its_id_and_text_and_the_next_question_follows():
    """Issue 16 §5 / contract A1: OpenAI's conversation.item.create (input_text) then response.create."""
    recorded = Recorded()
    server, client = await _live_call("Backend Developer", recorded)
    questions = script.questions("Backend Developer")
    try:
        await _said(client)
        assert await _said(client) == questions[0]
        typed = "I designed a queue.\nIt had back-pressure; the trade-off was latency."
        item = {
            "id": "item_typed_1",
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": typed}],
        }
        client.send({"type": "conversation.item.create", "item": item})
        client.send({"type": "response.create"})
        assert (await client.next_event("conversation.item.created"))["item"]["id"] == "item_typed_1"
        assert await _said(client) == questions[1]
        answers = [turn for turn in recorded.turns if turn.role == "candidate"]
        assert [(a.id, a.text, a.input) for a in answers] == [("item_typed_1", typed, "text")]
        long = "x" * 5000  # cut to the page's limit; an id the API would refuse is replaced
        item = {"id": "bad id!", "type": "message", "role": "user", "content": [{"type": "input_text", "text": long}]}
        client.send({"type": "conversation.item.create", "item": item})
        client.send({"type": "response.create"})
        assert await _said(client) == questions[2]
        last = [turn for turn in recorded.turns if turn.role == "candidate"][-1]
        assert last.text == "x" * 2000 and last.id.startswith("item_") and last.id != "bad id!"
    finally:
        await server.hang_up("test_over")
        await client.close()


async def test_done_answering_ends_a_spoken_answer_that_never_goes_quiet():
    """Issue 20 item 3: input_audio_buffer.commit then response.create ends the answer now (a noisy
    room never gives the 1.2 s of quiet), stores its duration, and the next question follows."""
    recorded = Recorded()
    server, client = await _live_call("Backend Developer", recorded)
    questions = script.questions("Backend Developer")
    try:
        await _said(client)
        assert await _said(client) == questions[0]
        client.send({"type": "response.cancel"})  # no need to hear the question out
        client.microphone.speaking = True  # and the candidate never stops
        started = await client.next_event("input_audio_buffer.speech_started", 15)
        await asyncio.sleep(1.5)
        client.send({"type": "input_audio_buffer.commit"})
        client.send({"type": "response.create"})
        stopped = await client.next_event("input_audio_buffer.speech_stopped")
        assert stopped["item_id"] == started["item_id"]
        assert (await client.next_event("input_audio_buffer.committed"))["item_id"] == started["item_id"]
        assert await _said(client) == questions[1]
        answer = next(turn for turn in recorded.turns if turn.role == "candidate")
        assert answer.id == started["item_id"] and answer.text == "" and answer.input == "voice"
        assert answer.duration_ms is not None and 1000 <= answer.duration_ms <= 5000, answer.duration_ms
    finally:
        await server.hang_up("test_over")
        await client.close()
