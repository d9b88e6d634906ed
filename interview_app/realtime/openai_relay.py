"""The OpenAI Realtime provider: our backend posts the browser's offer with its own key.

This is OpenAI's "unified interface": ``POST {base}/realtime/calls`` with multipart ``sdp`` and
``session`` (JSON with the interviewer's fixed instructions for the job); the SDP answer comes
back with a ``Location`` ending in the call id. The key never reaches the browser.

The OpenAI side owns everything tied to that remote call id: it stores the id in the session
(so any worker can end the call there), hangs up at the provider, and, with issue 16, opens the
server's own :class:`Sideband` to the same call.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx

from interview_app.config import Settings
from interview_app.realtime import script
from interview_app.realtime.call_context import CallContext
from interview_app.realtime.call_journal import best_effort
from interview_app.realtime.call_store import RemoteCallStore
from interview_app.realtime.interviewer import CallListener

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class RelayError(Exception):
    """The provider refused or failed the call."""


def session_config(settings: Settings, context: CallContext) -> dict:
    """The Realtime session: the interview's fixed instructions and the candidate's transcription
    turned on. No transcript text: a resumed call gets the conversation so far as conversation
    items over the sideband (issue 16)."""
    return {
        "type": "realtime",
        "model": settings.openai_realtime_model,
        "instructions": script.instructions(context.job_title, resumed=context.resumed, plan=context.plan),
        "audio": {
            "input": {"transcription": {"model": settings.openai_transcription_model}},
            "output": {"voice": "marin"},
        },
    }


async def create_call(settings: Settings, offer_sdp: str, context: CallContext) -> tuple[str, str]:
    """Post the offer; returns the SDP answer and OpenAI's call id."""
    session = session_config(settings, context)
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


async def hang_up_at_provider(settings: Settings, call_id: str) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        try:
            await client.post(
                f"{settings.openai_base_url}/realtime/calls/{call_id}/hangup",
                headers={"Authorization": f"Bearer {settings.openai_api_key}"},
            )
        except httpx.HTTPError:
            pass  # the call ends on its own when the browser closes the peer connection


class CallHungUp(Exception):
    """The call was hung up while the provider was answering its offer."""


class Sideband(Protocol):
    """The server's own WebSocket to a placed call (issue 16: ``{base as ws}/realtime?call_id=…``).

    Made from the call's :class:`CallContext` (it sends the session set-up and a resumed call's
    history), opened by :meth:`OpenAIInterviewer.started` and closed by its hang-up. It reports each turn
    the provider said or heard through ``listener.turn`` (the same path as the local interviewer's
    turns), and calls ``gone(reason)`` when the provider says the call is over, which ends the call
    and frees its slot (so ``close`` must be safe to call from within ``gone``)."""

    async def open(
        self, remote_call_id: str, listener: CallListener, gone: Callable[[str], Awaitable[None]]
    ) -> None: ...

    async def close(self) -> None: ...


class OpenAIInterviewer:
    """One call answered by OpenAI Realtime. The server sees none of its media: it needs heartbeats."""

    provider = "openai"
    needs_heartbeats = True

    def __init__(
        self,
        settings: Settings,
        context: CallContext,
        listener: CallListener,
        session_id: str | None,
        remote_calls: RemoteCallStore,
        sideband: Sideband | None = None,
    ):
        self.settings, self.context, self.listener = settings, context, listener
        self.session_id, self.remote_calls, self.sideband = session_id, remote_calls, sideband
        self.remote_id: str | None = None
        self.ended: str | None = None

    async def answer(self, offer_sdp: str) -> str:
        answer, self.remote_id = await create_call(self.settings, offer_sdp, self.context)
        if self.ended is not None:  # hung up while the provider answered: end it there too
            await hang_up_at_provider(self.settings, self.remote_id)
            raise CallHungUp(self.ended)
        return answer

    async def started(self) -> None:
        """Announce the call, and store its id so that any worker can hang it up at the provider."""
        if self.remote_id is None:
            raise RuntimeError("an OpenAI call started before the provider answered")
        await self.listener.connected({"remoteCallId": self.remote_id})
        if self.session_id is not None:
            await best_effort(self.remote_calls.set_remote_call(self.session_id, self.remote_id), "the remote call id")
        if self.sideband is not None:
            await self.sideband.open(self.remote_id, self.listener, self.hang_up)

    async def hang_up(self, reason: str) -> None:
        """Hang up at the provider (when it answered), then report the end once."""
        if self.ended is not None:
            return
        self.ended = reason
        if self.sideband is not None:
            await self.sideband.close()
        if self.remote_id is not None:
            await hang_up_at_provider(self.settings, self.remote_id)
        await self.listener.ended(reason, {})


class OpenAIProvider:
    """OpenAI interviewers; ``sideband`` makes the server's own connection to each call from what
    the call starts from (the runtime gives :class:`~interview_app.realtime.openai_sideband.OpenAISideband`)."""

    name = "openai"

    def __init__(
        self,
        settings: Settings,
        remote_calls: RemoteCallStore,
        sideband: Callable[[CallContext], Sideband] | None = None,
    ):
        self.settings, self.remote_calls, self.sideband = settings, remote_calls, sideband

    def interviewer(
        self, call_id: str, session_id: str | None, context: CallContext, listener: CallListener
    ) -> OpenAIInterviewer:
        sideband = self.sideband(context) if self.sideband is not None else None
        return OpenAIInterviewer(self.settings, context, listener, session_id, self.remote_calls, sideband)

    async def hang_up_unheld(self, session_id: str) -> None:
        """No worker here holds the session's call (no bus, or it was lost): end it by its stored id."""
        remote_id = await self.remote_calls.remote_call_id(session_id)
        if remote_id:
            await hang_up_at_provider(self.settings, remote_id)
