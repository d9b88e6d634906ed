"""The hiring team's review console (issue 18 §3, §5) in headless Chromium against the app in prod mode.

Sessions with scoring fields (contract C2) are seeded straight into the app's real database; the
console reads them through the real review API with a real reviewer token. The app runs with its
own database, so the empty state ("No interviews yet") is what a new deployment shows.
Tests run in file order: the first sees the empty database, the next ones seed it.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from pymongo import MongoClient

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.browser import PHONE, accessibility_violations, app_with, screenshot

pytestmark = pytest.mark.browser

REVIEWER_SECRET = "ui-tests-reviewer-secret-0123456789abcdefghijklmnop"
REVIEW_DB = f"review_{uuid.uuid4().hex[:8]}"
REVIEWER = "alice@example.com"
SOURCES = ("spoken", "typed", "page record, unverified", "offline, unverified")
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = window.__cspViolations || [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def review_url(shared_app, database, tmp_path_factory):
    env = {"INTERVIEW_REVIEWER_SECRET": REVIEWER_SECRET, "MONGODB_DB": REVIEW_DB}
    return app_with(shared_app, database, REVIEW_DB, tmp_path_factory, env)


@pytest.fixture(scope="module")
def review_db(browser_ui_db):
    with MongoClient(browser_ui_db.uri, tz_aware=True) as client:
        yield client[REVIEW_DB]


def reviewer_token(minutes: int = 60, now: datetime | None = None) -> str:
    moment = now or utcnow()
    return tokens.mint_reviewer_token(REVIEWER_SECRET, REVIEWER, moment, ttl=timedelta(minutes=minutes))[0]


def seed_application(db, name: str, job: str) -> str:
    app_id = f"app-{uuid.uuid4().hex[:10]}"
    db.applications.insert_one(
        {"_id": app_id, "userId": "cand-1", "jobTitle": job, "status": "interview_scheduled",
         "candidateProfile": {"fullName": name}}
    )  # fmt: skip
    return app_id


def turn(item_id: str, role: str, text: str, at: datetime, source: str, input_: str | None = None) -> dict:
    item = {"id": item_id, "role": role, "text": text, "at": at, "source": source}
    if input_:
        item["input"] = input_
    return item


def seed_scored_session(db, name: str, job: str, started: datetime) -> str:
    """A completed interview scored by the local scorer, its evidence pointing at the candidate's turns."""
    app_id = seed_application(db, name, job)
    session_id = f"sess-{uuid.uuid4().hex[:10]}"
    completed = started + timedelta(minutes=12, seconds=5)
    transcript = [
        turn("q1", "interviewer", "Tell me about a system you scaled.", started + timedelta(seconds=5), "provider"),
        turn(
            "a1", "candidate", "I sharded our Postgres cluster by tenant and cut p99 latency by half.",
            started + timedelta(seconds=40), "provider", "voice",
        ),
        turn("q2", "interviewer", "How did you roll it out?", started + timedelta(minutes=2), "provider"),
        turn(
            "a2", "candidate", "Behind a flag, one tenant at a time, with a dual-write period.",
            started + timedelta(minutes=3), "provider", "text",
        ),
        turn("a3", "candidate", "We also kept a rollback script ready.", started + timedelta(minutes=5), "client"),
        turn("a4", "candidate", "The outage drill went well.", started + timedelta(minutes=7), "offline"),
    ]  # fmt: skip
    # Enough turns that the evidence's turn is below the fold at first.
    transcript += [
        turn(f"f{i}", "interviewer", f"Follow-up question {i}.", started + timedelta(minutes=8, seconds=i), "provider")
        for i in range(12)
    ]
    dimensions = {
        "clarity": {"score": 80, "rationale": "Answers were structured and concrete.",
                    "evidence": [{"itemId": "a1", "quote": "cut p99 latency by half"}]},
        "correctness": {"score": 70, "rationale": "Sound approach to sharding.",
                        "evidence": [{"itemId": "a2", "quote": "one tenant at a time"}]},
        "depth": {"score": 60, "rationale": "Some trade-offs were left out.", "evidence": []},
    }  # fmt: skip
    db.interviewSessions.insert_one(
        {
            "sessionId": session_id,
            "applicationId": app_id,
            "candidateId": "cand-1",
            "candidateName": name,
            "jobTitle": job,
            "status": "completed",
            "startedAt": started,
            "lastActivityAt": completed,
            "completedAt": completed,
            "duration": 725,
            "endReason": "interview_complete",
            "metadata": {"deviceType": "desktop", "userAgent": "Mozilla/5.0 Chrome", "ipAddress": "203.0.113.7"},
            "consent": {"at": started, "noticeVersion": "2026-11"},
            "accommodationRequested": {"at": started, "note": "Please allow typed answers."},
            "events": [
                {"type": "session.started", "timestamp": started, "payload": {"deviceType": "desktop"}},
                {"type": "call.connected", "timestamp": started, "payload": {}},
                {"type": "session.completed", "timestamp": completed, "payload": {"reason": "interview_complete"}},
            ],
            "transcript": transcript,
            "transcriptVersion": len(transcript),
            "finalScore": 71,
            "scoreBreakdown": {"clarity": 80, "correctness": 70, "depth": 60},
            "scoring": {
                "status": "scored", "provider": "local", "model": "rubric-local", "rubricVersion": "r1",
                "promptVersion": "p1", "inputHash": "abc", "dimensions": dimensions,
                "summary": "A solid, concrete candidate.", "injectionAttempt": None, "attempts": 1,
                "queuedAt": completed, "scoredAt": completed, "reason": None, "transcriptVerified": False,
                "history": [],
            },
            "createdAt": started,
            "updatedAt": completed,
        }
    )  # fmt: skip
    return session_id


