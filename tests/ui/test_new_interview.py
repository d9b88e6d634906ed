"""``/review/new`` (issue 20 §5) in headless Chromium against the app in prod mode: a recruiter fills
the form, watches the candidate's preview change, creates the interview through the real API, copies
the link, and the candidate opens it. Desktop and 390x844, axe clean, screenshots saved.

The app runs with the review console's configuration (``test_review_console.py``), so a run that has
both modules starts it once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import accessibility_violations, app_with, screenshot
from tests.ui.test_review_console import REVIEW_DB, REVIEWER, REVIEWER_SECRET, reviewer_token

pytestmark = pytest.mark.browser

QUESTIONS = "Tell me about a customer you kept.\n\nHow do you plan a renewal?\nWhat would you change in our onboarding?"


@pytest.fixture
def review_url(shared_app, database, tmp_path_factory):
    env = {"INTERVIEW_REVIEWER_SECRET": REVIEWER_SECRET, "MONGODB_DB": REVIEW_DB}
    return app_with(shared_app, database, REVIEW_DB, tmp_path_factory, env)


@pytest.fixture
def review_db(browser_ui_db):
    from pymongo import MongoClient

    with MongoClient(browser_ui_db.uri, tz_aware=True) as client:
        yield client[REVIEW_DB]


def open_form_from_the_list(page, base: str) -> None:
    page.goto(f"{base}/review?token={reviewer_token()}")
    expect(page).to_have_url(re.compile(r"/review/?$"))
    page.get_by_role("link", name="New interview").click()
    expect(page).to_have_url(re.compile(r"/review/new/?$"))
    expect(page.get_by_role("heading", name="New interview")).to_be_visible()


def test_create_an_interview_copy_its_link_and_open_it(page, browser, review_url, review_db):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=review_url)
    open_form_from_the_list(page, review_url)
    expect(page.locator("#preview-title")).to_have_text("Job title")
    expect(page.locator("#preview-suggested")).to_be_visible()

    # The preview follows the form as it is typed.
    page.fill("#new-job_title", "Customer Success Manager")
    expect(page.locator("#preview-title")).to_have_text("Customer Success Manager")
    page.fill("#new-questions", QUESTIONS)
    expect(page.locator("#preview-length")).to_have_text("About 6 minutes · 3 questions")
    expect(page.locator("#preview-suggested")).to_have_count(0)
    page.fill("#new-duration", "20")
    expect(page.locator("#preview-length")).to_have_text("About 20 minutes · 3 questions")
    expect(page.locator("#preview-devices")).to_have_text("Uses your microphone")
    page.select_option("#new-camera", "selfview")
    expect(page.locator("#preview-devices")).to_have_text("Uses your camera and microphone")
    page.fill("#new-candidate_name", "Grace Hopper")
    page.fill("#new-email", "not-an-email")
    page.fill("#new-external_id", "ats-ui-1")
    screenshot(page, "new-interview-01-form")
    assert accessibility_violations(page) == []

    # The API's refusal is shown next to its field, and tied to it.
    page.click("#create-interview")
    expect(page.locator("#new-email-error")).to_contain_text("Enter an email address")
    expect(page.locator("#new-email")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "new-interview-02-refused", full_page=False)
    assert accessibility_violations(page) == []
    page.fill("#new-duration", "3")
    page.fill("#new-email", "grace@example.com")
    page.click("#create-interview")
    expect(page.locator("#new-duration-error")).to_contain_text("The duration must be a whole number from 5 to 90")
    expect(page.locator("#new-email-error")).to_have_text("")
    page.fill("#new-duration", "20")
    page.click("#create-interview")

    # Created: the link, its expiry, and a copy button that says it copied.
    link_box = page.locator("#invite-url")
    expect(link_box).to_have_value(re.compile(rf"^{re.escape(review_url)}/interview/app-[0-9a-f]{{32}}\?token="))
    expect(page.locator("#invite-expires")).to_contain_text(re.compile(r"Expires \d+ \w{3} 20\d\d, \d\d:\d\d UTC"))
    invite = link_box.input_value()
    page.click("#copy-invite")
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == invite
    screenshot(page, "new-interview-03-created")
    assert accessibility_violations(page) == []

    application_id = invite.split("/interview/")[1].split("?")[0]
    stored = review_db.applications.find_one({"_id": application_id})
    assert stored["createdBy"] == REVIEWER and stored["externalId"] == "ats-ui-1"
    assert stored["interviewPlan"] == {
        "questions": QUESTIONS.replace("\n\n", "\n").split("\n"),
        "durationMinutes": 20,
        "language": "en",
        "camera": "selfview",
    }

    # The candidate opens the link in a browser of their own.
    candidate = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        their_page = candidate.new_page()
        their_page.goto(invite)
        expect(their_page.locator("#job-title")).to_have_text("Customer Success Manager")
        expect(their_page.locator("#candidate-name")).to_contain_text("Grace Hopper")
        expect(their_page.locator("#start-interview")).to_be_visible()
        screenshot(their_page, "new-interview-04-candidate-preview")
    finally:
        candidate.close()

    # Created again with the same external id: the same interview, said so.
    page.click("#create-another")
    expect(page.locator("#preview-length")).to_have_text("About 20 minutes · 3 questions")  # the role's plan kept
    page.fill("#new-candidate_name", "Grace Hopper")
    page.fill("#new-email", "grace@example.com")
    page.fill("#new-external_id", "ats-ui-1")
    page.click("#create-interview")
    expect(page.locator("#invite-created")).to_contain_text("This interview already exists")
    expect(page.locator("#invite-url")).to_have_value(re.compile(f"/interview/{application_id}\\?token="))


def test_the_form_at_390_by_844(phone_page, review_url):
    page = phone_page
    open_form_from_the_list(page, review_url)
    page.fill("#new-job_title", "Data Engineer")
    page.fill("#new-candidate_name", "Alan Turing")
    expect(page.locator("#preview-title")).to_have_text("Data Engineer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    screenshot(page, "new-interview-05-phone-form")
    assert accessibility_violations(page) == []
    page.click("#create-interview")
    expect(page.locator("#invite-url")).to_have_value(re.compile("/interview/app-"))
    expect(page.locator("#preview-length")).to_have_text(re.compile(r"^About \d+ minutes · \d+ questions$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "new-interview-06-phone-created")
    assert accessibility_violations(page) == []


def test_without_a_reviewer_link_the_form_says_so(browser, review_url):
    fresh = browser.new_context()
    try:
        page = fresh.new_page()
        page.goto(f"{review_url}/review/new")
        expect(page.locator("#review-error")).to_contain_text("needs a reviewer link")
    finally:
        fresh.close()
