"""The OpenAI Realtime provider: our backend posts the browser's offer with its own key.

This is OpenAI's "unified interface": ``POST {base}/realtime/calls`` with multipart ``sdp`` and
``session`` (JSON with the interviewer instructions built from the job); the SDP answer comes
back with a ``Location`` ending in the call id. The key never reaches the browser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx

from interview_app.config import Settings
from interview_app.domain.model import TranscriptItem
from interview_app.realtime import script

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class RelayError(Exception):
    """The provider refused or failed the call."""


def session_config(settings: Settings, job_title: str | None, history: Sequence[TranscriptItem] = ()) -> dict:
    """The Realtime session: the interview's instructions, the candidate's transcription turned on,
    and on a resumed interview the conversation so far (a provider session cannot be resumed)."""
    return {
        "type": "realtime",
        "model": settings.openai_realtime_model,
        "instructions": script.instructions(job_title, history),
        "audio": {
            "input": {"transcription": {"model": settings.openai_transcription_model}},
            "output": {"voice": "marin"},
        },
    }


async def create_call(
    settings: Settings, offer_sdp: str, job_title: str | None, history: Sequence[TranscriptItem] = ()
) -> tuple[str, str]:
    """Post the offer; returns the SDP answer and OpenAI's call id."""
    session = session_config(settings, job_title, history)
    files = {"sdp": (None, offer_sdp, "application/sdp"), "session": (None, json.dumps(session), "application/json")}
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        try:
            response = await client.post(
                f"{settings.openai_base_url}/realtime/calls",
                files=files,
                headers={"Authorization": f"Bearer {settings.openai_api_key}"},
            )
        except httpx.HTTPError as exc:
            raise RelayError(f"realtime provider unreachable: {type(exc).__name__}") from exc
    if response.status_code not in (200, 201):
        raise RelayError(f"realtime provider answered {response.status_code}")
    call_id = response.headers.get("location", "").rstrip("/").rsplit("/", 1)[-1]
    if not call_id or not response.text.startswith("v=0"):
        raise RelayError("realtime provider gave no usable answer")
    return response.text, call_id


async def hang_up(settings: Settings, call_id: str) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        try:
            await client.post(
                f"{settings.openai_base_url}/realtime/calls/{call_id}/hangup",
                headers={"Authorization": f"Bearer {settings.openai_api_key}"},
            )
        except httpx.HTTPError:
            pass  # the call ends on its own when the browser closes the peer connection
