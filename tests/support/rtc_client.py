"""A candidate's side of the call in Python (aiortc): microphone tone, ``oai-events``, signaling."""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import time

import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack
from av import AudioFrame

from interview_app.realtime import ice

# The client offers loopback only, like the test apps (INTERVIEW_ICE_HOST_ADDRESSES=127.0.0.1): aioice
# never offers 127.0.0.1 by itself. Set here, not only in tests/realtime/conftest.py, so a run of the
# browser folders alone (a pytest-xdist worker may never import that conftest's folder) still connects.
ice.configure(["127.0.0.1"])

CALLS = "/api/interview/realtime/calls"
RATE = 48000
FRAME = RATE // 50


class Microphone(MediaStreamTrack):
    """Silence, or a loud tone while ``speaking`` is set: enough for a level-based listener."""

    kind = "audio"

    def __init__(self):
        super().__init__()
        self.speaking = False
        self._t = 0
        self._start = None

    async def recv(self):
        if self._start is None:
            self._start = time.time()
        else:
            self._t += FRAME
            await asyncio.sleep(max(0, self._start + self._t / RATE - time.time()))
        if self.speaking:
            n = np.arange(self._t, self._t + FRAME)
            samples = (np.sin(2 * np.pi * 440 * n / RATE) * 12000).astype(np.int16)
        else:
            samples = np.zeros(FRAME, dtype=np.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self._t, fractions.Fraction(1, RATE)
        return frame


class CandidateCall:
    def __init__(self, with_audio: bool = True):
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.microphone = Microphone()  # stays silent, and unsent, for a muted candidate
        if with_audio:
            self.pc.addTrack(self.microphone)
        else:  # a muted candidate: still an audio m-line, but nothing is sent
            self.pc.addTransceiver("audio", direction="recvonly")
        self.channel = self.pc.createDataChannel("oai-events")
        self.events: asyncio.Queue = asyncio.Queue()
        self.all_events: list[dict] = []
        self.opened = asyncio.Event()
        self.connected = asyncio.Event()
        self.location = ""  # the call's URL once dialled
        self.connected_at: float | None = None  # perf_counter() when ICE+DTLS came up
        self.channel.on("open", self.opened.set)

        @self.channel.on("message")
        def on_message(message):
            event = json.loads(message)
            event["_received_at"] = time.perf_counter()
            self.all_events.append(event)
            self.events.put_nowait(event)

        @self.pc.on("connectionstatechange")
        def on_state():
            if self.pc.connectionState == "connected":
                self.connected_at = time.perf_counter()
                self.connected.set()

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def dial(self, http, token: str, timeout: float = 10):
        """Signal through the API; returns the HTTP response (connects when it is a 201)."""
        response = await http.post(
            CALLS,
            content=await self.offer(),
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {token}"},
        )
        if response.status_code == 201:
            self.location = response.headers["location"]
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=response.text, type="answer"))
            await asyncio.wait_for(asyncio.gather(self.connected.wait(), self.opened.wait()), timeout)
        return response

    def send(self, event: dict) -> None:
        self.channel.send(json.dumps(event))

    async def next_event(self, kind: str, timeout: float = 10) -> dict:
        async def find():
            while True:
                event = await self.events.get()
                if event["type"] == kind:
                    return event

        return await asyncio.wait_for(find(), timeout)

    async def close(self):
        with contextlib.suppress(Exception):
            await self.pc.close()