def seed_live_session(db, name: str, job: str, started: datetime) -> str:
    app_id = seed_application(db, name, job)
    session_id = f"sess-{uuid.uuid4().hex[:10]}"
    db.interviewSessions.insert_one(
        {
            "sessionId": session_id, "applicationId": app_id, "candidateId": "cand-1", "candidateName": name,
            "jobTitle": job, "status": "in_progress", "startedAt": started, "lastActivityAt": started,
            "metadata": {"deviceType": "mobile"}, "events": [], "transcript": [], "transcriptVersion": 0,
            "createdAt": started, "updatedAt": started,
        }
    )  # fmt: skip
    return session_id


def open_list(page, base: str, token: str | None = None) -> None:
    page.goto(f"{base}/review?token={token or reviewer_token()}")
    expect(page).to_have_url(re.compile(r"/review/?$"))  # the token left the address bar


def test_empty_console_and_link_errors_in_plain_words(page, review_url):
    open_list(page, review_url)
    expect(page.locator("#review-empty")).to_contain_text("No interviews yet")
    assert page.evaluate("sessionStorage.getItem('interview_reviewer_token')")
    screenshot(page, "review-01-empty")
    assert accessibility_violations(page) == []

    expired = reviewer_token(minutes=1, now=utcnow() - timedelta(hours=2))
    page.goto(f"{review_url}/review?token={expired}")
    expect(page.locator("#review-error")).to_have_text(re.compile("This link has expired"))
    screenshot(page, "review-02-expired")
    assert accessibility_violations(page) == []

    candidate = tokens.mint_session_token(REVIEWER_SECRET, "sess-x", "app-x", utcnow())[0]
    page.goto(f"{review_url}/review?token={candidate}")  # not a reviewer token (a session token)
    expect(page.locator("#review-error")).to_contain_text("not a reviewer link")

    fresh = page.context.browser.new_context()  # type: ignore[union-attr]
    try:
        other = fresh.new_page()
        other.goto(f"{review_url}/review")  # no link token, nothing in this tab
        expect(other.locator("#review-error")).to_contain_text("needs a reviewer link")
    finally:
        fresh.close()


