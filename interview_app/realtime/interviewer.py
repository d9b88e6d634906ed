"""The interviewer at the far end of a call, whichever provider it is, as a ``Protocol``.

The registry (:mod:`interview_app.realtime.calls`) holds calls without knowing who answers them:
the local aiortc peer (:mod:`interview_app.realtime.local_interviewer`) or OpenAI Realtime
(:mod:`interview_app.realtime.openai_relay`). The provider is chosen once, where the process is
put together (:mod:`interview_app.runtime`). An interviewer reports what happens on its call to a
:class:`CallListener`, which the registry wires to the session's record
(:mod:`interview_app.realtime.call_journal`): the local interviewer reports its turns there today,
and the OpenAI sideband (issue 16) will report the provider's turns the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from interview_app.domain.model import TranscriptItem
from interview_app.realtime.call_context import CallContext


@dataclass(frozen=True)
class CallListener:
    """Where an interviewer reports its call: connected (with what the session should know, such
    as the provider's call id), ended once (why, and its figures), and each turn it vouches for."""

    connected: Callable[[dict], Awaitable[None]]
    ended: Callable[[str, dict], Awaitable[None]]
    turn: Callable[[TranscriptItem], Awaitable[None]]


class Interviewer(Protocol):
    """One call's interviewer."""

    provider: str  # as the session's call events name it: "local" or "openai"

    @property
    def needs_heartbeats(self) -> bool:
        """Whether the server sees none of the call's media, so that only the page's heartbeats
        say the candidate's browser still lives."""
        ...

    async def answer(self, offer_sdp: str) -> str:
        """Answer the browser's SDP offer. Raises when the offer cannot be used, the provider
        fails, or the call was hung up while it was being answered."""
        ...

    async def started(self) -> None:
        """The registry keeps the call (no newer offer replaced it): begin what follows an answer."""
        ...

    async def hang_up(self, reason: str) -> None:
        """End the call once, wherever it runs, then report ``ended`` to the listener."""
        ...


class Provider(Protocol):
    """Makes the interviewers of one kind, and ends a call of a session no worker here holds."""

    name: str

    def interviewer(
        self, call_id: str, session_id: str | None, context: CallContext, listener: CallListener
    ) -> Interviewer: ...

    async def hang_up_unheld(self, session_id: str) -> None:
        """The session ended and no worker reachable from here holds its call: end it where it runs."""
        ...
