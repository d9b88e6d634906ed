"""Integration tests of the session lifecycle API over HTTP against a real database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from interview_app.api import paths
from interview_app.domain.model import TranscriptItem
from interview_app.domain.notice import NOTICE_TEXT, NOTICE_VERSION
from interview_app.domain.rules import MAX_TRANSCRIPT_ITEMS
from tests.support.api_app import add_application, api_client, make_settings, wait_for_indexes
from tests.support.sessions import bearer, candidate_token, offline_token, session_token, start


def session_path(template: str, session_id: str) -> str:
    return template.format(session_id=session_id)


def stored(sync_db, session_id: str) -> dict:
    return sync_db.interviewSessions.find_one({"sessionId": session_id})


def item(item_id: str, text: str = "hello", role: str = "candidate", **extra) -> dict:
    """A page item: a candidate turn (issue 16: the page posts interviewer turns only offline)."""
    return {"id": item_id, "role": role, "text": text, **extra}


async def post_items(client, session_id: str, token: str, items: list[dict]):
    return await client.post(
        session_path(paths.SESSION_TRANSCRIPT, session_id), json={"items": items}, headers=bearer(token)
    )


@pytest.fixture
async def started(client, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer")
    session_id, token = await start(client, app_id)
    return app_id, session_id, token


async def test_read_answers_the_session_without_any_token(client, started):
    app_id, session_id, token = started
    response = await client.get(session_path(paths.SESSION, session_id), headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["sessionId"] == session_id and body["applicationId"] == app_id
    assert body["status"] == "in_progress"
    assert body["startedAt"].endswith("Z") and body["lastActivityAt"].endswith("Z")
    assert body["completedAt"] is None and body["duration"] is None and body["endReason"] is None
    assert body["transcript"] == []
    assert "token" not in json.dumps(body).lower()


@pytest.mark.parametrize(
    "route",
    [paths.SESSION, paths.SESSION_HEARTBEAT, paths.SESSION_TRANSCRIPT, paths.SESSION_END, paths.SESSION_DROPPED],
)
async def test_every_route_wants_this_sessions_token(client, started, route):
    app_id, session_id, _ = started
    method = client.get if route == paths.SESSION else client.post
    url = session_path(route, session_id)
    refusals = {
        "missing": ({}, 401),
        "garbage": (bearer("not-a-jwt"), 401),
        "candidate": (bearer(candidate_token(application_id=app_id)), 401),
        "offline": (bearer(offline_token(app_id)), 401),
        "foreign secret": (bearer(session_token(session_id, app_id, secret="x" * 48)), 401),
        "another session": (bearer(session_token("another-session", app_id)), 403),
    }
    for name, (headers, status) in refusals.items():
        response = await method(url, headers=headers)
        assert response.status_code == status, name
        assert response.json()["code"] == ("FORBIDDEN" if status == 403 else "UNAUTHORIZED"), name


async def test_an_unknown_session_is_404(client):
    response = await client.get(
        session_path(paths.SESSION, "no-such-session"), headers=bearer(session_token("no-such-session"))
    )
    assert response.status_code == 404 and response.json()["code"] == "SESSION_NOT_FOUND"


async def test_heartbeat_sets_last_activity(client, sync_db, started):
    _, session_id, token = started
    before = stored(sync_db, session_id)["lastActivityAt"]
    await asyncio.sleep(0.01)
    response = await client.post(session_path(paths.SESSION_HEARTBEAT, session_id), headers=bearer(token))
    assert response.status_code == 204 and response.content == b""
    assert stored(sync_db, session_id)["lastActivityAt"] > before


async def test_transcript_upserts_by_id_in_order_of_first_arrival(client, sync_db, started):
    _, session_id, token = started
    first = await post_items(
        client,
        session_id,
        token,
        [
            item("item_0", "Hello, I am ready.", at="2026-11-28T10:00:00Z"),
            item("item_1", "", durationMs=42_000),
        ],
    )
    assert first.status_code == 200 and first.json() == {"count": 2}
    replay = await post_items(client, session_id, token, [item("item_0", "Hello, I am ready.")])
    assert replay.json() == {"count": 2}
    later = await post_items(
        client,
        session_id,
        token,
        [item("item_2", "Next answer."), item("item_1", "I build pipelines.")],
    )
    assert later.json() == {"count": 3}
    transcript = stored(sync_db, session_id)["transcript"]
    assert [t["id"] for t in transcript] == ["item_0", "item_1", "item_2"]
    assert transcript[1]["text"] == "I build pipelines."
    read = (await client.get(session_path(paths.SESSION, session_id), headers=bearer(token))).json()
    assert read["transcript"][0] == {
        "id": "item_0",
        "role": "candidate",
        "text": "Hello, I am ready.",
        "at": "2026-11-28T10:00:00Z",
        "durationMs": None,
        "source": "client",
    }
    assert read["transcriptVerified"] is False and read["offlineSpans"] == []


async def test_a_turn_delivered_late_is_stored_where_it_was_said(client, sync_db, started):
    """Two writers, and retries after an outage: the page's late answer must not land after the
    interviewer's closing line (it did: the order was the order of arrival)."""
    _, session_id, token = started
    journal = client.api.state.runtime.calls.journal
    for turn_id, text, at in (("greet", "Hello", "10:00"), ("bye", "Thanks!", "10:05")):
        said = TranscriptItem(turn_id, "interviewer", text, at=datetime.fromisoformat(f"2026-11-28T{at}:00+00:00"))
        await journal.turn(session_id, "call-1", said)
    late = [item("a1", "First answer.", at="2026-11-28T10:02:00Z"), item("a2", "")]
    assert (await post_items(client, session_id, token, late)).status_code == 200
    assert [t["id"] for t in stored(sync_db, session_id)["transcript"]] == ["greet", "a1", "a2", "bye"]
    read = (await client.get(session_path(paths.SESSION, session_id), headers=bearer(token))).json()
    assert [t["id"] for t in read["transcript"]] == ["greet", "a1", "a2", "bye"]
    assert [t["source"] for t in read["transcript"]] == ["provider", "client", "client", "provider"]


