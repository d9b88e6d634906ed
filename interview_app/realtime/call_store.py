"""What the calls need from storage, as a ``Protocol``: realtime imports no storage adapter.

``interview_app.storage.sessions.SessionStore`` implements it over MongoDB. The transcript turns
the local interviewer writes go through the domain's use case and its ``SessionRepository``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from interview_app.domain.model import Session, Snapshot
from interview_app.domain.plan import InterviewPlan
from interview_app.domain.repository import SessionRepository


class RemoteCallStore(Protocol):
    """Where the OpenAI side keeps the provider's id of a session's live call."""

    async def set_remote_call(self, session_id: str, remote_call_id: str) -> None:
        """The provider's id of the session's live call, so any worker can hang it up there."""
        ...

    async def remote_call_id(self, session_id: str) -> str | None: ...


class CallStore(RemoteCallStore, SessionRepository, Protocol):
    async def call_context(self, session_id: str) -> tuple[Session, str | None, InterviewPlan] | None:
        """The session with its application's job title and interview plan (what a call begins
        from); None if unknown. Raises ``InvalidInterviewPlan`` for a broken stored plan."""
        ...

    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        """The application with its sessions (whether an offline call may be held); None if unknown."""
        ...

    async def record_event(self, session_id: str, kind: str, now: datetime, payload: dict) -> bool:
        """Append a bounded session event (``call.connected``, ``call.ended``)."""
        ...
