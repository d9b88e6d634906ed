"""The notice, the consent checkbox and the accommodation request on the real page (issue 17 §4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interview_app.domain import notice
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    agree_to_notice,
    assert_accessible,
    invite,
    new_application,
    screenshot,
    wait_for,
)

pytestmark = pytest.mark.browser


def open_preview(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#interview-phase")).to_have_text("idle")
    expect(page.locator("#mic-status")).to_be_visible(timeout=15_000)


def test_start_waits_for_consent_and_the_session_stores_it(page, app_url, db):
    app_id = new_application(db)
    open_preview(page, invite(app_url, app_id))
    text = page.locator("#notice")
    for phrase in ("AI interviewer runs this interview", "transcript", "No video and no audio", "accent", "A person"):
        expect(text).to_contain_text(phrase)
    start, consent = page.locator("#start-interview"), page.locator("#consent")
    expect(consent).not_to_be_checked()
    page.wait_for_timeout(500)  # the microphone is ready: only the consent holds Start back
    expect(start).to_be_disabled()
    assert_accessible(page, "preview with the notice")
    screenshot(page, "consent-01-notice")
    consent.click()
    expect(consent).to_be_checked()
    expect(start).to_be_enabled()
    consent.click()
    expect(consent).not_to_be_checked()
    expect(start).to_be_disabled()
    page.click("label:has(#consent)")  # the label's words tick it too
    expect(consent).to_be_checked()
    start.click()
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    session = db.interviewSessions.find_one({"applicationId": app_id})
    assert session["consent"]["noticeVersion"] == notice.NOTICE_VERSION
    assert [e["payload"] for e in session["events"] if e["type"] == "consent.given"] == [
        {"noticeVersion": notice.NOTICE_VERSION}
    ]


def test_an_accommodation_request_says_what_happens_next_and_start_still_works(page, app_url, db):
    app_id = new_application(db)
    open_preview(page, invite(app_url, app_id))
    page.click("#request-accommodation")
    page.fill("#accommodation-note", "I am hard of hearing; a written interview would suit me.")
    assert_accessible(page, "accommodation form")
    page.click("#send-accommodation")
    sent = page.locator("#accommodation-sent")
    expect(sent).to_contain_text("A person will contact you")
    expect(sent).to_contain_text("you can still start it")
    screenshot(page, "consent-02-accommodation-sent")
    session = db.interviewSessions.find_one({"applicationId": app_id})
    assert session["accommodationRequested"]["note"] == "I am hard of hearing; a written interview would suit me."
    assert "consent" not in session  # asking for another way is not agreeing to the AI interview
    agree_to_notice(page)
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    wait_for(lambda: "consent" in db.interviewSessions.find_one({"sessionId": session["sessionId"]}), page)
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1  # the same session, resumed


def test_the_notice_and_consent_fit_a_phone(browser, app_url, db):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        open_preview(page, invite(app_url, new_application(db)))
        expect(page.locator("#notice")).to_be_visible()
        page.click("#request-accommodation")
        assert_accessible(page, "phone preview")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        screenshot(page, "consent-03-phone")
        agree_to_notice(page)
        expect(page.locator("#start-interview")).to_be_enabled()
    finally:
        context.close()