def test_list_detail_evidence_decision_and_back(page, review_url, review_db):
    now = datetime.now(UTC).replace(microsecond=0)
    scored = seed_scored_session(review_db, "Jordan Rivera", "Platform Engineer", now - timedelta(hours=1))
    live = seed_live_session(review_db, "Sam Okafor", "Data Engineer", now - timedelta(minutes=3))
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)  # the chart and the helpers run under the CSP

    open_list(page, review_url)
    table = page.locator("#sessions-table")
    expect(table).to_contain_text("Jordan Rivera")
    expect(page.locator(f"#row-{live}")).to_contain_text("In progress")
    expect(page.locator("#count-in-progress")).to_have_text("1")
    expect(page.locator("#count-awaiting")).not_to_have_text("0")
    scored_row = page.locator(f"#row-{scored}")
    expect(scored_row).to_contain_text("71")
    expect(scored_row).to_contain_text("Awaiting decision")
    screenshot(page, "review-03-list")
    assert accessibility_violations(page) == []

    # The live row refreshes by itself (every 5 s) once the interview ends.
    review_db.interviewSessions.update_one(
        {"sessionId": live}, {"$set": {"status": "completed", "completedAt": now, "duration": 180}}
    )
    expect(page.locator(f"#row-{live}")).to_contain_text("Completed", timeout=12_000)

    # Filters: a search that matches nothing, then cleared.
    page.fill("#filter-q", "nobody-by-this-name")
    page.keyboard.press("Enter")
    expect(page.locator("#review-empty")).to_contain_text("No interviews match these filters")
    page.click("#clear-filters")
    expect(table).to_contain_text("Jordan Rivera")

    # Rows are links, and work by keyboard.
    scored_row.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/review/{scored}/?$"))
    expect(page.locator("#detail-candidate")).to_have_text("Jordan Rivera")
    expect(page.locator("#detail-role")).to_have_text("Platform Engineer")
    expect(page.locator("#detail-score")).to_have_text("71")
    expect(page.locator("#detail-duration")).to_have_text("12 min 5 s")
    expect(page.locator("#detail-decision")).to_have_text("Awaiting decision")
    expect(page.locator("#uncalibrated")).to_have_text("uncalibrated")
    chart = page.locator("#score-chart")
    expect(chart).to_have_attribute("aria-label", "Scores out of 100: Clarity 80, Correctness 70, Depth 60")
    expect(chart.locator(".recharts-bar-rectangle")).to_have_count(3)
    expect(page.locator("#score-numbers")).to_have_text("Scores out of 100: Clarity 80, Correctness 70, Depth 60")
    expect(page.locator("#dimension-clarity")).to_contain_text("Answers were structured and concrete.")
    for badge in SOURCES:
        expect(page.locator("#transcript .source-badge", has_text=re.compile(f"^{badge}$"))).not_to_have_count(0)
    viewed = review_db.interviewSessions.find_one({"sessionId": scored})["events"][-1]  # this visit, by the API
    assert (viewed["type"], viewed["payload"]["by"]) == ("review.viewed", REVIEWER)
    expect(page.locator("#detail-consent")).to_contain_text("2026-11")
    expect(page.locator("#detail-accommodation")).to_contain_text("Please allow typed answers.")
    expect(page.get_by_text("203.0.113.7")).to_be_visible()

    # Clicking an evidence quote scrolls to its turn and highlights it.
    target = page.locator("#turn-a2")
    expect(target).not_to_have_class(re.compile("review-turn--highlighted"))
    page.get_by_role("button", name=re.compile("one tenant at a time")).click()
    expect(target).to_have_class(re.compile("review-turn--highlighted"))
    expect(target).to_be_in_viewport()
    expect(target).to_be_focused()
    screenshot(page, "review-04-detail-evidence")
    assert page.evaluate("window.__cspViolations") == []
    assert accessibility_violations(page) == []

    # A reject without a note is refused by the API, in words; with a note it is saved.
    page.click("#decision-reject")
    page.click("#save-decision")
    expect(page.locator("#decision-error")).to_contain_text(re.compile("note", re.IGNORECASE))
    screenshot(page, "review-05-decision-refused", full_page=False)
    assert accessibility_violations(page) == []
    page.fill("#decision-note", "Strong, but the role needs more depth on trade-offs.")
    page.click("#save-decision")
    expect(page.locator("#decision-saved")).to_contain_text("Reject")
    expect(page.locator("#detail-decision")).to_contain_text(f"Reject by {REVIEWER}")
    expect(page.locator("#timeline")).to_contain_text("Decided")
    expect(page.locator("#timeline")).to_contain_text(f"Viewed · by {REVIEWER}")
    stored = review_db.interviewSessions.find_one({"sessionId": scored})
    assert stored["review"]["decision"] == "reject"
    assert stored["review"]["by"] == REVIEWER

    # Back to the list: it shows the decision.
    page.click("#back-to-list")
    expect(page).to_have_url(re.compile(r"/review/?$"))
    expect(page.locator(f"#row-{scored} .decision-cell")).to_have_text("Reject")
    screenshot(page, "review-05b-list-decided")


