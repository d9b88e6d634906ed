"""An interview while the API refuses writes, the database is paused, or the database is killed (issue 15 A3).

One app (a single prod process) for the module, behind the recording fault proxy. Each test runs a
short interview (greeting, three answered questions, closing line, Finish) with its fault in the middle.
"""

from __future__ import annotations

import time

import pytest

from tests.support.browser import invite, new_application, wait_for
from tests.support.fault_proxy import FaultProxy, every_third_transcript_write
from tests.support.faults import app_behind_proxy, kill_database, pause_database, restart_database, resume_database
from tests.support.scripted_interview import TURN_TIMEOUT_MS, Interview, check_interview

pytestmark = pytest.mark.browser

PAUSE_S = 10
# Down this long after the last turn said while it is down: longer than the local interviewer's
# 3 s wait on its own write of a turn, so every turn of the outage reaches the database only
# through the page (the same every time, not a race with the restart).
DOWN_AFTER_LAST_TURN_S = 4


@pytest.fixture(scope="module")
def app(database, db_name, tmp_path_factory):
    with app_behind_proxy(database.uri, db_name, tmp_path_factory.mktemp("app")) as (base, proxy):
        yield base, proxy


def test_without_a_fault_every_check_holds(page, app, db):
    """The control: the same interview and the same checks with no fault pass, so a failure of the
    tests below is the fault's, not the harness's."""
    base, proxy = app
    proxy.reset()
    app_id = new_application(db)
    interview = Interview(page)
    interview.start(invite(base, app_id))
    shown = interview.finish()
    check_interview(page, db, app_id, interview, shown, proxy)


def test_a_third_of_the_transcript_writes_answered_409_or_429(page, app, db):
    base, proxy = app
    proxy.reset(every_third_transcript_write())
    try:
        app_id = new_application(db)
        interview = Interview(page)
        interview.start(invite(base, app_id))
        # The page writes its candidate's answers. Each answer waits until the page has saved the
        # one before (a write passed on): the 1st write is refused, so 3 answers so paced make at
        # least 4 writes and the 4th is the 429, however the page batches a retry with a new answer.
        writes = 0
        for _ in range(3):
            interview.exchange()
            writes = wait_until_a_write_passes(page, proxy, after=writes)
        shown = interview.finish()
    finally:
        proxy.rule = None
    refused = sorted({e.status for e in proxy.seen() if e.injected})
    assert refused == [409, 429], f"the proxy refused with {refused} only: the test did not test both"
    check_interview(page, db, app_id, interview, shown, proxy)


def wait_until_a_write_passes(page, proxy: FaultProxy, after: int) -> int:
    """Until the proxy passed a transcript write on to the API after the first ``after`` it saw;
    returns how many transcript writes it has seen."""

    def passed() -> int:
        writes = [e for e in proxy.seen() if e.is_transcript_write]
        return len(writes) if any(not e.injected for e in writes[after:]) else 0

    return wait_for(passed, page, timeout_s=TURN_TIMEOUT_MS / 1000)


def test_the_database_paused_for_10_seconds(page, app, db, database):
    base, proxy = app
    proxy.reset()
    app_id = new_application(db)
    interview = Interview(page)
    interview.start(invite(base, app_id))
    interview.exchange()
    pause_database(database)
    paused = time.monotonic()
    try:
        interview.exchange()  # the interview goes on while the database does not answer
        page.wait_for_timeout(max(0.0, PAUSE_S - (time.monotonic() - paused)) * 1000)
    finally:
        resume_database(database)
    shown = interview.finish()
    check_interview(page, db, app_id, interview, shown, proxy)


def test_the_database_killed_and_restarted(page, app, db, database):
    base, proxy = app
    proxy.reset()
    app_id = new_application(db)
    interview = Interview(page)
    interview.start(invite(base, app_id))
    interview.exchange()
    kill_database(database)
    try:
        interview.exchange()  # the interview goes on while the database is gone
        page.wait_for_timeout(DOWN_AFTER_LAST_TURN_S * 1000)
    finally:
        restart_database(database)  # same port, same files
    interview.exchange()
    shown = interview.finish()
    check_interview(page, db, app_id, interview, shown, proxy)
