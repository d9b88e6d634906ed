"""The OpenAI judge: one ``POST {OPENAI_BASE_URL}/responses`` with a strict JSON schema.

httpx rather than the ``openai`` package: the whole exchange is one POST with a fixed body and
one field to read back, httpx is already a dependency, and the errors we must tell apart (timeout,
429 with ``Retry-After``, 5xx, refusal) are plain HTTP facts here instead of SDK exception types
with their own retry loop (which would hide attempts from the queue's count of 5).
"""

from __future__ import annotations

import httpx

from interview_app.domain.scoring import prompt
from interview_app.domain.scoring.judged_input import JudgedInput
from interview_app.domain.scoring.model import JudgeUnavailable

# Reasoning models refuse a ``temperature``; every other model is asked for 0.
_NO_TEMPERATURE = ("o1", "o3", "o4", "gpt-5")


def request_body(model: str, judged: JudgedInput, repairs: list[tuple[str, list[str]]]) -> dict:
    """The request: constant instructions, the transcript only as data in the user input."""
    messages: list[dict] = [{"role": "user", "content": prompt.user_input(judged.as_json())}]
    for previous, problems in repairs:
        messages.append({"role": "assistant", "content": previous})
        messages.append({"role": "user", "content": prompt.repair_request(problems)})
    body: dict = {
        "model": model,
        "instructions": prompt.INSTRUCTIONS,
        "input": messages,
        "text": {
            "format": {
                "type": "json_schema",
                "name": prompt.SCHEMA_NAME,
                "schema": prompt.OUTPUT_SCHEMA,
                "strict": True,
            }
        },
        "store": False,
    }
    if not model.startswith(_NO_TEMPERATURE):
        body["temperature"] = 0
    return body


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


def output_text(data: dict) -> str:
    """The answer's ``output_text``; a refusal (or no text) is a failed attempt."""
    texts = []
    for item in data.get("output") or []:
        for part in item.get("content") or [] if isinstance(item, dict) else []:
            if part.get("type") == "refusal":
                raise JudgeUnavailable("refused")
            if part.get("type") == "output_text":
                texts.append(part.get("text") or "")
    if not texts:
        raise JudgeUnavailable(f"no_output ({data.get('status')})")
    return "".join(texts)


class OpenAIJudge:
    provider = "openai"

    def __init__(self, http: httpx.AsyncClient, base_url: str, api_key: str, model: str, timeout: float):
        self.http = http
        self.url = f"{base_url.rstrip('/')}/responses"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout

    async def answer(self, judged: JudgedInput, repairs: list[tuple[str, list[str]]]) -> str:
        try:
            response = await self.http.post(
                self.url,
                json=request_body(self.model, judged, repairs),
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout,
            )
        except httpx.TimeoutException as exc:
            raise JudgeUnavailable("timeout") from exc
        except httpx.HTTPError as exc:
            raise JudgeUnavailable(f"unreachable ({type(exc).__name__})") from exc
        if response.status_code == 429:
            raise JudgeUnavailable("rate_limited", _retry_after(response))
        if response.status_code != 200:
            raise JudgeUnavailable(f"provider_error_{response.status_code}", _retry_after(response))
        try:
            data = response.json()
        except ValueError as exc:
            raise JudgeUnavailable("provider_sent_no_json") from exc
        return output_text(data if isinstance(data, dict) else {})