def test_console_works_on_a_phone(browser, review_url, review_db):
    now = datetime.now(UTC).replace(microsecond=0)
    scored = seed_scored_session(review_db, "Ana Lima", "Backend Engineer", now - timedelta(minutes=30))
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        open_list(page, review_url)
        expect(page.locator(f"#row-{scored}")).to_contain_text("Ana Lima")
        screenshot(page, "review-06-list-phone")
        assert accessibility_violations(page) == []
        page.locator(f"#row-{scored}").get_by_role("link").click()
        expect(page.locator("#detail-candidate")).to_have_text("Ana Lima")
        page.get_by_role("button", name=re.compile("cut p99 latency by half")).click()
        expect(page.locator("#turn-a1")).to_be_in_viewport()
        screenshot(page, "review-07-detail-phone")
        assert accessibility_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    finally:
        context.close()


def test_detail_of_a_live_interview_and_of_an_unknown_one(page, review_url, review_db):
    live = seed_live_session(review_db, "Lee Park", "QA Engineer", datetime.now(UTC) - timedelta(minutes=1))
    page.goto(f"{review_url}/review/{live}?token={reviewer_token()}")  # a link straight to one interview
    expect(page.locator("#detail-candidate")).to_have_text("Lee Park")
    expect(page).to_have_url(re.compile(f"/review/{live}/?$"))  # the token left the address bar here too
    expect(page.locator("#detail-status")).to_have_text("In progress")
    expect(page.locator("#decision-wait")).to_contain_text("still in progress")
    expect(page.locator("#save-decision")).to_be_disabled()
    expect(page.locator("#scoring-status")).to_have_text("Not scored")
    screenshot(page, "review-08-detail-live")
    assert accessibility_violations(page) == []

    page.goto(f"{review_url}/review/sess-does-not-exist")  # the token is in this tab's sessionStorage now
    expect(page.locator("#review-error")).to_have_text("No interview with this id. It may have been mistyped.")
    screenshot(page, "review-09-not-found")
    assert accessibility_violations(page) == []


def test_filter_and_page_through_older_interviews(page, review_url, review_db):
    job = f"Pager Role {uuid.uuid4().hex[:6]}"
    start = datetime.now(UTC) - timedelta(days=2)
    ids = [seed_live_session(review_db, f"Paged {i:02d}", job, start + timedelta(minutes=i)) for i in range(26)]
    review_db.interviewSessions.update_many({"jobTitle": job}, {"$set": {"status": "completed", "duration": 60}})
    open_list(page, review_url)
    page.fill("#filter-q", job.lower())  # case-insensitive
    page.select_option("#filter-status", "completed")
    page.click("#apply-filters")
    rows = page.locator("#sessions-table tbody tr")
    expect(rows).to_have_count(25)
    expect(rows.first).to_contain_text("Paged 25")  # newest first
    page.click("#older-page")
    expect(rows).to_have_count(1)
    expect(page.locator(f"#row-{ids[0]}")).to_contain_text("Paged 00")
    page.get_by_role("button", name="Newer").click()
    expect(rows).to_have_count(25)
    expect(page.locator("#count-completed")).to_have_text("26")  # the counts cover the whole filter
