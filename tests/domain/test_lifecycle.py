"""The lifecycle use cases on an in-memory repository: authorisation, transcript, end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, lifecycle, tokens
from interview_app.domain.model import Application, Session, TranscriptItem
from tests.support.memory_repository import MemoryRepository

SECRET = "session-secret-for-unit-tests-0123456789abcdef"
NOW = datetime.now(UTC).replace(microsecond=0)
APP = Application(id="app-1", user_id="user-1", job_title="Data Engineer", candidate_name="Grace", status=None)


def repo_with(status: str = "in_progress") -> MemoryRepository:
    repo = MemoryRepository([APP])
    repo.add(
        Session(
            session_id="s1",
            application_id=APP.id,
            status=status,
            started_at=NOW - timedelta(seconds=75),
            last_activity_at=NOW,
        )
    )
    return repo


def test_only_this_sessions_token_is_accepted():
    token, _ = tokens.mint_session_token(SECRET, "s1", APP.id, NOW)
    lifecycle.authorize_session(token, "s1", SECRET)
    with pytest.raises(errors.Forbidden):
        lifecycle.authorize_session(token, "s2", SECRET)
    offline, _ = tokens.mint_offline_token(SECRET, APP.id, NOW)
    for bad in (None, "", "garbage", offline, token + "x"):
        with pytest.raises(errors.Unauthorized):
            lifecycle.authorize_session(bad, "s1", SECRET)


async def test_transcript_upsert_keeps_first_arrival_order_and_earlier_times():
    repo = repo_with()
    at = NOW - timedelta(seconds=30)
    await lifecycle.append_transcript(
        repo,
        "s1",
        [TranscriptItem("r1", "interviewer", "Hi", at=at), TranscriptItem("c1", "candidate", "", duration_ms=4200)],
        NOW,
    )
    count = await lifecycle.append_transcript(
        repo, "s1", [TranscriptItem("r2", "interviewer", "Q2"), TranscriptItem("r1", "interviewer", "Hello")], NOW
    )
    session = repo.sessions["s1"]
    assert count == 3 and [i.id for i in session.transcript] == ["r1", "c1", "r2"]
    assert session.transcript[0] == TranscriptItem("r1", "interviewer", "Hello", at=at)


async def test_end_is_idempotent_and_submits_the_application():
    repo = repo_with()
    first = await lifecycle.end_session(repo, "s1", "candidate_ended", NOW)
    assert first.newly and first.session.duration == 75 and first.session.status == "completed"
    again = await lifecycle.end_session(repo, "s1", "interview_complete", NOW + timedelta(minutes=1))
    assert not again.newly and again.session == first.session
    assert repo.applications[APP.id].status == "interview_completed"


@pytest.mark.parametrize("status", ["abandoned", "completed"])
async def test_a_session_that_is_over_refuses_writes(status):
    repo = repo_with(status)
    with pytest.raises(errors.SessionNotActive):
        await lifecycle.heartbeat(repo, "s1", NOW)
    with pytest.raises(errors.SessionNotActive):
        await lifecycle.append_transcript(repo, "s1", [TranscriptItem("r1", "interviewer", "Hi")], NOW)


async def test_missing_sessions_are_not_found():
    with pytest.raises(errors.SessionNotFound):
        await lifecycle.heartbeat(MemoryRepository([APP]), "nope", NOW)


async def test_preview_offers_resume_only_for_a_recently_active_session():
    repo = repo_with()
    preview = await lifecycle.preview_application(
        repo,
        application_id=APP.id,
        bearer=None,
        candidate_secret=SECRET,
        require_auth=False,
        now=NOW + timedelta(minutes=4),
    )
    assert preview.status == "in_progress"
    assert preview.active_session is not None and preview.active_session.session_id == "s1"
    later = await lifecycle.preview_application(
        repo,
        application_id=APP.id,
        bearer=None,
        candidate_secret=SECRET,
        require_auth=False,
        now=NOW + timedelta(minutes=5),
    )
    assert later.status == "open" and later.active_session is None
