"""The hiring team's plan reaches the candidate's screen (issue 20 §4), in headless Chromium against
the app in prod mode with the local interviewer: the current question is each of the plan's
questions in order (one written in Spanish, said verbatim), never the bank's for the job title."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, invite, new_application, screenshot, start_live

pytestmark = pytest.mark.browser

JOB = "Customer Success Manager"
QUESTIONS = ["Why do you want to join our customer success team?", "¿Cómo calmas a un cliente enfadado?"]
TURN_TIMEOUT_MS = 20_000


def test_the_current_question_is_each_of_the_plans_questions_in_order(page, app_url, db):
    app_id = new_application(db, job_title=JOB)
    db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": {"questions": QUESTIONS, "language": "es"}}})
    start_live(page, invite(app_url, app_id))
    current = page.locator("#current-question")
    expect(current).to_contain_text(QUESTIONS[0], timeout=TURN_TIMEOUT_MS)
    expect(current).not_to_contain_text("customer relationship")  # the bank's question for the title
    screenshot(page, "60-plan-question-desktop")
    assert_accessible(page, "a plan's question, desktop")
    page.fill("#text-answer", "Because I like helping customers grow with the product.")
    page.click("#send-answer")
    expect(current).to_contain_text(QUESTIONS[1], timeout=TURN_TIMEOUT_MS)
    page.fill("#text-answer", "Escucho primero y luego propongo una solución concreta.")
    page.click("#send-answer")
    expect(page.locator("#finish-interview")).to_be_visible(timeout=TURN_TIMEOUT_MS)  # two questions: done
