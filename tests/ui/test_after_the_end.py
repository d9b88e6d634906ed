"""After the end (issue 20 §11): the completion screen survives a reload, and "submitted" is said once.

Real Chromium against the app in prod mode. The duration the screen shows is the one the server
stored (``duration``, whole seconds from ``startedAt``), before and after a reload, also when the
tab's page state is gone (Reflex drops it after an hour; a phone discards a background tab): the
page then reads it back from the API with the candidate token the tab keeps.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interview_app.ui import feed
from tests.support.browser import (
    agree_to_notice,
    assert_accessible,
    end_via_confirmation,
    invite,
    new_application,
    screenshot,
    start_live,
    stored_session,
    wait_for,
)

pytestmark = pytest.mark.browser

# Every text node of the page's body that speaks of the submission, in document order.
SUBMITTED_TEXT_NODES = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
        if (/submitted/i.test(walker.currentNode.textContent)) found.push(walker.currentNode.textContent.trim());
    }
    return found;
}"""


def forget_page_state(page) -> None:
    """What happens when the server no longer holds this tab's page state: a new Reflex client token,
    while the tab's own sessionStorage (the candidate token) stays."""
    page.evaluate("() => sessionStorage.removeItem('token')")


def ended_interview(page, app_url: str, db) -> tuple[str, str]:
    """An interview of a new application ended in ``page``: its id and the stored duration as the
    screen shows it (``mm:ss``)."""
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    session_id = stored_session(page, app_id)["sessionId"]
    page.wait_for_timeout(2_100)  # a duration of a few seconds, not 0:00
    end_via_confirmation(page)
    session = wait_for(lambda: db.interviewSessions.find_one({"sessionId": session_id, "status": "completed"}), page)
    assert session["duration"] >= 2
    return app_id, feed.mm_ss(session["duration"])


def test_reloading_the_completion_screen_keeps_the_stored_duration(page, app_url, db):
    app_id, duration = ended_interview(page, app_url, db)
    shown = page.locator("#completion-duration")
    expect(shown).to_have_text(duration, timeout=10_000)
    answered = page.locator("#completion-answered").text_content()

    page.reload()
    expect(shown).to_have_text(duration)
    expect(page.locator("#completion-answered")).to_have_text(answered or "0")

    forget_page_state(page)
    page.reload()
    expect(page.locator("#completion")).to_contain_text("Interview submitted")
    expect(shown).to_have_text(duration)  # read from the API, not from the page's memory
    expect(page.locator("#completion-answered")).to_have_text(answered or "0")
    assert page.url.endswith(f"/interview/{app_id}/complete")
    screenshot(page, "after-01-completion-reloaded")
    assert_accessible(page, "completion after a reload, desktop")


def test_reloading_the_completion_screen_on_a_phone(phone_page, app_url, db):
    page = phone_page
    _, duration = ended_interview(page, app_url, db)
    forget_page_state(page)
    page.reload()
    expect(page.locator("#completion-duration")).to_have_text(duration)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    screenshot(page, "after-02-completion-reloaded-phone")
    assert_accessible(page, "completion after a reload, phone")


def assert_said_once(page) -> None:
    expect(page.locator("#interview-error")).to_have_text(
        "Interview already submitted. Thank you, there is nothing more to do."
    )
    expect(page.locator("#view-score")).to_be_visible()
    found = page.evaluate(SUBMITTED_TEXT_NODES)
    assert found == ["Interview already submitted. Thank you, there is nothing more to do."], found


def test_already_submitted_is_said_once(page, app_url, db):
    app_id = new_application(db, status="interview_completed")
    page.goto(invite(app_url, app_id))
    assert_said_once(page)
    expect(page.locator("#start-interview")).to_have_count(0)
    screenshot(page, "after-03-already-submitted")
    assert_accessible(page, "already submitted, desktop")


def test_already_submitted_is_said_once_on_a_phone(phone_page, app_url, db):
    page = phone_page
    app_id = new_application(db, status="interview_completed")
    page.goto(invite(app_url, app_id))
    assert_said_once(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(page, "after-04-already-submitted-phone")
    assert_accessible(page, "already submitted, phone")


def test_back_from_the_completion_screen_says_submitted_once(page, app_url, db):
    ended_interview(page, app_url, db)
    page.go_back()
    assert_said_once(page)


def test_submitted_elsewhere_while_the_preview_was_open_says_it_once(page, app_url, db):
    """Start refused because the interview was submitted meanwhile (another tab): the submitted
    screen, not a red error beside a status line."""
    app_id = new_application(db)
    page.goto(invite(app_url, app_id))
    expect(page.locator("#interview-phase")).to_have_text("idle")
    agree_to_notice(page)
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)
    db.applications.update_one({"_id": app_id}, {"$set": {"status": "interview_completed"}})
    page.click("#start-interview")
    assert_said_once(page)
    expect(page.locator("#start-interview")).to_have_count(0)
