"""Regression (security item 1): offline call tokens only after a real outage, for a real candidate.

Driven through the real page in Chromium against the app in prod mode (auth required). On the
old code each of these pages went live in offline mode with a token minted for any route id.
Tests run in file order: the database is stopped half-way.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interview_app.storage.embedded import free_port
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    app_with,
    candidate_token,
    end_via_confirmation,
    invite,
    new_application,
    open_ready,
    screenshot,
)

pytestmark = pytest.mark.browser


def start_and_expect_refusal(page, url: str, message: str) -> None:
    open_ready(page, url)
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("error", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#interview-error")).to_contain_text(message)
    expect(page.locator("#offline-banner")).to_have_count(0)
    expect(page.locator("#end-interview")).to_have_count(0)


@pytest.mark.parametrize("target", ["someone_elses", "unknown", "completed"])
def test_a_control_character_in_the_token_is_refused_not_taken_offline(page, app_url, db, target):
    app_id = {
        "someone_elses": lambda: new_application(db, user="victim"),
        "unknown": lambda: "no-such-application",
        "completed": lambda: new_application(db, user="victim", status="interview_completed"),
    }[target]()
    page.goto(f"{app_url}/interview/{app_id}?token=%0A")  # issue 20 §8: a bad link is refused at load
    expect(page.locator("#interview-error")).to_contain_text("This interview link looks incomplete")
    expect(page.locator("#offline-banner")).to_have_count(0)
    expect(page.locator("#start-interview")).to_have_count(0)
    expect(page.locator("#end-interview")).to_have_count(0)
    screenshot(page, f"security-01-bad-token-{target}")
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 0


def test_a_control_character_in_the_user_agent_is_refused(browser, app_url, db):
    app_id = new_application(db)
    context = browser.new_context()
    # The device report is the page's own message to the backend: a client can put anything in it.
    context.add_init_script("Object.defineProperty(navigator, 'userAgent', {get: () => 'Mozilla/5.0\\n'})")
    page = context.new_page()
    try:
        start_and_expect_refusal(page, invite(app_url, app_id), "This interview link looks incomplete")
    finally:
        context.close()


@pytest.fixture
def quick_outage_app(shared_app, database, db_name, tmp_path_factory):
    """The app giving up on the stopped database after 0.5 s instead of 2.5 s: each interview below
    waits for it several times (page, start, end), and what is checked is what follows the outage."""
    return app_with(shared_app, database, db_name, tmp_path_factory, {"INTERVIEW_DATABASE_TIMEOUT_MS": "500"})


@pytest.fixture
def database_down(database, quick_outage_app):
    """Stopped once its app runs, and back before any app stops (one whose database is down takes
    long to stop): the next test's app replaces this one."""
    database.stop()
    yield
    database.start()


def test_at_most_three_offline_grants_per_browser_session(page, quick_outage_app, database_down):
    """Three offline interviews in one tab, each of its own application (an interview ended in the
    tab stays submitted), then a fourth start is refused."""
    app_url = quick_outage_app
    for number in range(3):
        open_ready(page, invite(app_url, f"app-own-offline-{number}"))
        page.click("#start-interview")
        expect(page.locator("#offline-banner")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        end_via_confirmation(page)
    page.goto(invite(app_url, "app-own-offline-2"))  # ended here, the API not told yet: still nothing to start
    expect(page.locator("#interview-error")).to_contain_text("Interview already submitted")
    expect(page.locator("#start-interview")).to_have_count(0)
    start_and_expect_refusal(page, invite(app_url, "app-own-offline-3"), "Please try again in 10 minutes")
    screenshot(page, "security-02-offline-quota")


@pytest.fixture(scope="module")
def dead_api_url():
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def unreachable_api_app(shared_app, database, db_name, tmp_path_factory, dead_api_url):
    """The page's backend calls an API that is not there: every start is an outage."""
    return app_with(shared_app, database, db_name, tmp_path_factory, {"INTERVIEW_API_URL": dead_api_url})


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "isn't valid for you"),
        ("?token=not-a-jwt", "isn't valid for you"),
        (f"?token={candidate_token('attackers-own-application', user='attacker')}", "isn't valid for you"),
    ],
)
def test_without_a_locally_valid_token_an_outage_gives_no_offline_token(page, unreachable_api_app, query, message):
    start_and_expect_refusal(page, f"{unreachable_api_app}/interview/app-of-the-victim{query}", message)


def test_the_candidates_own_token_does_go_offline_during_an_outage(page, unreachable_api_app):
    open_ready(page, invite(unreachable_api_app, "app-own"))
    page.click("#start-interview")
    expect(page.locator("#offline-banner")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
