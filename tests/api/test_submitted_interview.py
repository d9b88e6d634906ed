"""The preview names the submitted interview with what the server stored of it (issue 20 §11): the
completion screen opened afresh (a reload once the tab's state is gone) reads its duration here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_app.api import paths
from tests.support.api_app import add_application
from tests.support.sessions import bearer, start


async def test_the_preview_tells_the_submitted_interviews_stored_duration_and_answers(client, sync_db):
    app_id = add_application(sync_db)
    url = paths.APPLICATION.format(application_id=app_id)
    session_id, token = await start(client, app_id)
    started = datetime.now(UTC) - timedelta(minutes=7, seconds=5)
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"startedAt": started}})
    items = [
        {"id": "a1", "role": "candidate", "text": "First answer"},
        {"id": "a2", "role": "candidate", "text": "Second answer"},
    ]
    stored = await client.post(
        paths.SESSION_TRANSCRIPT.format(session_id=session_id), json={"items": items}, headers=bearer(token)
    )
    assert stored.status_code == 200, stored.text
    ended = await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    assert ended.status_code == 200

    done = (await client.get(url)).json()["completedSession"]
    assert done == {
        "sessionId": session_id,
        "startedAt": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "completedAt": ended.json()["completedAt"],
        "duration": ended.json()["duration"],
        "answered": 2,
    }
    assert 425 <= done["duration"] <= 430  # 7 min 5 s, whole seconds from startedAt


async def test_an_interview_run_offline_has_no_server_duration(client, sync_db):
    """Its session was recorded when the page could upload it: the server's clock did not see it run."""
    app_id = add_application(sync_db)
    session_id, token = await start(client, app_id)
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"metadata.offline": True}})
    await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
    done = (await client.get(paths.APPLICATION.format(application_id=app_id))).json()["completedSession"]
    assert done["sessionId"] == session_id and done["duration"] is None and done["answered"] == 0
