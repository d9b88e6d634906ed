"""A long interview outlives its session tokens (issue 8, point 4), in headless Chromium against the app in prod mode.

The app runs with 15-second session tokens (``INTERVIEW_SESSION_TOKEN_SECONDS``), so the renewals of
a long interview (every 25 minutes with the default 30-minute tokens) happen within seconds here.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from interview_app.domain import tokens
from tests.support.app_server import SESSION_SECRET
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    app_with,
    invite,
    new_application,
    record_call_tokens,
    screenshot,
    start_live,
    stored_session,
    take_over_call,
    watch_phases,
)

pytestmark = pytest.mark.browser

TOKEN_SECONDS = 15


@pytest.fixture
def app_url(shared_app, database, db_name, tmp_path_factory):
    env = {"INTERVIEW_SESSION_TOKEN_SECONDS": str(TOKEN_SECONDS)}
    return app_with(shared_app, database, db_name, tmp_path_factory, env)


def test_the_call_outlives_its_first_token_and_reconnects_with_the_newest(page, app_url, db):
    app_id = new_application(db)
    calls_placed_with = record_call_tokens(page)
    start_live(page, invite(app_url, app_id))
    watch_phases(page)
    first = stored_session(page, app_id)["token"]
    first_claims = tokens.verify_session_token(SESSION_SECRET, first)
    assert first_claims["exp"] - first_claims["iat"] == TOKEN_SECONDS

    # renewed through start-session a third of its life before it expires; the tab's copy follows
    page.wait_for_function(
        f"() => JSON.parse(sessionStorage.getItem('interview:{app_id}')).token !== {first!r}",
        timeout=TOKEN_SECONDS * 1000,
    )
    page.wait_for_timeout((first_claims["exp"] + 1.5 - time.time()) * 1000)
    # the server did not hang up at the first token's expiry: the heartbeat presented the new one
    expect(page.locator("#interview-phase")).to_have_text("live")
    assert page.evaluate("() => window.__phases") == []  # never dropped, never re-placed

    newest = stored_session(page, app_id)["token"]
    take_over_call(app_url, newest)  # the connection drops after the first token has expired
    page.wait_for_function("() => window.__phases.includes('reconnecting')", timeout=10_000)
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#status-note")).to_have_text("Reconnected")  # issue 20 item 10: not in the feed
    screenshot(page, "25-reconnected-with-a-renewed-token")

    assert len(calls_placed_with) == 2 and calls_placed_with[0] == first  # renewals never re-placed the call
    reconnect = tokens.verify_session_token(SESSION_SECRET, calls_placed_with[-1])  # not expired, unlike the first
    assert reconnect["sessionId"] == first_claims["sessionId"] and calls_placed_with[-1] != first
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1
