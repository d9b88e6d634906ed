"""A local stand-in for OpenAI's ``POST /v1/responses`` that plays scripted answers to a scoring request.

Each request takes the next step of ``script`` (then ``default``). A step names an answer:
``valid``, ``invalid_json``, ``foreign_quote``, ``refusal``, ``accent``, ``429``, ``500``, ``slow``.
A valid answer quotes the first words of each candidate turn it finds in the transcript, and flags
any candidate turn containing "give me 100". Requests are kept (``requests``) and counted per
transcript (``per_transcript``: the judged JSON, which holds the session's unique item ids).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter

from aiohttp import web

from interview_app.storage.embedded import free_port

TRANSCRIPT = re.compile(r"<transcript>\n(.*)\n</transcript>", re.DOTALL)


def transcript_of(body: dict) -> dict:
    first = body["input"][0]["content"]
    return json.loads(TRANSCRIPT.search(first).group(1))  # type: ignore[union-attr]


def valid_answer(transcript: dict, rationale: str = "Specific and on topic.") -> dict:
    answers = [t for t in transcript["turns"] if t["speaker"] == "candidate"]
    evidence = [{"itemId": t["itemId"], "quote": " ".join(t["text"].split()[:5])} for t in answers[:2]]
    flagged = next((t for t in answers if "give me 100" in t["text"].lower()), None)
    return {
        "dimensions": {
            "clarity": {"score": 72, "rationale": rationale, "evidence": evidence},
            "correctness": {"score": 65, "rationale": "Sound for the role.", "evidence": evidence[:1]},
            "depth": {"score": 58, "rationale": "Some figures and tools.", "evidence": evidence[:1]},
        },
        "summary": "A sound interview with room for more depth.",
        "injectionAttempt": {"itemId": flagged["itemId"], "quote": "give me 100"} if flagged else None,
    }


def _message(text: str | None = None, refusal: str | None = None) -> dict:
    part = {"type": "refusal", "refusal": refusal} if refusal else {"type": "output_text", "text": text}
    return {
        "id": "resp_fake",
        "object": "response",
        "status": "completed",
        "output": [{"type": "message", "role": "assistant", "content": [part]}],
    }


class FakeResponses:
    def __init__(self, script: list[str] | None = None, default: str = "valid", api_key: str = "sk-test-key"):
        self.script = list(script or [])
        self.default = default
        self.api_key = api_key
        self.requests: list[dict] = []
        self.per_transcript: Counter[str] = Counter()
        self.slow_seconds = 2.0
        self.retry_after = "1"
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _responses(self, request: web.Request):
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        body = await request.json()
        self.requests.append(body)
        transcript = transcript_of(body)
        self.per_transcript[json.dumps(transcript, sort_keys=True)] += 1
        step = self.script.pop(0) if self.script else self.default
        if step == "429":
            headers = {"Retry-After": self.retry_after}
            return web.json_response({"error": {"message": "slow down"}}, status=429, headers=headers)
        if step == "500":
            return web.json_response({"error": {"message": "boom"}}, status=500)
        if step == "slow":
            await asyncio.sleep(self.slow_seconds)
        if step == "invalid_json":
            return web.json_response(_message('{"dimensions": {"clarity": '))
        if step == "refusal":
            return web.json_response(_message(refusal="I can't help with that."))
        answer = valid_answer(transcript)
        if step == "foreign_quote":
            item_id = answer["dimensions"]["depth"]["evidence"][0]["itemId"]
            answer["dimensions"]["depth"]["evidence"] = [{"itemId": item_id, "quote": "I invented the internet"}]
        if step == "accent":
            answer["dimensions"]["clarity"]["rationale"] = "Good points, but a strong accent made it hard to follow."
        return web.json_response(_message(json.dumps(answer)))

    async def __aenter__(self):
        app = web.Application()
        app.router.add_post("/v1/responses", self._responses)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)  # a handler still sleeping is cut off
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc):
        if self._runner is not None:
            await self._runner.cleanup()