async def test_a_dropped_turn_is_recorded_as_a_session_event(client, sync_db, started):
    _, session_id, token = started
    url = session_path(paths.SESSION_DROPPED, session_id)
    report = {"items": [{"itemId": "bad id!", "code": "INVALID_REQUEST"}, {"itemId": "t7", "code": "TRANSCRIPT_FULL"}]}
    assert (await client.post(url, json=report, headers=bearer(token))).status_code == 204
    events = [e for e in stored(sync_db, session_id)["events"] if e["type"] == "transcript.dropped"]
    assert [e["payload"] for e in events] == report["items"]
    for bad in (
        {"items": []},
        {"items": [{"itemId": "x\u202e", "code": "X"}]},
        {"items": [{"itemId": "x", "code": "lower"}]},
    ):
        response = await client.post(url, json=bad, headers=bearer(token))
        assert response.status_code == 400 and response.json()["code"] in ("INVALID_REQUEST", "MISSING_FIELD")
    assert len([e for e in stored(sync_db, session_id)["events"] if e["type"] == "transcript.dropped"]) == 2
    unknown = session_path(paths.SESSION_DROPPED, "no-such-session")
    response = await client.post(unknown, json=report, headers=bearer(session_token("no-such-session")))
    assert response.status_code == 404 and response.json()["code"] == "SESSION_NOT_FOUND"


@pytest.mark.parametrize(
    "bad",
    [
        {"items": []},
        {"items": [item(f"i{n}") for n in range(51)]},
        {"items": [item("ok"), item("bad id!")]},
        {"items": [item("ok"), item("x" * 65)]},
        {"items": [item("ok"), item("r", role="system")]},
        {"items": [item("ok"), item("t", text="x" * 4001)]},
        {"items": [item("ok"), item("a", at="yesterday")]},
        {"items": [item("ok"), item("a", at=1_700_000_000)]},
        {"items": [item("ok"), item("d", durationMs=-1)]},
        {"items": [item("ok"), item("d", durationMs=1.5)]},
        {"items": [item("ok"), {**item("u"), "extra": 1}]},
        {"items": [item("ok"), {"id": "m", "role": "candidate"}]},
        {"items": "nope"},
        {},
    ],
)
async def test_any_invalid_item_refuses_the_whole_batch(client, sync_db, started, bad):
    _, session_id, token = started
    response = await client.post(session_path(paths.SESSION_TRANSCRIPT, session_id), json=bad, headers=bearer(token))
    assert response.status_code == 400
    assert response.json()["code"] in ("INVALID_REQUEST", "MISSING_FIELD")
    assert stored(sync_db, session_id)["transcript"] == []


