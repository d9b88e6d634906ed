"""Resume when the API is down (issue 8, points 2 and 7), in headless Chromium against the app in prod mode.

A refresh during an offline interview loses none of it, and a tab whose page state the backend
lost (a restart without Redis) goes on in its own session from its sessionStorage copy. Each test
takes the database down and brings it back.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    assert_accessible,
    end_via_confirmation,
    invite,
    new_application,
    open_ready,
    record_call_tokens,
    screenshot,
    stored_session,
    wait_for,
    wait_until_healthy,
)

pytestmark = pytest.mark.browser

GREETING = "welcome to your interview"  # offline, the interviewer does not know the role


def back_online(page, app_url, database) -> None:
    database.start()
    wait_until_healthy(app_url, page)


def test_a_refresh_during_an_offline_interview_loses_none_of_it(page, app_url, db, database):
    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    feed, start = page.locator("#interview-feed"), page.locator("#start-interview")
    calls_placed_with = record_call_tokens(page)
    database.stop()
    try:
        start.click()
        expect(page.locator("#offline-banner")).to_contain_text("Running in offline mode", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(feed).to_contain_text(GREETING, timeout=10_000)

        page.reload()
        expect(start).to_have_text("Resume interview", timeout=15_000)
        expect(start).to_be_enabled(timeout=15_000)
        expect(feed).to_contain_text(GREETING)  # what was said offline is still there
        expect(page.locator("#offline-banner")).to_contain_text("Running in offline mode")
        expect(page.locator("#interview-status")).to_have_text("Your interview is paused. Resume when you're ready.")
        screenshot(page, "26-offline-interview-after-a-refresh")
        assert_accessible(page, "offline interview after a refresh, desktop")
        page.set_viewport_size(PHONE["viewport"])
        screenshot(page, "26-offline-interview-after-a-refresh-phone")
        assert_accessible(page, "offline interview after a refresh, phone")
        page.set_viewport_size({"width": 1280, "height": 860})

        start.click()  # the API is still down: on it goes, offline
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        assert len(calls_placed_with) == 2 and calls_placed_with[0] == calls_placed_with[1]  # the same offline grant
        back_online(page, app_url, database)
        end_via_confirmation(page)
        expect(page.locator("#offline-banner")).to_contain_text("Back online: your interview is saved", timeout=40_000)
    finally:
        database.start()
    session = wait_for(lambda: db.interviewSessions.find_one({"applicationId": app_id, "status": "completed"}), page)
    assert session["metadata"]["offline"] is True
    # the greeting heard before the refresh (cut short by it) and the one after the offline Resume
    greetings = [item for item in session["transcript"] if GREETING in item["text"]]
    assert len(greetings) == 2, session["transcript"]
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1


def test_a_tab_whose_page_state_was_lost_resumes_its_own_session_while_the_api_is_down(page, app_url, db, database):
    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    clicked = time.time()  # the interview's clock starts at Start, not while the page loads
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#interview-feed")).to_contain_text(GREETING, timeout=10_000)
    saved = stored_session(page, app_id)
    wait_for(lambda: db.interviewSessions.find_one({"applicationId": app_id}).get("transcript"), page)
    calls_placed_with = record_call_tokens(page)
    database.stop()
    try:
        # A backend restart without Redis forgets every tab: as if this tab were new to it.
        page.evaluate("() => sessionStorage.removeItem('token')")
        page.reload()
        start = page.locator("#start-interview")
        expect(start).to_have_text("Resume interview", timeout=15_000)
        expect(start).to_be_enabled(timeout=15_000)
        start.click()
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#offline-banner")).to_contain_text("Running in offline mode")
        minutes, seconds = (int(part) for part in (page.locator("#elapsed-time").text_content() or "").split(":"))
        assert minutes * 60 + seconds >= int(time.time() - clicked) - 2  # the interview's clock, not a new one
        screenshot(page, "27-resumed-from-the-tabs-copy")
        assert calls_placed_with == [saved["token"]]  # the session's own token, not an offline grant

        back_online(page, app_url, database)
        end_via_confirmation(page)
        expect(page.locator("#offline-banner")).to_contain_text("Back online: your interview is saved", timeout=40_000)
    finally:
        database.start()
    wait_for(lambda: db.interviewSessions.find_one({"sessionId": saved["sessionId"], "status": "completed"}), page)
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1
    assert page.evaluate(f"() => sessionStorage.getItem('interview:{app_id}')") is None  # nothing left to resume
