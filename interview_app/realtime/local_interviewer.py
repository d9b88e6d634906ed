"""The local interviewer: an aiortc peer that speaks the OpenAI Realtime event protocol.

It answers the browser's offer, listens to the candidate's audio (frame count and a level
meter), and runs the interview on the ``oai-events`` data channel the client opens (as with
OpenAI): ``session.created``, then each turn as ``response.created``,
``response.output_audio_transcript.delta``... ``.done``, ``response.done``, spoken on the audio
track when espeak-ng is installed. The next question comes when the candidate has spoken and
gone quiet, or at once on a client ``response.create``. The greeting is a turn of its own, and
the first question follows it at once (the page shows a question without the greeting around it).

The candidate may answer in two more ways, with OpenAI's client events (the page sends the same
ones in OpenAI mode): a typed answer, ``conversation.item.create`` with a user message of
``input_text``, then ``response.create``; and "I'm done answering", ``input_audio_buffer.commit``
(the spoken answer ends now, whatever the room's noise) then ``response.create``.

Each of its turns (id = response id) and each candidate answer goes to its listener's ``turn``,
which stores it in the session: a spoken answer with the speech item id and its duration (no
text, it does not transcribe), a typed one with the item's id, its text and ``input="text"``.
Given that ``history``, a resumed call says a welcome back and the next question instead of
greeting again.

It runs the application's interview plan (``script``'s decisions): the plan's questions verbatim
and in order, its own fixed lines in English, and, once the plan's ``durationMinutes`` are up, no
new question: the answer being given is heard out, then the closing line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from interview_app.config import Settings
from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.realtime import ice, script
from interview_app.realtime.call_context import CALL_LIMIT_S, CallContext
from interview_app.realtime.interviewer import CallListener
from interview_app.realtime.voice import VoiceTrack, synthesize

log = logging.getLogger(__name__)

SPEECH_DBFS = -45.0  # louder than this counts as speech
SPEECH_START_S = 0.3  # this much speech starts an answer
SILENCE_END_S = 1.2  # this much quiet after speech ends it
DELTA_INTERVAL_S = 0.02  # transcript deltas stream faster than playback, as with OpenAI
CONNECT_TIMEOUT_S = 30.0
IDLE_TIMEOUT_S = 120.0  # no audio and no message for this long ends the call
TYPED_ANSWER_MAX_CHARS = 2_000  # the page's limit too; longer text is cut, never refused
ITEM_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")  # an id the transcript API takes


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level of int16 samples in dBFS (-120 for digital silence)."""
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float32)))))
    return 20 * np.log10(rms / 32768) if rms > 0 else -120.0


class LocalProvider:
    """Local interviewers, in this process: a call it holds is reached through this worker alone."""

    name = "local"

    def __init__(self, ice_servers: tuple, voice_wpm: int = Settings.local_voice_wpm):
        self.ice_servers = ice_servers
        self.voice_wpm = voice_wpm

    def interviewer(
        self, call_id: str, session_id: str | None, context: CallContext, listener: CallListener
    ) -> LocalInterviewerCall:
        return LocalInterviewerCall(
            call_id,
            context.job_title,
            self.ice_servers,
            listener,
            history=context.history,
            plan=context.plan,
            time_up_at=context.time_up_at,
            max_call_s=context.max_call_s,
            voice_wpm=self.voice_wpm,
        )

    async def hang_up_unheld(self, session_id: str) -> None:
        """Nothing to do: a local call lives in the worker that answered it, which the bus reaches."""


