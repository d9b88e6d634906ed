"""Issue 17 §6 from end to end: a typed interview with the local interviewer, from Start to a scored screen.

Nothing is seeded but the application: Chromium opens the invite link, agrees to the notice, types
every answer, finishes, and follows ``#view-score`` while the app's own scorer (the local judge, no
OpenAI key) scores the session in its process. The score must then hold across a refresh and be
reachable again from the invite link in a fresh browser context.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from interview_app.realtime import script
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    assert_accessible,
    invite,
    new_application,
    screenshot,
    start_live,
    stored_session,
)

pytestmark = pytest.mark.browser

JOB = "Platform Engineer"
QUESTIONS = script.questions(JOB)
TURN_TIMEOUT_MS = 20_000
SCORE_TIMEOUT_MS = 60_000  # the scorer wakes on the end; the page polls every 2 s
# Long and specific enough for the local judge (rubric: 2+ answers of 15+ words, 80+ words in all,
# varied words), with numbers, named tools and linking words; no name or email to redact.
ANSWERS = [
    "Last spring I designed the billing export pipeline on Kafka and Postgres. We chose batching every "
    "30 seconds over streaming each event, because the finance team needed consistent totals rather than "
    "speed. As a result, database load fell by 40 percent and the nightly report finished in 12 minutes.",
    "A checkout service leaked memory after 6 hours in production. I compared heap dumps from two pods with "
    "pprof and found an unbounded cache of session objects, which meant every retry kept a copy. I added an "
    "LRU limit of 10000 entries, so memory stayed flat at 300 megabytes.",
    "I keep a codebase healthy with fast tests, small reviews and steady refactoring. Every pull request "
    "needs a test that fails first, and reviews stay under 400 lines so that reviewers actually read them. "
    "We also reserve 10 percent of each sprint for refactoring, therefore old modules shrink over time.",
]
LOCAL_LABEL = "Estimated locally, not an AI assessment"
LABELS = {"clarity": "Clarity", "correctness": "Correctness", "depth": "Depth"}


def asked(page, question: str) -> None:
    expect(page.locator("#current-question")).to_contain_text(question, timeout=TURN_TIMEOUT_MS)


def type_every_answer(page) -> None:
    for answer, question in zip(ANSWERS, [*QUESTIONS[1:], None], strict=True):
        page.fill("#text-answer", answer)
        page.click("#send-answer")
        expect(page.locator(".feed-item--candidate").last).to_contain_text(answer[:60])
        if question:
            asked(page, question)


def check_score_screen(page, score: str) -> list[str]:
    """The three dimensions with verbatim quotes of what was typed, and the local judge's label."""
    expect(page.locator("#final-score")).to_have_text(score, timeout=SCORE_TIMEOUT_MS)
    expect(page.locator("#score-local")).to_have_text(LOCAL_LABEL)
    expect(page.locator("#score-unverified")).to_have_count(0)
    table = page.locator("#score-table")
    quotes: list[str] = []
    for name, label in LABELS.items():
        expect(table.locator("tr", has_text=label)).to_be_visible()
        dimension = page.locator(f"#dimension-{name}")
        expect(dimension).to_be_visible()
        shown = dimension.locator(".evidence-quote")
        expect(shown.first).to_be_visible()
        for text in shown.all_inner_texts():
            quote = text.strip().removeprefix("“").removesuffix("”")
            answered = [index for index, answer in enumerate(ANSWERS) if quote in answer]
            assert answered, f"{name}: {quote!r} is not part of a typed answer"
            expect(dimension).to_contain_text(f"Question: {QUESTIONS[answered[0]]}")  # what it answered
            quotes.append(quote)
    return quotes


def test_a_typed_interview_is_scored_by_the_local_judge_and_shown(page, browser, app_url, db):
    app_id = new_application(db, job_title=JOB)
    link = invite(app_url, app_id)
    start_live(page, link)  # the invite link, consent ticked, Start
    asked(page, QUESTIONS[0])
    type_every_answer(page)
    expect(page.locator("#finish-interview")).to_be_visible(timeout=TURN_TIMEOUT_MS)
    session = stored_session(page, app_id)
    page.click("#finish-interview")
    expect(page.locator("#completion")).to_contain_text("Interview submitted", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#completion-answered")).to_have_text("3")

    page.click("#view-score")
    expect(page).to_have_url(f"{app_url}/interview/{app_id}/score")
    expect(page.locator("#final-score")).to_be_visible(timeout=SCORE_TIMEOUT_MS)
    score = page.locator("#final-score").inner_text().strip()
    assert score.isdigit() and 0 <= int(score) <= 100, score
    quotes = check_score_screen(page, score)
    assert_accessible(page, "scored interview, desktop")
    screenshot(page, "e2e-01-scored-desktop")

    stored = db.interviewSessions.find_one({"sessionId": session["sessionId"]})
    scoring = stored["scoring"]
    assert (scoring["status"], scoring["provider"], scoring["transcriptVerified"]) == ("scored", "local", True)
    assert stored["finalScore"] == int(score)
    assert {q["quote"] for d in scoring["dimensions"].values() for q in d["evidence"]} == set(quotes)
    answers = [item for item in stored["transcript"] if item["role"] == "candidate"]
    assert [(item["text"], item["source"], item.get("input")) for item in answers] == [
        (answer, "provider", "text") for answer in ANSWERS
    ]
    read = httpx.get(
        f"{app_url}/api/interview/sessions/{session['sessionId']}",
        headers={"Authorization": f"Bearer {session['token']}"},
        timeout=10,
    )
    assert read.status_code == 200, read.text
    assert read.json()["transcriptVerified"] is True

    page.reload()  # works after a refresh
    check_score_screen(page, score)

    for options, name in (({"viewport": {"width": 1280, "height": 860}}, "desktop"), (PHONE, "phone")):
        context = browser.new_context(**options)  # a fresh browser: only the invite link
        fresh = context.new_page()
        try:
            fresh.goto(link)
            expect(fresh.locator("#view-score")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
            fresh.click("#view-score")
            expect(fresh).to_have_url(f"{app_url}/interview/{app_id}/score")
            check_score_screen(fresh, score)
            assert_accessible(fresh, f"scored interview from the invite link, {name}")
            if name == "phone":
                width = fresh.evaluate("() => document.documentElement.scrollWidth")
                assert width <= 390, f"the score screen scrolls sideways on a phone ({width}px)"
                screenshot(fresh, "e2e-02-scored-phone")
        finally:
            context.close()
