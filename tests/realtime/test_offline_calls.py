"""Regression (issue 15 C9, the call): an offline grant places no call for an application the
database says is unknown or already completed. On the old code any offline token placed a call.
When the database cannot answer in time the call goes ahead (``test_calls.py`` checks that).
"""

from __future__ import annotations

import pytest

from interview_app.api import paths
from tests.support.api_app import add_application
from tests.support.rtc_client import CandidateCall
from tests.support.sessions import bearer, offline_token, start


async def refused(client, token: str):
    call = CandidateCall()
    try:
        return await call.dial(client, token)
    finally:
        await call.close()
        await client.api.state.runtime.calls.close_all()


@pytest.mark.parametrize("case", ["unknown", "application completed", "session completed"])
async def test_no_offline_call_for_an_unknown_or_completed_application(client, sync_db, case):
    if case == "unknown":
        app_id = "app-that-does-not-exist"
    elif case == "application completed":
        app_id = add_application(sync_db, status="interview_completed")
    else:
        app_id = add_application(sync_db)
        session_id, token = await start(client, app_id)
        assert (await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))).is_success
        sync_db.applications.update_one({"_id": app_id}, {"$set": {"status": "interview_scheduled"}})
    response = await refused(client, offline_token(app_id))
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "APPLICATION_NOT_OPEN"


async def test_an_offline_call_for_an_open_application_goes_ahead(client, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer")
    call = CandidateCall()
    try:
        assert (await call.dial(client, offline_token(app_id))).status_code == 201
        greeting = await call.next_event("response.output_audio_transcript.done")
        assert "Data Engineer" in greeting["transcript"]
    finally:
        await call.close()
        await client.api.state.runtime.calls.close_all()