@pytest.mark.parametrize(
    ("at", "stored_year"), [("0001-01-01T00:00:00+01:00", 1970), ("9999-12-31T23:59:59-01:00", 2100)]
)
async def test_dates_beyond_what_the_database_stores_are_clamped_not_a_500(client, sync_db, started, at, stored_year):
    _, session_id, token = started
    response = await post_items(client, session_id, token, [item("far", at=at)])
    assert response.status_code == 200
    assert stored(sync_db, session_id)["transcript"][0]["at"].year == stored_year


async def test_a_body_over_64_kib_is_413(client, sync_db, started):
    _, session_id, token = started
    big = {"items": [item(f"i{n}", "x" * 4000) for n in range(17)]}
    response = await client.post(session_path(paths.SESSION_TRANSCRIPT, session_id), json=big, headers=bearer(token))
    assert response.status_code == 413 and response.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert stored(sync_db, session_id)["transcript"] == []


async def test_the_transcript_holds_at_most_500_items(client, sync_db, started):
    _, session_id, token = started
    for batch in range(MAX_TRANSCRIPT_ITEMS // 50):
        response = await post_items(client, session_id, token, [item(f"i{batch}-{n}") for n in range(50)])
        assert response.status_code == 200
    assert response.json() == {"count": MAX_TRANSCRIPT_ITEMS}
    refused = await post_items(client, session_id, token, [item("i0-0", "replaced"), item("one-too-many")])
    assert refused.status_code == 409 and refused.json()["code"] == "TRANSCRIPT_FULL"
    transcript = stored(sync_db, session_id)["transcript"]
    assert len(transcript) == MAX_TRANSCRIPT_ITEMS and transcript[0]["text"] == "hello"  # nothing written
    assert (await post_items(client, session_id, token, [item("i0-0", "replaced")])).json() == {"count": 500}


async def test_concurrent_batches_all_land(client, sync_db, started):
    _, session_id, token = started
    responses = await asyncio.gather(*(post_items(client, session_id, token, [item(f"c{n}")]) for n in range(4)))
    assert all(r.status_code == 200 for r in responses)
    assert sorted(t["id"] for t in stored(sync_db, session_id)["transcript"]) == ["c0", "c1", "c2", "c3"]


async def test_end_completes_the_session_and_submits_the_application(client, sync_db, started):
    app_id, session_id, token = started
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id}, {"$set": {"startedAt": datetime.now(UTC) - timedelta(seconds=90)}}
    )
    response = await client.post(
        session_path(paths.SESSION_END, session_id), json={"reason": "interview_complete"}, headers=bearer(token)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["sessionId"] == session_id and body["status"] == "completed"
    assert 90 <= body["duration"] <= 92
    doc = stored(sync_db, session_id)
    assert doc["status"] == "completed" and doc["endReason"] == "interview_complete"
    assert doc["duration"] == body["duration"]
    assert doc["completedAt"].strftime("%Y-%m-%dT%H:%M:%SZ") == body["completedAt"]
    assert doc["events"][-1]["type"] == "session.completed"
    application = sync_db.applications.find_one({"_id": app_id})
    assert application["status"] == "interview_completed" and application["interviewCompletedAt"]

    await asyncio.sleep(1.1)
    repeat = await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    assert repeat.status_code == 200 and repeat.json() == body
    assert [e["type"] for e in stored(sync_db, session_id)["events"]].count("session.completed") == 1

    again = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert again.status_code == 400 and again.json()["code"] == "INVALID_APPLICATION"


async def test_a_repeated_end_leaves_a_later_application_status_alone(client, sync_db, started):
    app_id, session_id, token = started
    await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"status": "under_review"}})  # the hiring team
    repeat = await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    assert repeat.status_code == 200
    assert sync_db.applications.find_one({"_id": app_id})["status"] == "under_review"


async def test_end_without_a_body_means_the_candidate_ended(client, sync_db, started):
    _, session_id, token = started
    response = await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    assert response.status_code == 200
    assert stored(sync_db, session_id)["endReason"] == "candidate_ended"


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ('{"reason": "bored"}', {"Content-Type": "application/json"}, 400),
        ('{"reason": "candidate_ended", "x": 1}', {"Content-Type": "application/json"}, 400),
        ("[1]", {"Content-Type": "application/json"}, 400),
        ("{", {"Content-Type": "application/json"}, 400),
        ("reason=candidate_ended", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ],
)
async def test_a_bad_end_body_ends_nothing(client, sync_db, started, body, headers, status):
    _, session_id, token = started
    response = await client.post(
        session_path(paths.SESSION_END, session_id), content=body, headers={**headers, **bearer(token)}
    )
    assert response.status_code == status
    assert stored(sync_db, session_id)["status"] == "in_progress"


