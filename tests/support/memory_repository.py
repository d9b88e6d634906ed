"""An in-memory ``SessionRepository``: the domain's use cases tested without any database.

Ours, written against the Protocol, not a mock of pymongo: it keeps documents in dicts and
enforces the one rule the database enforces for us (one in-progress session per application).
``before_insert`` lets a test slip in a concurrent writer, as a lost insert race would, and
``after_conflict`` lets that writer's session end before the loser looks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from interview_app.domain.model import (
    APPLICATION_COMPLETED,
    Application,
    Session,
    SessionRef,
    SessionStatus,
    Snapshot,
    TranscriptItem,
)
from interview_app.domain.repository import SessionConflict
from interview_app.domain.rules import RATE_LIMIT_WINDOW


class MemoryRepository:
    def __init__(self, applications: Sequence[Application] = ()):
        self.applications = {application.id: application for application in applications}
        self.sessions: dict[str, Session] = {}
        self.before_insert: Callable[[dict], None] | None = None
        self.after_conflict: Callable[[], None] | None = None
        self.inserts = 0
        self.created: dict[str, datetime] = {}
        self.completed_at: dict[str, datetime] = {}
        self.offline_grants: dict[str, str] = {}
        self.events: list[tuple[str, str, dict]] = []

    def _refs(self, application_id: str, now: datetime) -> list[SessionRef]:
        return [
            SessionRef(s.session_id, s.status, s.started_at, s.last_activity_at, self.created.get(s.session_id))
            for s in self.sessions.values()
            if s.application_id == application_id
            and (
                s.status in (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED)
                or self.created.get(s.session_id, s.started_at) >= now - RATE_LIMIT_WINDOW
            )
        ]

    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        application = self.applications.get(application_id)
        return Snapshot(application, self._refs(application_id, now)) if application else None

    async def insert(self, document: dict) -> None:
        if self.before_insert is not None:
            hook, self.before_insert = self.before_insert, None
            hook(document)
        self.inserts += 1
        if any(
            s.application_id == document["applicationId"] and s.status == SessionStatus.IN_PROGRESS
            for s in self.sessions.values()
        ):
            if self.after_conflict is not None:
                hook_after, self.after_conflict = self.after_conflict, None
                hook_after()
            raise SessionConflict(document["applicationId"])
        self.created[document["sessionId"]] = document["createdAt"]
        self.add(
            Session(
                session_id=document["sessionId"],
                application_id=document["applicationId"],
                status=document["status"],
                started_at=document["startedAt"],
                last_activity_at=document["lastActivityAt"],
            )
        )

    def add(self, session: Session) -> None:
        self.sessions[session.session_id] = session

    async def abandon(self, session_id: str, now: datetime, reason: str) -> None:
        session = self.sessions[session_id]
        if session.status == SessionStatus.IN_PROGRESS:
            self.sessions[session_id] = replace(session, status=SessionStatus.ABANDONED.value)

    async def find_in_progress(self, application_id: str) -> SessionRef | None:
        return next(
            (
                SessionRef(s.session_id, s.status, s.started_at, s.last_activity_at)
                for s in self.sessions.values()
                if s.application_id == application_id and s.status == SessionStatus.IN_PROGRESS
            ),
            None,
        )

    async def get(self, session_id: str) -> Session | None:
        return self.sessions.get(session_id)

    async def touch(self, session_id: str, now: datetime) -> bool:
        session = self.sessions.get(session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS:
            return False
        self.sessions[session_id] = replace(session, last_activity_at=now)
        return True

    async def replace_transcript(
        self, session_id: str, version: int, items: list[TranscriptItem], now: datetime
    ) -> bool:
        session = self.sessions.get(session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS or session.transcript_version != version:
            return False
        self.sessions[session_id] = replace(
            session, transcript=list(items), transcript_version=version + 1, last_activity_at=now
        )
        return True

    async def complete(self, session_id: str, completed_at: datetime, duration: int, reason: str) -> bool:
        session = self.sessions.get(session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS:
            return False
        self.sessions[session_id] = replace(
            session,
            status=SessionStatus.COMPLETED.value,
            completed_at=completed_at,
            duration=duration,
            end_reason=reason,
        )
        return True

    async def record_event(self, session_id: str, kind: str, now: datetime, payload: dict) -> bool:
        self.events.append((session_id, kind, payload))
        return session_id in self.sessions

    async def offline_grant_used(self, grant_id: str) -> bool:
        return grant_id in self.offline_grants

    async def claim_offline_grant(self, grant_id: str, application_id: str, session_id: str, now: datetime) -> bool:
        if grant_id in self.offline_grants:
            return False
        self.offline_grants[grant_id] = session_id
        return True

    async def mark_application_completed(self, application_id: str, at: datetime) -> None:
        if application_id not in self.completed_at:  # once, as the database does
            self.completed_at[application_id] = at
            self.applications[application_id] = replace(self.applications[application_id], status=APPLICATION_COMPLETED)
