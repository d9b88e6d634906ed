"""The score screen (issue 17 §6) in Chromium, each state seeded as the scorer stores it (C2).

The scorer is another branch's: these tests write its fields into the real database directly,
including while the page polls (pending -> scored).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from interview_app.domain import notice
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    assert_accessible,
    end_via_confirmation,
    invite,
    new_application,
    screenshot,
    start_live,
)
from tests.support.scores import QUESTION, score_fields, scoring

pytestmark = pytest.mark.browser


def submitted_interview(db, status: str | None = None, consent: bool = True, **extra) -> str:
    """An application whose interview is completed, with the scorer's fields of ``status``."""
    app_id = new_application(db, status="interview_completed")
    now = datetime.now(UTC)
    doc = {
        "sessionId": str(uuid.uuid4()),
        "applicationId": app_id,
        "candidateId": "cand-1",
        "status": "completed",
        "startedAt": now - timedelta(minutes=12),
        "completedAt": now,
        "lastActivityAt": now,
        "createdAt": now - timedelta(minutes=12),
        "endReason": "candidate_ended",
        "duration": 720,
        "metadata": {},
        "events": [],
        "transcript": [],
        "transcriptVersion": 0,
    }
    if consent:
        doc["consent"] = {"at": now, "noticeVersion": notice.NOTICE_VERSION}
    if status is not None:
        doc |= score_fields(status, **extra)
    db.interviewSessions.insert_one(doc)
    return app_id


def open_score_from_invite(page, base: str, app_id: str) -> None:
    """A fresh tab: the invite link says it is submitted and links to the score."""
    page.goto(invite(base, app_id))
    page.click("#view-score")
    expect(page).to_have_url(f"{base}/interview/{app_id}/score")


def test_pending_then_scored_while_the_page_polls(page, app_url, db):
    # A retry not yet due (``notBefore``): the app's own scorer leaves it alone while the test moves it
    # along (the scorer runs in every app process since the merge; "running" without a lease is not claimed).
    app_id = submitted_interview(db, "pending", notBefore=datetime.now(UTC) + timedelta(hours=1))
    open_score_from_invite(page, app_url, app_id)
    status = page.locator("#score-status")
    expect(status).to_have_text("Scoring your interview… usually under a minute.")
    assert_accessible(page, "score pending")
    screenshot(page, "score-01-pending")
    db.interviewSessions.update_one({"applicationId": app_id}, {"$set": {"scoring": scoring("running")}})
    expect(page.locator("#score-state")).to_have_text("running", timeout=5_000)
    db.interviewSessions.update_one({"applicationId": app_id}, {"$set": score_fields("scored")})
    expect(page.locator("#final-score")).to_have_text("70", timeout=6_000)
    table = page.locator("#score-table")
    for label, value in (("Clarity", "80"), ("Correctness", "70"), ("Depth", "61")):
        expect(table.locator("tr", has_text=label)).to_contain_text(value)
    chart = page.locator("#score-chart")
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("aria-label", "Bar chart of your scores: Clarity 80 out of 100, "
                                    "Correctness 70 out of 100, Depth 61 out of 100")  # fmt: skip
    expect(chart.locator(".recharts-bar-rectangle")).to_have_count(3)
    clarity = page.locator("#dimension-clarity")
    expect(clarity).to_contain_text("The answer is structured")
    expect(clarity).to_contain_text("I designed a queue")
    expect(clarity).to_contain_text(QUESTION)
    expect(page.locator("#score-summary")).to_contain_text("A clear answer")
    expect(page.locator("#score-local")).to_have_count(0)
    expect(page.locator("#score-unverified")).to_have_count(0)
    assert_accessible(page, "score scored")
    screenshot(page, "score-02-scored")
    page.reload()  # works after a refresh
    expect(page.locator("#final-score")).to_have_text("70", timeout=10_000)


def test_a_local_unverified_score_says_so_on_a_phone(browser, app_url, db):
    app_id = submitted_interview(db, "scored", provider="local", transcriptVerified=False)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        open_score_from_invite(page, app_url, app_id)
        expect(page.locator("#final-score")).to_have_text("70", timeout=10_000)
        expect(page.locator("#score-local")).to_have_text("Estimated locally, not an AI assessment")
        expect(page.locator("#score-unverified")).to_contain_text("recorded by your browser")
        assert_accessible(page, "phone score")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the score screen scrolls sideways on a phone ({width}px)"
        screenshot(page, "score-03-phone-local-unverified")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("status", "consent", "words"),
    [
        ("insufficient", True, "there wasn't enough in your answers"),
        ("failed", True, "technical problem on our side"),
        ("not_consented", False, "not scored automatically"),
    ],
)
def test_unscored_states_are_said_plainly(page, app_url, db, status, consent, words):
    app_id = submitted_interview(db, status, consent=consent)
    open_score_from_invite(page, app_url, app_id)
    expect(page.locator("#score-status")).to_contain_text(words, timeout=10_000)
    expect(page.locator("#score-status")).to_contain_text("hiring team")
    if status != "not_consented":
        expect(page.locator("#score-status")).to_contain_text("not a score of zero")
    if status == "insufficient":
        expect(page.locator("#score-reason")).to_have_text("Fewer than two of your answers were long enough to judge.")
    expect(page.locator("#final-score")).to_have_count(0)
    assert_accessible(page, f"score {status}")
    screenshot(page, f"score-04-{status}")


def test_the_completion_screen_links_to_the_score_of_the_interview_just_ended(page, app_url, db):
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    end_via_confirmation(page)
    page.click("#view-score")
    expect(page).to_have_url(f"{app_url}/interview/{app_id}/score")
    # The app's own scorer (local judge) takes the end at once: an interview without an answer is
    # ``insufficient``, and the page polls its way there (a scored one: tests/ui/test_scored_interview.py).
    expect(page.locator("#score-state")).to_have_text("insufficient", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#score-reason")).to_have_text("Your answers held too few words in all to judge.")
    expect(page.locator("#final-score")).to_have_count(0)
