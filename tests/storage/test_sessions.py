"""The MongoDB repository against a real wire-protocol server: mapping, conflicts, conditional writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, rules
from interview_app.domain.model import Application, TranscriptItem
from interview_app.domain.repository import SessionConflict
from tests.support.api_app import add_application

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def store(client):
    return client.api.state.runtime.store


async def test_documents_map_to_domain_values_without_storage_fields(store, sync_db):
    app_id = add_application(sync_db, user_id="u1", job_title="SRE", name="Lin")
    snapshot = await store.load_snapshot(app_id, NOW)
    assert snapshot.application == Application(
        id=app_id, user_id="u1", job_title="SRE", candidate_name="Lin", status="interview_scheduled"
    )
    assert snapshot.sessions == []


async def test_a_second_in_progress_session_is_a_domain_conflict(store, sync_db):
    app_id = add_application(sync_db)
    application = (await store.load_snapshot(app_id, NOW)).application
    await store.insert(rules.new_session_document(application, {}, NOW))
    with pytest.raises(SessionConflict):
        await store.insert(rules.new_session_document(application, {}, NOW))


async def test_no_insert_while_the_indexes_are_not_in_place(store, sync_db):
    """Confirmed by listing them: a server change alone only makes them unknown (issue 15 B4)."""
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    sync_db.interviewSessions.drop_index("one_in_progress_per_application")
    store.database.index_watch.ready = False
    with pytest.raises(errors.DatabaseUnavailable):
        await store.insert(rules.new_session_document(application, {}, NOW))
    assert sync_db.interviewSessions.count_documents({}) == 0


async def test_transcript_writes_are_version_checked_and_only_while_in_progress(store, sync_db):
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    document = rules.new_session_document(application, {}, NOW)
    await store.insert(document)
    session_id = document["sessionId"]
    items = [TranscriptItem("r1", "interviewer", "Hi", at=NOW), TranscriptItem("c1", "candidate", "", duration_ms=5)]
    assert await store.replace_transcript(session_id, 0, items, NOW)
    assert not await store.replace_transcript(session_id, 0, items[:1], NOW)  # a stale version loses
    session = await store.get(session_id)
    assert session.transcript == items and session.transcript_version == 1
    assert await store.complete(session_id, NOW + timedelta(seconds=61), 61, "candidate_ended")
    assert not await store.complete(session_id, NOW + timedelta(seconds=99), 99, "candidate_ended")
    assert not await store.replace_transcript(session_id, 1, items, NOW)
    assert not await store.touch(session_id, NOW)
    ended = await store.get(session_id)
    assert (ended.status, ended.duration, ended.end_reason) == ("completed", 61, "candidate_ended")


async def test_a_session_stored_before_transcripts_existed_takes_one(store, sync_db):
    app_id = add_application(sync_db)
    sync_db.interviewSessions.insert_one(
        {"sessionId": "legacy", "applicationId": app_id, "status": "in_progress", "startedAt": NOW}
    )
    session = await store.get("legacy")
    assert session.transcript == [] and session.transcript_version == 0 and session.last_activity_at is None
    assert await store.replace_transcript("legacy", 0, [TranscriptItem("r1", "interviewer", "Hi")], NOW)


async def test_the_application_is_marked_completed_once(store, sync_db):
    app_id = add_application(sync_db)
    await store.mark_application_completed(app_id, NOW)
    await store.mark_application_completed(app_id, NOW + timedelta(hours=1))
    application = sync_db.applications.find_one({"_id": app_id})
    assert application["status"] == "interview_completed" and application["interviewCompletedAt"] == NOW
