"""Closing the tab loses nothing (issue 15 A2), in headless Chromium against the app in prod mode.

A candidate closes the tab in the middle of an offline interview. The app is stopped too, so that
nothing but the browser remembers the interview (as after a restart, or on another day), then it
comes back with the API, on the same address. Opening the same link again uploads the interview:
every turn the page showed is stored exactly once, in one session, reconciled with its grant.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from interview_app.storage.embedded import free_port
from tests.support.app_server import running_app
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    assert_accessible,
    invite,
    new_application,
    open_ready,
    screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser

GREETING = "welcome to your interview"  # offline, the interviewer does not know the role
TURNS = ".feed-item--interviewer, .feed-item--candidate"


def kept_turns(page, app_id: str) -> list[dict]:
    value = page.evaluate(f"() => localStorage.getItem('interview-kept:{app_id}')")
    return json.loads(value)["turns"] if value else []


def test_a_tab_closed_mid_offline_interview_is_stored_when_the_link_opens_again(
    browser, database, db, db_name, tmp_path
):
    app_id, port = new_application(db), free_port()  # the same address twice: one origin, one localStorage
    for name in ("before", "after"):
        (tmp_path / name).mkdir()
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        page = context.new_page()
        with running_app(database.uri, db_name, tmp_path / "before", port=port) as base:
            open_ready(page, invite(base, app_id))
            database.stop()
            page.click("#start-interview")
            expect(page.locator("#offline-banner")).to_contain_text("Running in offline mode", timeout=LIVE_TIMEOUT_MS)
            expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
            expect(page.locator("#interview-feed")).to_contain_text(GREETING, timeout=10_000)
            page.wait_for_timeout(3_000)  # a little more of the interview
            shown = wait_for(
                lambda: (n := page.locator(TURNS).count()) and len(kept_turns(page, app_id)) == n and n, page
            )
            kept = kept_turns(page, app_id)
            page.close()  # mid-interview: no end, and the API never heard of it
        # The app is gone with its page state (and its sync): only the browser remembers the interview.
        database.start()
        with running_app(database.uri, db_name, tmp_path / "after", port=port) as base:
            page = context.new_page()
            open_ready(page, invite(base, app_id))

            def uploaded():
                session = db.interviewSessions.find_one({"applicationId": app_id})
                return session if session and len(session.get("transcript", [])) >= shown else None

            session = wait_for(uploaded, page, timeout_s=30)
            wait_for(lambda: not kept_turns(page, app_id), page)  # cleared once the API has it
            start = page.locator("#start-interview")
            expect(start).to_have_text("Resume interview", timeout=15_000)
            expect(page.locator("#interview-feed")).to_contain_text(GREETING)
            screenshot(page, "28-kept-interview-uploaded")
            assert_accessible(page, "kept interview uploaded, desktop")
            page.set_viewport_size(PHONE["viewport"])
            assert_accessible(page, "kept interview uploaded, phone")
    finally:
        context.close()
        database.start()
    stored = [item["id"] for item in session["transcript"]]
    assert sorted(stored) == sorted(turn["id"] for turn in kept) and len(stored) == shown  # each exactly once
    assert session["metadata"]["offline"] is True
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1
