"""Another way to be interviewed: the candidate asks the hiring team for an accommodation.

Offered beside the notice (the ADA's alternative format on request). The request is recorded on
the session (``accommodationRequested: {at, note}``, the latest one, and an
``accommodation.requested`` event for each), where the review console shows it; a person then
contacts the candidate. It is accepted in any status: before, during or after the interview.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from interview_app.domain import errors


class AccommodationStore(Protocol):
    async def request_accommodation(self, session_id: str, request: dict, now: datetime) -> bool: ...


async def request_accommodation(store: AccommodationStore, session_id: str, note: str, now: datetime) -> dict:
    """Record the request (the note trimmed, possibly empty); returns what was stored."""
    request = {"at": now, "note": note.strip()}
    if not await store.request_accommodation(session_id, request, now):
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    return request
