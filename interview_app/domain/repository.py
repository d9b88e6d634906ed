"""What the use cases need from storage, as a ``Protocol``: the domain imports no adapter.

``interview_app.storage.sessions.SessionStore`` implements it over MongoDB; the unit tests use
an in-memory implementation (``tests/support/memory_repository.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from interview_app.domain.model import NewSession, Session, SessionRef, Snapshot, TranscriptItem


class SessionConflict(Exception):
    """Another in-progress session exists for the application (a lost insert race)."""


class SessionRepository(Protocol):
    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        """The application with those of its sessions ``rules.in_snapshot`` keeps; None if unknown."""
        ...

    async def insert(self, session: NewSession) -> None:
        """Store a new session; raises :class:`SessionConflict` when one is already in progress."""
        ...

    async def abandon(self, session_id: str, now: datetime, reason: str) -> None:
        """Mark an in-progress session abandoned (no-op if it no longer is)."""
        ...

    async def find_in_progress(self, application_id: str) -> SessionRef | None: ...

    async def get(self, session_id: str) -> Session | None: ...

    async def touch(self, session_id: str, now: datetime) -> bool:
        """Set ``lastActivityAt`` of an in-progress session; False when it is not in progress."""
        ...

    async def replace_transcript(
        self, session_id: str, version: int, items: list[TranscriptItem], now: datetime
    ) -> bool:
        """Store ``items`` if the session is in progress and its transcript is still at ``version``."""
        ...

    async def complete(self, session_id: str, completed_at: datetime, duration: int, reason: str) -> bool:
        """Mark an in-progress session completed; False when it no longer is in progress."""
        ...

    async def mark_application_completed(self, application_id: str, at: datetime) -> None: ...

    async def record_event(self, session_id: str, kind: str, now: datetime, payload: dict) -> bool:
        """Append a bounded session event; False when the session does not exist."""
        ...

    async def give_consent(self, session_id: str, consent: dict, now: datetime) -> bool:
        """Store ``consent`` (with a ``consent.given`` event) on a session that has none yet; False
        when it already had one (or does not exist)."""
        ...

    async def request_accommodation(self, session_id: str, request: dict, now: datetime) -> bool:
        """Set ``accommodationRequested`` (the latest request) and add an ``accommodation.requested``
        event; False when the session does not exist."""
        ...

    async def offline_grant_used(self, grant_id: str) -> bool:
        """Whether an offline interview was already reconciled with this grant."""
        ...

    async def claim_offline_grant(self, grant_id: str, application_id: str, session_id: str, now: datetime) -> bool:
        """Record the grant as used (unique by id); False when it already was."""
        ...
