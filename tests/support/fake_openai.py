"""A local stand-in for OpenAI's Realtime ``calls`` endpoint, answering with a real aiortc peer."""

from __future__ import annotations

import json

from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from interview_app.storage.embedded import free_port


def _text(part) -> str:
    """A multipart field as text (parts sent with a content type arrive as files)."""
    if hasattr(part, "file"):
        part = part.file.read()
    return bytes(part).decode() if isinstance(part, (bytes, bytearray)) else part


class FakeOpenAI:
    def __init__(self, api_key: str = "sk-test-key"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.hangups: list[str] = []
        self.peers: list[RTCPeerConnection] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

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
        if self._runner is not None:
            await self._runner.cleanup()
