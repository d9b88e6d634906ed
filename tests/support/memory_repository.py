"""An in-memory ``SessionRepository``: the domain's use cases tested without any database.

Ours, written against the Protocol, not a mock of pymongo: it keeps domain values (no storage
keys) and enforces the one rule the database enforces for us (one in-progress session per
application). Which sessions a snapshot holds is the domain's ``rules.in_snapshot``, as in storage.
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
    NewSession,
    Session,
    SessionRef,
    SessionStatus,
    Snapshot,
    TranscriptItem,
)
from interview_app.domain.repository import SessionConflict
from interview_app.domain.rules import in_snapshot


class MemoryRepository:
    def __init__(self, applications: Sequence[Application] = ()):
        self.applications = {application.id: application for application in applications}
        self.sessions: dict[str, Session] = {}
        self.before_insert: Callable[[NewSession], None] | None = None
        self.after_conflict: Callable[[], None] | None = None
        self.inserts = 0
        self.created: dict[str, datetime] = {}
        self.completed_at: dict[str, datetime] = {}
        self.offline_grants: dict[str, str] = {}
        self.events: list[tuple[str, str, dict]] = []
        self.consents: dict[str, dict] = {}
        self.accommodations: dict[str, dict] = {}

    def _ref(self, session: Session) -> SessionRef:
        created_at = self.created.get(session.session_id)
        consented = session.session_id in self.consents
        return SessionRef(
            session.session_id, session.status, session.started_at, session.last_activity_at, created_at, consented
        )

    async def load_snapshot(self, application_id: str, now: datetime) -> Snapshot | None:
        application = self.applications.get(application_id)
        if application is None:
            return None
        refs = (self._ref(s) for s in self.sessions.values() if s.application_id == application_id)
        return Snapshot(application, [ref for ref in refs if in_snapshot(ref, now)])

    async def insert(self, session: NewSession) -> None:
        if self.before_insert is not None:
            hook, self.before_insert = self.before_insert, None
            hook(session)
        self.inserts += 1
        if any(
            s.application_id == session.application_id and s.status == SessionStatus.IN_PROGRESS
            for s in self.sessions.values()
        ):
            if self.after_conflict is not None:
                hook_after, self.after_conflict = self.after_conflict, None
                hook_after()
            raise SessionConflict(session.application_id)
        self.created[session.session_id] = session.created_at
        if session.consent is not None:
            self.consents[session.session_id] = session.consent
            consent_event = {"noticeVersion": session.consent["noticeVersion"]}
            self.events.append((session.session_id, "consent.given", consent_event))
        self.add(
            Session(
                session_id=session.session_id,
                application_id=session.application_id,
                status=SessionStatus.IN_PROGRESS.value,
                started_at=session.started_at,
                last_activity_at=session.created_at,
                offline=session.metadata.get("offline") is True,
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

    async def give_consent(self, session_id: str, consent: dict, now: datetime) -> bool:
        if session_id not in self.sessions or session_id in self.consents:
            return False
        self.consents[session_id] = consent
        self.events.append((session_id, "consent.given", {"noticeVersion": consent["noticeVersion"]}))
        return True

    async def request_accommodation(self, session_id: str, request: dict, now: datetime) -> bool:
        if session_id not in self.sessions:
            return False
        self.accommodations[session_id] = request
        self.events.append((session_id, "accommodation.requested", {"note": request["note"]}))
        return True

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
