"""Product events reach Sentry for real: a local server plays Sentry's ingest endpoint."""

from interview_app import observability
from interview_app.api import paths
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.fake_sentry import FakeSentry, sentry_to
from tests.support.sessions import bearer, start


def by_message(fake: FakeSentry) -> dict:
    return {event.get("message") or (event.get("logentry") or {}).get("message"): event for event in fake.events()}


def fields(event: dict) -> dict:
    """The event's own fields (Sentry adds ``sys.argv`` to ``extra``)."""
    return {k: v for k, v in event["extra"].items() if k != "sys.argv"}


async def test_session_events_arrive_with_their_fields_and_session_tag(settings, sync_db):
    app_id = add_application(sync_db)
    with FakeSentry() as fake, sentry_to(fake, settings):
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            session_id = (await client.post("/api/interview/start-session", json={"applicationId": app_id})).json()[
                "sessionId"
            ]
        observability.track(observability.SESSION_API_FAILED, {"applicationId": app_id, "status": 503})
        observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": app_id})
        observability.flush()
        events = by_message(fake)
    started = events["interview.session.started"]
    assert fields(started) == {"sessionId": session_id, "applicationId": app_id, "duration": 0}
    assert started["tags"]["session_id"] == session_id
    assert fields(events["interview.session.api_failed"]) == {"applicationId": app_id, "status": 503}
    assert fields(events["interview.session.offline_mode"]) == {"applicationId": app_id}


async def test_the_end_of_a_session_is_reported_once(settings, sync_db):
    app_id = add_application(sync_db)
    with FakeSentry() as fake, sentry_to(fake, settings):
        async with api_client(settings) as client:
            await wait_for_indexes(client)
            session_id, token = await start(client, app_id)
            for _ in range(2):  # the repeat is idempotent and not reported again
                assert (
                    await client.post(paths.SESSION_END.format(session_id=session_id), headers=bearer(token))
                ).status_code == 200
        observability.flush()
        completed = [e for e in fake.events() if e.get("message") == observability.SESSION_COMPLETED]
    (event,) = completed
    assert fields(event) == {"sessionId": session_id, "applicationId": app_id, "duration": 0}
    assert event["tags"]["session_id"] == session_id


def test_no_dsn_means_no_sentry(settings):
    assert observability.init_sentry(settings) is False
    observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": "a"})  # must not raise