@pytest.mark.parametrize("final", ["completed", "abandoned"])
async def test_a_session_that_is_over_takes_no_more_writes(client, sync_db, started, final):
    _, session_id, token = started
    if final == "completed":
        assert (
            await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
        ).status_code == 200
    else:
        sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"status": "abandoned"}})
    heartbeat = await client.post(session_path(paths.SESSION_HEARTBEAT, session_id), headers=bearer(token))
    transcript = await post_items(client, session_id, token, [item("late")])
    assert heartbeat.status_code == transcript.status_code == 409
    assert heartbeat.json()["code"] == transcript.json()["code"] == "SESSION_NOT_ACTIVE"
    end = await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    assert end.status_code == (200 if final == "completed" else 409)
    assert stored(sync_db, session_id)["transcript"] == []


async def test_activity_not_age_decides_reuse(client, sync_db):
    app_id = add_application(sync_db)
    session_id, _ = await start(client, app_id)
    now = datetime.now(UTC)
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id},
        {"$set": {"startedAt": now - timedelta(minutes=20), "lastActivityAt": now - timedelta(minutes=4)}},
    )
    resumed = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert resumed.status_code == 200 and resumed.json()["sessionId"] == session_id
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id}, {"$set": {"lastActivityAt": now - timedelta(minutes=5)}}
    )
    fresh = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert fresh.status_code == 201 and fresh.json()["sessionId"] != session_id
    assert stored(sync_db, session_id)["status"] == "abandoned"


async def test_heartbeats_keep_a_long_interview_resumable(client, sync_db):
    app_id = add_application(sync_db)
    session_id, token = await start(client, app_id)
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id},
        {
            "$set": {
                "startedAt": datetime.now(UTC) - timedelta(minutes=30),
                "lastActivityAt": datetime.now(UTC) - timedelta(minutes=30),
            }
        },
    )
    await client.post(session_path(paths.SESSION_HEARTBEAT, session_id), headers=bearer(token))
    resumed = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert resumed.status_code == 200 and resumed.json()["sessionId"] == session_id


async def test_application_preview_tells_open_in_progress_and_completed(client, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer", name="Grace Hopper")
    url = paths.APPLICATION.format(application_id=app_id)
    opened = await client.get(url)
    assert opened.status_code == 200
    assert opened.json() == {
        "id": app_id,
        "jobTitle": "Data Engineer",
        "candidateName": "Grace Hopper",
        "status": "open",
        "activeSession": None,
        "notice": {"version": NOTICE_VERSION, "text": NOTICE_TEXT},  # issue 17 §4
        "completedSession": None,
        # issue 20 §4: no plan, so the 3 suggested questions at about 2 minutes each, microphone only
        "interview": {"questionCount": 3, "expectedMinutes": 6, "language": "en", "camera": "off"},
    }
    session_id, token = await start(client, app_id)
    active = (await client.get(url)).json()
    assert active["status"] == "in_progress"
    assert active["activeSession"]["sessionId"] == session_id
    assert set(active["activeSession"]) == {"sessionId", "startedAt", "lastActivityAt"}
    await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    done = (await client.get(url)).json()
    assert done["status"] == "completed" and done["activeSession"] is None


async def test_application_preview_tells_the_plans_length_language_and_camera(client, sync_db):
    """Issue 20 §4: the preview shows the real number of questions and the plan's duration."""
    app_id = add_application(sync_db)
    plan = {"questions": ["Why us?", "A project?", "A conflict?", "A failure?"], "language": "fr", "camera": "selfview"}
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": plan}})
    url = paths.APPLICATION.format(application_id=app_id)
    summary = (await client.get(url)).json()["interview"]
    assert summary == {"questionCount": 4, "expectedMinutes": 8, "language": "fr", "camera": "selfview"}
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan.durationMinutes": 25}})
    assert (await client.get(url)).json()["interview"]["expectedMinutes"] == 25


async def test_a_broken_stored_plan_is_refused_with_its_code_and_nothing_is_written(client, sync_db):
    """A plan written by hand into the database and wrong: a clear 422 at preview and start, never a 500."""
    app_id = add_application(sync_db)
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": {"questions": []}}})
    preview = await client.get(paths.APPLICATION.format(application_id=app_id))
    assert preview.status_code == 422 and preview.json()["code"] == "INVALID_INTERVIEW_PLAN"
    assert "questions" in preview.json()["details"]
    started = await client.post(paths.START_SESSION, json={"applicationId": app_id})
    assert started.status_code == 422 and started.json()["code"] == "INVALID_INTERVIEW_PLAN"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 0


async def test_application_preview_checks_the_candidate(mongo_uri, db_name, tmp_path, sync_db):
    app_id = add_application(sync_db, user_id="owner")
    url = paths.APPLICATION.format(application_id=app_id)
    async with api_client(make_settings(mongo_uri, db_name, tmp_path, require_auth=True)) as client:
        await wait_for_indexes(client)
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers=bearer("garbage"))).status_code == 401
        own = await client.get(url, headers=bearer(candidate_token("owner", app_id)))
        assert own.status_code == 200 and own.json()["status"] == "open"
        foreign = await client.get(url, headers=bearer(candidate_token("someone-else")))
        # Issue 15 C10: another candidate's application is answered as an unknown one (it was 403).
        assert foreign.status_code == 404 and foreign.json()["code"] == "INVALID_APPLICATION"
        missing = await client.get(
            paths.APPLICATION.format(application_id="nope"), headers=bearer(candidate_token("owner"))
        )
        assert missing.status_code == 404 and missing.json()["code"] == "INVALID_APPLICATION"
        assert foreign.json()["error"] == missing.json()["error"]


