"""The MongoDB repository against a real wire-protocol server: mapping, conflicts, conditional writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, rules
from interview_app.domain.model import Application, SessionRef, TranscriptItem
from interview_app.domain.repository import SessionConflict
from interview_app.storage.sessions import session_document
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


def test_new_document_follows_the_schema():
    application = Application(id="a1", user_id="u1", job_title=None, candidate_name=None, status=None)
    doc = session_document(rules.new_session(application, {"deviceType": "mobile"}, NOW))
    assert doc["status"] == "in_progress" and doc["candidateId"] == "u1" and doc["applicationId"] == "a1"
    assert doc["startedAt"] == doc["createdAt"] == doc["updatedAt"] == NOW
    assert doc["events"][0]["type"] == "session.started"
    assert len(doc["sessionId"]) == 36 and doc["sessionId"][14] == "4"  # UUID v4


async def test_a_new_session_is_stored_in_the_stories_shape(store, sync_db):
    """The document a ``NewSession`` becomes, key for key (the shape other services read)."""
    application = (await store.load_snapshot(add_application(sync_db, user_id="u1"), NOW)).application
    started = NOW - timedelta(minutes=20)
    new = rules.new_session(application, {"deviceType": "mobile", "offline": True}, NOW, started_at=started)
    await store.insert(new)
    stored = sync_db.interviewSessions.find_one({"sessionId": new.session_id}, {"_id": 0})
    assert stored == {
        "sessionId": new.session_id,
        "applicationId": application.id,
        "candidateId": "u1",
        "candidateName": "Ada Lovelace",  # copies for the review list (issue 18)
        "jobTitle": "Backend Engineer",
        "status": "in_progress",
        "startedAt": started,
        "lastActivityAt": NOW,
        "metadata": {"deviceType": "mobile", "offline": True},
        "events": [{"type": "session.started", "timestamp": NOW, "payload": {"deviceType": "mobile"}}],
        "transcript": [],
        "transcriptVersion": 0,
        "createdAt": NOW,
        "updatedAt": NOW,
    }


async def test_the_snapshot_holds_exactly_the_sessions_the_rule_keeps(store, sync_db):
    """The query is ``rules.in_snapshot`` written for the database: one rule, two readers."""
    app_id = add_application(sync_db)
    minutes = timedelta(minutes=1)
    rows = [  # (id, status, startedAt, createdAt or None for a session stored before it existed)
        ("live", "in_progress", NOW - 60 * minutes, NOW - 60 * minutes),
        ("done", "completed", NOW - 600 * minutes, None),
        ("recent", "abandoned", NOW - 9 * minutes, NOW - 9 * minutes),
        ("old", "abandoned", NOW - 11 * minutes, NOW - 11 * minutes),
        ("old-legacy", "error", NOW - 11 * minutes, None),
        ("recent-legacy", "error", NOW - 2 * minutes, None),
        ("claimed-early", "abandoned", NOW - 90 * minutes, NOW - 3 * minutes),  # offline: stored late
    ]
    for session_id, status, started_at, created_at in rows:
        doc = {"sessionId": session_id, "applicationId": app_id, "status": status, "startedAt": started_at}
        sync_db.interviewSessions.insert_one(doc if created_at is None else {**doc, "createdAt": created_at})
    everything = [SessionRef(sid, status, started, created_at=created) for sid, status, started, created in rows]
    snapshot = await store.load_snapshot(app_id, NOW)
    held = sorted(ref.session_id for ref in snapshot.sessions)
    assert held == sorted(ref.session_id for ref in everything if rules.in_snapshot(ref, NOW))
    assert held == ["claimed-early", "done", "live", "recent", "recent-legacy"]


async def test_the_snapshot_tells_which_session_holds_consent(store, sync_db):
    """A reuse of a consented session then records nothing more (issue 21)."""
    app_id = add_application(sync_db)
    consent = {"at": NOW, "noticeVersion": "v1"}
    rows = [("live", "in_progress", consent), ("done", "completed", None)]
    for session_id, status, given in rows:
        doc = {"sessionId": session_id, "applicationId": app_id, "status": status, "startedAt": NOW, "createdAt": NOW}
        sync_db.interviewSessions.insert_one(doc if given is None else {**doc, "consent": given})
    snapshot = await store.load_snapshot(app_id, NOW)
    assert {ref.session_id: ref.consented for ref in snapshot.sessions} == {"live": True, "done": False}
    assert (await store.find_in_progress(app_id)).consented


async def test_a_second_in_progress_session_is_a_domain_conflict(store, sync_db):
    app_id = add_application(sync_db)
    application = (await store.load_snapshot(app_id, NOW)).application
    await store.insert(rules.new_session(application, {}, NOW))
    with pytest.raises(SessionConflict):
        await store.insert(rules.new_session(application, {}, NOW))


async def test_no_insert_while_the_indexes_are_not_in_place(store, sync_db):
    """Confirmed by listing them: a server change alone only makes them unknown (issue 15 B4)."""
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    sync_db.interviewSessions.drop_index("one_in_progress_per_application")
    store.database.index_watch.ready = False
    with pytest.raises(errors.DatabaseUnavailable):
        await store.insert(rules.new_session(application, {}, NOW))
    assert sync_db.interviewSessions.count_documents({}) == 0


async def test_transcript_writes_are_version_checked_and_only_while_in_progress(store, sync_db):
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    new = rules.new_session(application, {}, NOW)
    await store.insert(new)
    session_id = new.session_id
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


async def test_transcript_provenance_round_trips_and_old_items_read_as_client(store, sync_db):
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    new = rules.new_session(application, {}, NOW)
    await store.insert(new)
    items = [
        TranscriptItem("r1", "interviewer", "Hi", at=NOW, source="provider"),
        TranscriptItem("c1", "candidate", "Heard.", source="provider", input="voice", client_text="Typed."),
        TranscriptItem("c2", "candidate", "Mine."),
    ]
    assert await store.replace_transcript(new.session_id, 0, items, NOW)
    assert (await store.get(new.session_id)).transcript == items
    doc = sync_db.interviewSessions.find_one({"sessionId": new.session_id})
    assert doc["transcript"][1] == {
        "id": "c1",
        "role": "candidate",
        "text": "Heard.",
        "source": "provider",
        "input": "voice",
        "clientText": "Typed.",
    }
    sync_db.interviewSessions.update_one({"sessionId": new.session_id}, {"$unset": {"transcript.2.source": ""}})
    assert (await store.get(new.session_id)).transcript[2].source == "client"


async def test_a_session_reads_whether_it_is_an_offline_interview(store, sync_db):
    """What the transcript rules need to accept the page's interviewer turns (issue 16 T2)."""
    application = (await store.load_snapshot(add_application(sync_db), NOW)).application
    online = rules.new_session(application, {"deviceType": "desktop", "userAgent": "UA", "ipAddress": "10.0.0.1"}, NOW)
    await store.insert(online)
    assert (await store.get(online.session_id)).offline is False
    await store.complete(online.session_id, NOW, 0, "candidate_ended")
    offline = rules.new_session(application, {"offline": True}, NOW, started_at=NOW - timedelta(minutes=9))
    await store.insert(offline)
    assert (await store.get(offline.session_id)).offline is True
    context = await store.call_context(offline.session_id)
    assert context is not None and context[0].offline is True


async def test_the_application_is_marked_completed_once(store, sync_db):
    app_id = add_application(sync_db)
    await store.mark_application_completed(app_id, NOW)
    await store.mark_application_completed(app_id, NOW + timedelta(hours=1))
    application = sync_db.applications.find_one({"_id": app_id})
    assert application["status"] == "interview_completed" and application["interviewCompletedAt"] == NOW
