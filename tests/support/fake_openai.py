"""A local stand-in for OpenAI Realtime: the ``calls`` endpoint, answering with a real aiortc peer,
``hangup``, and the sideband WebSocket (``/v1/realtime?call_id=…``).

The sideband side records every event the server sends (``sideband_received``) and lets a test
play a scripted conversation's events into it (:meth:`FakeOpenAI.play`), drop the socket without
a close frame (:meth:`FakeOpenAI.drop_sideband`), refuse the next connections
(``refuse_sidebands``), or end the session (:meth:`FakeOpenAI.end_session`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from interview_app.storage.embedded import free_port


def _text(part) -> str:
    """A multipart field as text (parts sent with a content type arrive as files)."""
    if hasattr(part, "file"):
        part = part.file.read()
    return bytes(part).decode() if isinstance(part, (bytes, bytearray)) else part


@dataclass
class SidebandConnection:
    """One sideband WebSocket the server opened."""

    call_id: str
    authorization: str
    socket: web.WebSocketResponse
    request: web.Request
    received: list[dict] = field(default_factory=list)


def scripted_interview() -> list[dict]:
    """A short conversation as OpenAI reports it: a greeting with its transcript events, a spoken
    answer (speech start/stop, then its transcription), a typed answer, and a question reported
    only in ``response.done``."""
    return [
        {"type": "session.created", "session": {"type": "realtime"}},
        {"type": "response.created", "response": {"id": "resp_1", "status": "in_progress", "output": []}},
        {
            "type": "response.output_audio_transcript.delta",
            "response_id": "resp_1",
            "item_id": "item_q1",
            "delta": "Hello",
        },
        {
            "type": "response.output_audio_transcript.done",
            "response_id": "resp_1",
            "item_id": "item_q1",
            "transcript": "Hello! Tell me about a pipeline you built.",
        },
        {
            "type": "response.done",
            "response": {
                "id": "resp_1",
                "status": "completed",
                "output": [
                    {
                        "id": "item_q1",
                        "type": "message",
                        "role": "assistant",
                        "content": [
                            {"type": "output_audio", "transcript": "Hello! Tell me about a pipeline you built."}
                        ],
                    }
                ],
            },
        },
        {"type": "input_audio_buffer.speech_started", "item_id": "item_a1", "audio_start_ms": 1000},
        {"type": "input_audio_buffer.speech_stopped", "item_id": "item_a1", "audio_end_ms": 4200},
        {"type": "response.created", "response": {"id": "resp_2", "status": "in_progress", "output": []}},
        {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": "item_a1",
            "content_index": 0,
            "transcript": "I built a streaming ETL on Kafka.",
        },
        {
            "type": "response.done",
            "response": {
                "id": "resp_2",
                "status": "completed",
                "output": [
                    {
                        "id": "item_q2",
                        "type": "message",
                        "role": "assistant",
                        "content": [{"type": "output_audio", "transcript": "How did you test its data?"}],
                    }
                ],
            },
        },
        {
            "type": "conversation.item.added",
            "item": {
                "id": "item_a2",
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "With contract tests on every topic."}],
            },
        },
    ]


SCRIPTED_TURNS = [  # what scripted_interview() must leave in the transcript: (id, role, text, input)
    ("item_q1", "interviewer", "Hello! Tell me about a pipeline you built.", None),
    ("item_a1", "candidate", "I built a streaming ETL on Kafka.", "voice"),
    ("item_q2", "interviewer", "How did you test its data?", None),
    ("item_a2", "candidate", "With contract tests on every topic.", "text"),
]


class FakeOpenAI:
    def __init__(self, api_key: str = "sk-test-key"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.hangups: list[str] = []
        self.peers: list[RTCPeerConnection] = []
        self.sidebands: list[SidebandConnection] = []
        self.refuse_sidebands = 0  # answer the next N sideband connections with 503
        self.refused_sidebands = 0
        self._sideband_changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @property
    def sideband_received(self) -> list[dict]:
        """Every event the server sent on any sideband connection, in order."""
        return [event for connection in self.sidebands for event in connection.received]

    async def _sideband(self, request: web.Request):
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        if self.refuse_sidebands > 0:
            self.refuse_sidebands -= 1
            self.refused_sidebands += 1
            return web.Response(status=503)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        connection = SidebandConnection(
            request.query.get("call_id", ""), request.headers["Authorization"], socket, request
        )
        async with self._sideband_changed:
            self.sidebands.append(connection)
            self._sideband_changed.notify_all()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                async with self._sideband_changed:
                    connection.received.append(json.loads(message.data))
                    self._sideband_changed.notify_all()
        return socket

    async def sideband(self, count: int = 1, timeout: float = 10.0) -> SidebandConnection:
        """The ``count``-th sideband connection, once the server has opened it."""
        async with self._sideband_changed:
            await asyncio.wait_for(self._sideband_changed.wait_for(lambda: len(self.sidebands) >= count), timeout)
        return self.sidebands[count - 1]

    async def received(self, count: int, timeout: float = 10.0) -> list[dict]:
        """The server's sideband events, once there are at least ``count`` of them."""
        async with self._sideband_changed:
            await asyncio.wait_for(
                self._sideband_changed.wait_for(lambda: len(self.sideband_received) >= count), timeout
            )
        return self.sideband_received

    async def play(self, events: list[dict]) -> None:
        """Send events on the newest sideband connection, as the provider would."""
        connection = await self.sideband(max(len(self.sidebands), 1))
        for event in events:
            await connection.socket.send_json(event)

    async def drop_sideband(self) -> None:
        """Cut the newest sideband connection without a close frame (a network drop)."""
        connection = await self.sideband(max(len(self.sidebands), 1))
        transport = connection.request.transport
        if transport is not None:
            transport.abort()

    async def end_session(self) -> None:
        """The provider ends the session: ``session.closed``, then a normal close."""
        connection = await self.sideband(max(len(self.sidebands), 1))
        await connection.socket.send_json({"type": "session.closed"})
        await connection.socket.close()

    async def _calls(self, request: web.Request):
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        form = await request.post()
        sdp, session = _text(form["sdp"]), json.loads(_text(form["session"]))
        self.requests.append({"sdp": sdp, "session": session})
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.peers.append(pc)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return web.Response(
            text=pc.localDescription.sdp,
            status=201,
            content_type="application/sdp",
            headers={"Location": "/v1/realtime/calls/rtc_fake123"},
        )

    async def _hangup(self, request: web.Request):
        self.hangups.append(request.match_info["call_id"])
        return web.Response(status=200)

    async def __aenter__(self):
        app = web.Application()
        app.router.add_post("/v1/realtime/calls", self._calls)
        app.router.add_post("/v1/realtime/calls/{call_id}/hangup", self._hangup)
        app.router.add_get("/v1/realtime", self._sideband)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        port = free_port()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc):
        for pc in self.peers:
            await pc.close()
        for connection in self.sidebands:
            await connection.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
