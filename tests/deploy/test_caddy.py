"""The whole interview through ``deploy/Caddyfile`` in front of ``make prod`` (two workers, Redis).

The browser reaches Caddy through a relay that connects from 127.0.0.5, so the candidate's
address differs from Caddy's (127.0.0.1, the only trusted proxy): the stored ``ipAddress`` must
be the browser's. Were the app to record its peer, or ignore the trusted proxy's
``X-Forwarded-For``, it would store 127.0.0.1 and this test would fail.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pymongo import MongoClient

from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT, running_app
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    end_via_confirmation,
    invite,
    new_application,
    open_ready,
    screenshot,
    wait_for,
)
from tests.support.cache_headers import assert_cache_headers
from tests.support.caddy import running_caddy
from tests.support.tcp_relay import tcp_relay

pytestmark = pytest.mark.browser

CANDIDATE_ADDRESS = "127.0.0.5"
LOCKFILE = ROOT / "reflex.lock" / "package.json"


def test_interview_through_caddy_records_the_browsers_address(page, ui_db, db_name, tmp_path_factory):
    lockfile_before = LOCKFILE.read_bytes()
    work = tmp_path_factory.mktemp("caddy")
    public_port = free_port()
    public = f"http://127.0.0.1:{public_port}"
    env = {"INTERVIEW_TRUSTED_PROXIES": "127.0.0.1/32"}
    with (
        running_app(ui_db.uri, db_name, tmp_path_factory.mktemp("app"), env, public_url=public, workers=2) as direct,
        running_caddy(direct.removeprefix("http://"), work) as proxy,
        tcp_relay(public_port, int(proxy.rsplit(":", 1)[1]), CANDIDATE_ADDRESS),
        MongoClient(ui_db.uri, tz_aware=True) as client,
    ):
        assert_cache_headers(proxy)  # issue 20 §13: the same caching through Caddy (which compresses)
        db = client[db_name]
        app_id = new_application(db, job_title="Site Reliability Engineer")
        requests, sockets = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("websocket", lambda socket: sockets.append(socket.url))
        open_ready(page, invite(public, app_id))
        page.click("#start-interview")
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-feed")).to_contain_text("Site Reliability Engineer", timeout=10_000)
        screenshot(page, "deploy-01-live-through-caddy")
        end_via_confirmation(page)

        # The end API is called by the page's backend right after the confirmation.
        session = wait_for(
            lambda: db.interviewSessions.find_one({"applicationId": app_id, "status": "completed"}), page
        )
        assert session["metadata"]["ipAddress"] == CANDIDATE_ADDRESS
        signaling = [url for url in requests if "/api/interview/realtime/calls" in url]
        assert signaling and all(url.startswith(public) for url in signaling)  # offer and hang-up via Caddy
        assert sockets and all(url.startswith(f"ws://127.0.0.1:{public_port}/") for url in sockets)
    assert LOCKFILE.read_bytes() == lockfile_before  # running the app leaves tracked files alone