class LocalInterviewerCall:
    """One call between a candidate's browser and the local interviewer. The server hears the
    call's audio, so the call needs no heartbeats: the media says the browser lives."""

    provider = "local"
    needs_heartbeats = False

    def __init__(
        self,
        call_id: str,
        job_title: str | None,
        ice_servers: tuple,
        listener: CallListener,
        history: Sequence[TranscriptItem] = (),
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        plan: InterviewPlan = DEFAULT_PLAN,
        time_up_at: datetime | None = None,
        max_call_s: float = CALL_LIMIT_S,
        voice_wpm: int = Settings.local_voice_wpm,
    ):
        self.call_id = call_id
        self.job_title = job_title
        self.history = list(history)
        self.plan = plan
        self.time_up_at = time_up_at  # the plan's time is up: no new question after the current answer
        self.max_call_s = max_call_s
        self.voice_wpm = voice_wpm
        self._listener = listener
        self.frames_received = 0
        self.level = -120.0
        self.turns_sent = 0
        self.created = time.monotonic()
        self.last_activity = time.monotonic()
        self.ended: str | None = None
        self._idle_timeout_s = idle_timeout_s
        self._pc = RTCPeerConnection(ice.rtc_configuration(ice_servers))
        self._voice = VoiceTrack()
        self._pc.addTrack(self._voice)
        self._channel = None
        self._tasks: set[asyncio.Task] = set()
        self._writes: set[asyncio.Future] = set()
        self._advance = asyncio.Event()
        self._listening = False
        self._connected = False
        self._heard_s = 0.0  # audio received so far: the clock of audio_start_ms / audio_end_ms
        self._listening_since_s = 0.0  # when listening for the current answer began
        self._answer: tuple[str, float] | None = None  # the answer being spoken: (item id, start)
        self._wire()

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _wire(self) -> None:
        pc = self._pc

        @pc.on("track")
        def on_track(track):
            if track.kind == "audio":
                self._spawn(self._listen(track))

        @pc.on("datachannel")
        def on_datachannel(channel):
            if channel.label != "oai-events" or self._channel is not None:
                return
            self._channel = channel
            channel.on("message", self._on_message)
            channel.on("close", lambda: self._spawn(self.hang_up("datachannel_closed")))
            self._spawn(self._interview())

        @pc.on("connectionstatechange")
        async def on_state():
            if pc.connectionState == "connected" and not self._connected:
                self._connected = True
                await self._listener.connected({})
            elif pc.connectionState in ("failed", "closed"):
                await self.hang_up(f"connection_{pc.connectionState}")

    async def answer(self, offer_sdp: str) -> str:
        """Apply the browser's offer and return our SDP answer."""
        await self._pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await self._pc.setLocalDescription(await self._pc.createAnswer())
        self._spawn(self._watchdog())
        return self._pc.localDescription.sdp

    async def started(self) -> None:
        """Nothing to begin: the interview starts when the browser opens the data channel."""

    async def hang_up(self, reason: str) -> None:
        """End the call once: close the peer, stop every task, report why."""
        if self.ended is not None:
            return
        self.ended = reason
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        with contextlib.suppress(Exception):
            await self._pc.close()
        await self._listener.ended(reason, {"audioFrames": self.frames_received, "turns": self.turns_sent})

    async def _watchdog(self) -> None:
        while self.ended is None:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            if not self._connected and now - self.created > CONNECT_TIMEOUT_S:
                await self.hang_up("connect_timeout")
            elif now - self.last_activity > self._idle_timeout_s:
                await self.hang_up("idle")
            elif now - self.created > self.max_call_s:
                await self.hang_up("max_duration")

    async def _listen(self, track) -> None:
        """Count frames, meter the level, and detect the end of an answer."""
        speech_s = quiet_s = 0.0
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.frames_received += 1
            self.last_activity = time.monotonic()
            self.level = level_dbfs(frame.to_ndarray())
            duration = frame.samples / frame.sample_rate
            self._heard_s += duration
            if not self._listening:
                speech_s = quiet_s = 0.0
                self._answer = None
                continue
            if self.level > SPEECH_DBFS:
                speech_s, quiet_s = speech_s + duration, 0.0
                if self._answer is None and speech_s >= SPEECH_START_S:
                    self._begin_answer(self._heard_s - speech_s)
            else:
                quiet_s += duration
                if self._answer is not None and quiet_s >= SILENCE_END_S:
                    speech_s = 0.0
                    self._end_answer(self._heard_s - quiet_s)
                    self._advance.set()

    def _begin_answer(self, start_s: float) -> str:
        item_id = f"item_{uuid.uuid4().hex[:16]}"
        self._answer = (item_id, start_s)
        self._send(
            {"type": "input_audio_buffer.speech_started", "item_id": item_id, "audio_start_ms": int(start_s * 1000)}
        )
        return item_id

    def _end_answer(self, end_s: float) -> str | None:
        """The spoken answer ends at ``end_s``: stored with its duration (no text)."""
        if self._answer is None:
            return None
        (item_id, start_s), self._answer = self._answer, None
        self._send({"type": "input_audio_buffer.speech_stopped", "item_id": item_id, "audio_end_ms": int(end_s * 1000)})
        self._store(
            TranscriptItem(
                id=item_id,
                role="candidate",
                text="",
                at=utcnow(),
                duration_ms=max(0, int((end_s - start_s) * 1000)),
                input="voice",
            )
        )
        return item_id

    def _commit(self) -> None:
        """ "I'm done answering": the answer ends now. Nothing was loud enough to start one? Then the
        answer is what was heard since the question (as OpenAI commits its whole buffer). Before the
        interviewer has finished asking there is nothing to commit: ignored."""
        if not self._listening:
            return
        if self._answer is None:
            self._begin_answer(self._listening_since_s)
        item_id = self._end_answer(self._heard_s)
        self._listening = False  # the next question comes with the client's response.create
        self._send({"type": "input_audio_buffer.committed", "item_id": item_id, "previous_item_id": None})

    def _typed_answer(self, item: dict) -> None:
        """A user message of ``input_text``: stored as the candidate's answer (``input="text"``)."""
        content = item.get("content")
        if item.get("type") != "message" or item.get("role") != "user" or not isinstance(content, list):
            return
        parts = [c.get("text") for c in content if isinstance(c, dict) and c.get("type") == "input_text"]
        text = "\n".join(part for part in parts if isinstance(part, str)).strip()[:TYPED_ANSWER_MAX_CHARS]
        if not text:
            return
        given = item.get("id")
        item_id = given if isinstance(given, str) and ITEM_ID.match(given) else f"item_{uuid.uuid4().hex[:16]}"
        self._answer = None  # a spoken answer under way gives way to the typed one
        self._listening = False  # the next question comes with the client's response.create
        self._store(TranscriptItem(id=item_id, role="candidate", text=text, at=utcnow(), input="text"))

    def _send(self, event: dict) -> None:
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(json.dumps({"event_id": f"event_{uuid.uuid4().hex[:16]}", **event}))

    def _on_message(self, message) -> None:
        self.last_activity = time.monotonic()
        try:
            event = json.loads(message)
            kind = event["type"]
        except (ValueError, TypeError, KeyError):
            self._send(
                {
                    "type": "error",
                    "error": {
                        "type": "invalid_request_error",
                        "code": "invalid_event",
                        "message": "Events must be JSON objects with a type",
                    },
                }
            )
            return
        if kind == "response.create":
            self._voice.clear()
            self._advance.set()
        elif kind == "session.update":
            self._send({"type": "session.updated", "session": self._session()})
        elif kind == "input_audio_buffer.commit":
            self._commit()
        elif kind == "conversation.item.create":
            item = event.get("item") if isinstance(event.get("item"), dict) else {}
            self._typed_answer(item)
            self._send(
                {
                    "type": "conversation.item.created",
                    "item": {"id": item.get("id") or f"item_{uuid.uuid4().hex[:12]}", **item},
                }
            )
        elif kind == "response.cancel":
            self._voice.clear()

    def _session(self) -> dict:
        return {
            "id": f"sess_{self.call_id}",
            "object": "realtime.session",
            "model": "local-interviewer",
            "type": "realtime",
            "output_modalities": ["audio"],
        }

    def _store(self, item: TranscriptItem) -> None:
        """Write a turn in the background; unlike the call's tasks, a hang-up does not cancel it."""
        task = asyncio.ensure_future(self._listener.turn(item))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    def _turns(self) -> list[str]:
        """What is left to say; a greeting is said apart from the first question that follows it."""
        said = [(item.role, item.text) for item in self.history]
        turns = script.remaining_turns(self.job_title, said, self.plan)
        hello = script.greeting(self.job_title)
        if turns and turns[0].startswith(f"{hello} "):
            return [hello, turns[0].removeprefix(hello).strip(), *turns[1:]]
        return turns

    def _time_up(self) -> bool:
        return self.time_up_at is not None and utcnow() >= self.time_up_at

    async def _interview(self) -> None:
        self._send({"type": "session.created", "session": self._session()})
        turns = self._turns()
        greeting = script.greeting(self.job_title)
        index = 0
        while True:
            text = turns[index]
            self._advance.clear()
            await self._speak(text)
            if index == len(turns) - 1:
                return
            if text == greeting:  # no answer to a greeting: the first question follows at once
                index += 1
                continue
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._voice.until_quiet(), timeout=60)
            self._listening_since_s = self._heard_s
            self._listening = True
            await self._advance.wait()
            self._listening = False
            # The plan's time is up: the answer just given was the last one, the closing line follows.
            index = len(turns) - 1 if self._time_up() else index + 1

    async def _speak(self, text: str) -> None:
        response_id, item_id = f"resp_{uuid.uuid4().hex[:16]}", f"item_{uuid.uuid4().hex[:16]}"
        self._send(
            {
                "type": "response.created",
                "response": {"id": response_id, "object": "realtime.response", "status": "in_progress", "output": []},
            }
        )
        speech = asyncio.ensure_future(synthesize(text, self.voice_wpm))
        self._tasks.add(speech)  # a hang-up cancels the synthesis too
        speech.add_done_callback(self._tasks.discard)
        for word in text.split(" "):
            if self._advance.is_set():  # the client asked for the next turn: finish this one now
                break
            self._send(
                {
                    "type": "response.output_audio_transcript.delta",
                    "response_id": response_id,
                    "item_id": item_id,
                    "output_index": 0,
                    "content_index": 0,
                    "delta": word + " ",
                }
            )
            await asyncio.sleep(DELTA_INTERVAL_S)
        self._send(
            {
                "type": "response.output_audio_transcript.done",
                "response_id": response_id,
                "item_id": item_id,
                "output_index": 0,
                "content_index": 0,
                "transcript": text,
            }
        )
        self._store(TranscriptItem(id=response_id, role="interviewer", text=text, at=utcnow()))
        self._send(
            {
                "type": "response.done",
                "response": {
                    "id": response_id,
                    "object": "realtime.response",
                    "status": "completed",
                    "output": [
                        {
                            "id": item_id,
                            "type": "message",
                            "role": "assistant",
                            "content": [{"type": "output_audio", "transcript": text}],
                        }
                    ],
                },
            }
        )
        self.turns_sent += 1
        samples = await speech
        if samples is not None and not self._advance.is_set():
            self._voice.say(samples)
