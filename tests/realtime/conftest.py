import pytest

from interview_app.realtime import ice
from tests.support.api_app import add_application

ice.configure(["127.0.0.1"])  # the test client's aiortc offers loopback only, like the server


@pytest.fixture
def settings(settings):
    from dataclasses import replace

    return replace(settings, ice_host_addresses=["127.0.0.1"])


@pytest.fixture
async def session(client, sync_db):
    """A started session for a Data Engineer application: (application id, session id, token)."""
    app_id = add_application(sync_db, job_title="Data Engineer")
    body = (await client.post("/api/interview/start-session", json={"applicationId": app_id})).json()
    return app_id, body["sessionId"], body["token"]
