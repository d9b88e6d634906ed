"""An interview while one of the two ``make prod`` workers is killed (issue 15 A3).

The app runs as ``make prod`` does (``interview_app.cli.prod``: two granian workers, Reflex state
in the local redis-server it starts), behind the recording fault proxy. The worker killed is the one
holding the candidate's call (found by the UDP port of its SDP answer), so the fault always hits.
"""

from __future__ import annotations

import os
import signal

import httpx
import pytest

from tests.support.browser import invite, new_application
from tests.support.faults import answer_ports, app_behind_proxy, process_holding_udp_port
from tests.support.scripted_interview import Interview, check_interview

pytestmark = pytest.mark.browser

CALLS = "/api/interview/realtime/calls"


@pytest.fixture(scope="module")
def prod(database, db_name, tmp_path_factory):
    with app_behind_proxy(database.uri, db_name, tmp_path_factory.mktemp("app"), workers=2) as (base, proxy):
        yield base, proxy


def app_state(base: str) -> str:
    try:
        return f"answers /ping with {httpx.get(f'{base}/ping', timeout=2).status_code}"
    except httpx.HTTPError as exc:
        return f"does not answer at all ({type(exc).__name__}): make prod stopped"


def worker_holding_the_call(proxy) -> int:
    answers = [e for e in proxy.seen() if e.method == "POST" and e.path == CALLS and e.status == 201]
    assert answers, "no call was answered"
    ports = answer_ports(answers[-1].response_body.decode())
    holders = {process_holding_udp_port(port) for port in ports} - {None}
    assert len(holders) == 1 and os.getpid() not in holders, (ports, holders)
    return holders.pop()  # pyright: ignore[reportReturnType]


def test_one_of_two_workers_killed(page, prod, db):
    base, proxy = prod
    proxy.reset()
    app_id = new_application(db)
    interview = Interview(page)
    interview.start(invite(base, app_id))
    interview.exchange()
    os.kill(worker_holding_the_call(proxy), signal.SIGKILL)
    try:
        interview.exchange()  # the page places its call again, on a worker that is alive
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n\nthe app {app_state(base)} after one worker was killed") from None
    shown = interview.finish()
    check_interview(page, db, app_id, interview, shown, proxy)