async def test_start_session_records_an_offline_interview(client, sync_db):
    """With the grant the server minted for the outage (issue 15 C8: ``tests/api/test_offline_grant.py``)."""
    app_id = add_application(sync_db)
    response = await client.post(
        paths.START_SESSION,
        json={"applicationId": app_id, "metadata": {"offline": True}, "offlineGrant": offline_token(app_id)},
    )
    assert response.status_code == 201
    assert stored(sync_db, response.json()["sessionId"])["metadata"]["offline"] is True
    refused = await client.post(paths.START_SESSION, json={"applicationId": app_id, "metadata": {"offline": "yes"}})
    assert refused.status_code == 400


async def test_an_offline_interview_keeps_its_real_start_and_duration(client, sync_db):
    app_id = add_application(sync_db)
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=12)
    response = await client.post(
        paths.START_SESSION,
        json={
            "applicationId": app_id,
            "metadata": {"offline": True, "startedAt": began.isoformat()},
            "offlineGrant": offline_token(app_id, minutes_ago=12),
        },
    )
    assert response.status_code == 201
    session_id, token = response.json()["sessionId"], response.json()["token"]
    assert abs((stored(sync_db, session_id)["startedAt"] - began).total_seconds()) <= 1
    ended = await client.post(session_path(paths.SESSION_END, session_id), headers=bearer(token))
    assert 12 * 60 <= ended.json()["duration"] <= 12 * 60 + 2


@pytest.mark.parametrize(
    ("metadata", "expected_minutes_ago"),
    [
        ({"startedAt": "2026-01-01T00:00:00Z"}, 0),  # without offline it means nothing
        ({"offline": True, "startedAt": (datetime.now(UTC) - timedelta(hours=3)).isoformat()}, 20),
        ({"offline": True, "startedAt": (datetime.now(UTC) + timedelta(minutes=5)).isoformat()}, 20),
    ],
)
async def test_a_skewed_offline_start_is_kept_within_bounds(client, sync_db, metadata, expected_minutes_ago):
    """The browser's clock may be off, and is no longer believed at all (issue 15 C8): an offline
    interview starts at its grant's ``iat`` (20 minutes ago here), whatever the page claims."""
    app_id = add_application(sync_db)
    body = {"applicationId": app_id, "metadata": metadata}
    if metadata.get("offline"):
        body["offlineGrant"] = offline_token(app_id, minutes_ago=20)
    response = await client.post(paths.START_SESSION, json=body)
    assert response.status_code == 201
    started = stored(sync_db, response.json()["sessionId"])["startedAt"]
    minutes_ago = (datetime.now(UTC) - started).total_seconds() / 60
    assert expected_minutes_ago - 0.1 <= minutes_ago <= expected_minutes_ago + 0.1


async def test_an_offline_start_without_a_time_zone_is_refused(client, sync_db):
    app_id = add_application(sync_db)
    metadata = {"offline": True, "startedAt": "2026-01-01T00:00:00"}
    body = {"applicationId": app_id, "metadata": metadata, "offlineGrant": offline_token(app_id)}
    response = await client.post(paths.START_SESSION, json=body)
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"
    assert sync_db.interviewSessions.count_documents({"applicationId": app_id}) == 0
