"""An interview while Redis restarts (issue 15 A3).

The app runs as ``make prod`` does (two workers), with Reflex state and the call bus in a Redis the
test owns, behind the recording fault proxy. Redis is started as ``make prod`` starts its own
(``redis_server_command``: an append-only file) and restarts as a service manager restarts it:
SIGTERM, then the same command on the same port, so it comes back with the data it had.
"""

from __future__ import annotations

import pytest

from tests.support.browser import invite, new_application
from tests.support.faults import app_behind_proxy, restartable_redis
from tests.support.scripted_interview import Interview, check_interview

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def redis_server():
    with restartable_redis() as server:
        yield server


@pytest.fixture(scope="module")
def prod(database, db_name, redis_server, tmp_path_factory):
    env = {"REFLEX_REDIS_URL": redis_server.url}
    with app_behind_proxy(database.uri, db_name, tmp_path_factory.mktemp("app"), env, workers=2) as (base, proxy):
        yield base, proxy


def test_redis_restarts(page, prod, db, redis_server):
    base, proxy = prod
    proxy.reset()
    app_id = new_application(db)
    interview = Interview(page)
    interview.start(invite(base, app_id))
    interview.exchange()
    redis_server.restart()
    try:
        interview.exchange()
    except AssertionError as exc:
        phase = page.locator("#interview-phase").text_content()
        raise AssertionError(f"{exc}\n\nafter the Redis restart the page shows phase {phase!r}") from None
    shown = interview.finish()
    check_interview(page, db, app_id, interview, shown, proxy)
