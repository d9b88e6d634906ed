"""Helpers to start sessions and mint tokens in API tests (shared by the api and realtime suites)."""

from __future__ import annotations

from datetime import timedelta

from interview_app.api import paths
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.secrets import CANDIDATE_SECRET, SESSION_SECRET


def candidate_token(user_id="user-1", application_id=None, secret=CANDIDATE_SECRET, minutes=10) -> str:
    return tokens.mint_candidate_token(secret, user_id, application_id, utcnow(), ttl=timedelta(minutes=minutes))


def session_token(session_id: str, application_id: str = "app", secret: str = SESSION_SECRET) -> str:
    return tokens.mint_session_token(secret, session_id, application_id, utcnow())[0]


def offline_token(application_id: str, minutes_ago: float = 0) -> str:
    """An offline call token (the grant of an offline interview), minted ``minutes_ago``."""
    return tokens.mint_offline_token(SESSION_SECRET, application_id, utcnow() - timedelta(minutes=minutes_ago))[0]


async def start(client, app_id: str) -> tuple[str, str]:
    """Start a session over HTTP; returns (session id, session token)."""
    response = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert response.status_code in (200, 201), response.text
    body = response.json()
    return body["sessionId"], body["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def call_end_reasons(sync_db, session_id: str) -> list[str]:
    """The reasons of the stored session's ``call.ended`` events, oldest first (the call journal writes
    each a moment after the call has left the registry: wait for it, do not read it once)."""
    events = sync_db.interviewSessions.find_one({"sessionId": session_id})["events"]
    return [e["payload"]["reason"] for e in events if e["type"] == "call.ended"]
