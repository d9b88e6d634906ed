"""The first screen tells the truth (issue 20 §4, §8, §9, §11), in headless Chromium against the app in prod mode.

A bad link says so before anything else: no device check, no camera or microphone request, no Start.
The microphone alone is asked for unless the plan wants a self view. The preview says how long the
interview is and how many questions it has, from the plan, and what is recorded. The 404 is branded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.app_server import SECRET
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    PHONE,
    assert_accessible,
    invite,
    new_application,
    open_ready,
    screenshot,
)

pytestmark = pytest.mark.browser

# Every getUserMedia call's constraints, in the order the page made them (before any page script runs).
CONSTRAINTS_SPY = """(() => {
  window.__constraints = [];
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => {
    window.__constraints.push(JSON.parse(JSON.stringify(constraints || {})));
    return original(constraints);
  };
})();"""


@pytest.fixture
def spied(browser):
    """A desktop page and a phone page that record what getUserMedia is asked for."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 860}), browser.new_context(**PHONE)]
    for context in contexts:
        context.add_init_script(CONSTRAINTS_SPY)
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def asked_for(page) -> list[dict]:
    return page.evaluate("() => window.__constraints")


def with_plan(db, plan: dict, job_title: str = "Platform Engineer") -> str:
    app_id = new_application(db, job_title=job_title)
    db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": plan}})
    return app_id


def bad_link(db, base: str, case: str) -> tuple[str, str]:
    """The link of ``case`` and the application it names."""
    app_id = new_application(db) if case != "broken_plan" else with_plan(db, {"questions": [], "camera": "always"})
    now = utcnow()
    url = {
        "unknown": lambda: invite(base, "no-such-application"),
        "someone_elses": lambda: invite(base, app_id, user="someone-else"),
        "garbage": lambda: f"{base}/interview/{app_id}?token=not-a-jwt",
        "control_character": lambda: f"{base}/interview/{app_id}?token=%0A",
        "no_token": lambda: f"{base}/interview/{app_id}",
        "expired": lambda: (
            f"{base}/interview/{app_id}?token="
            + tokens.mint_candidate_token(SECRET, "cand-1", app_id, now - timedelta(days=8), ttl=timedelta(days=7))
        ),
        "other_key": lambda: (
            f"{base}/interview/{app_id}?token="
            + tokens.mint_candidate_token("another-key-" + SECRET, "cand-1", app_id, now)
        ),
        "broken_plan": lambda: invite(base, app_id),
    }[case]()
    return url, "no-such-application" if case == "unknown" else app_id


EXPECTED = {
    "unknown": "We couldn't find this interview",
    "someone_elses": "We couldn't find this interview",  # answered as unknown: ids cannot be probed
    "garbage": "This interview link isn't valid",
    "control_character": "This interview link looks incomplete",
    "no_token": "This interview link looks incomplete",
    "expired": "This interview link has expired",
    "other_key": "This interview link isn't valid",
    "broken_plan": "This interview isn't ready yet",
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_a_bad_link_says_so_before_anything_else(spied, app_url, db, case):
    """On the old code each of these showed the device check (camera and microphone asked for), the
    preview and Start; the refusal came only after a click on Start."""
    page = spied[0]
    url, app_id = bad_link(db, app_url, case)
    page.goto(url)
    expect(page.locator("#problem-title")).to_have_text(EXPECTED[case])
    expect(page.locator("#problem-advice")).to_contain_text("recruiter")
    expect(page).to_have_title(EXPECTED[case])  # the tab says it too (it said "Your interview")
    page.wait_for_timeout(800)  # a device check would have started by now
    assert asked_for(page) == []
    for absent in ("#start-interview", "#consent", "#mic-status", ".interview-call", "#checklist"):
        expect(page.locator(absent)).to_have_count(0)
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 0


def test_the_bad_link_screen_looks_finished_and_is_accessible(spied, app_url, db):
    for page, size in zip(spied, ("desktop", "phone"), strict=True):
        page.goto(bad_link(db, app_url, "expired")[0])
        expect(page.locator("#problem-title")).to_have_text("This interview link has expired")
        expect(page.locator("header")).to_contain_text("Interview")  # the brand bar of the interview page
        screenshot(page, f"40-bad-link-{size}")
        assert_accessible(page, f"bad link, {size}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{size}: {width}px wide"  # pyright: ignore[reportOptionalSubscript]


def test_a_good_link_after_a_bad_one_in_the_same_tab_opens_the_room(spied, app_url, db):
    page = spied[0]
    app_id = new_application(db)
    page.goto(f"{app_url}/interview/{app_id}?token=not-a-jwt")
    expect(page.locator("#problem-title")).to_have_text("This interview link isn't valid")
    open_ready(page, invite(app_url, app_id))  # the recruiter's new link
    expect(page.locator("#problem-title")).to_have_count(0)
    assert [c.get("video", False) for c in asked_for(page)] == [False]


def test_without_a_camera_in_the_plan_only_the_microphone_is_asked_for(spied, app_url, db):
    """On the old code the device check asked for ``{audio: true, video: {...}}`` and showed a self view."""
    page = spied[0]
    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    expect(page.locator("#mic-status")).to_be_visible()
    expect(page.locator("#recording-note")).to_have_text(
        "What is recorded: the transcript of what is said. No audio or video is stored."
    )
    expect(page.locator(".interview-call video")).to_have_count(0)
    expect(page.locator(".interview-call")).to_contain_text("Audio only: your camera is not used")
    expect(page.get_by_role("heading", name="Your microphone", exact=True)).to_be_visible()
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    constraints = asked_for(page)
    assert constraints and all("video" not in c and c.get("audio") for c in constraints), constraints
    expect(page.locator("video")).to_have_count(0)


def test_with_a_self_view_in_the_plan_the_camera_is_asked_for_and_shown(spied, app_url, db):
    page = spied[0]
    open_ready(page, invite(app_url, with_plan(db, {"camera": "selfview"})))
    expect(page.locator(".interview-call video")).to_be_visible()
    expect(page.get_by_role("heading", name="Your microphone and camera")).to_be_visible()
    first = asked_for(page)[0]
    assert first["audio"] is True and first["video"] == {"width": 640, "height": 360}, first
    expect(page.locator("#recording-note")).to_contain_text("No audio or video is stored")


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        (None, "About 6 minutes · 3 questions"),  # no plan: the role's 3 suggested questions, 2 minutes each
        ({"questions": ["Tell us about a project you led."]}, "About 5 minutes · 1 question"),  # at least 5
        ({"questions": ["One?", "Two?"], "durationMinutes": 20}, "About 20 minutes · 2 questions"),
    ],
)
def test_the_preview_says_how_long_and_how_many_questions(spied, app_url, db, plan, words):
    """On the old code the preview said "About 15 minutes" whatever the interview."""
    app_id = with_plan(db, plan) if plan else new_application(db)
    pages = spied if plan is None else spied[:1]
    for page, size in zip(pages, ("desktop", "phone"), strict=False):
        open_ready(page, invite(app_url, app_id))
        expect(page.locator("#interview-size")).to_have_text(words)
        expect(page.get_by_text("About 15 minutes")).to_have_count(0)
        for question in (plan or {}).get("questions", []):
            expect(page.get_by_text(question)).to_have_count(0)  # never the questions themselves
        if plan is None:
            screenshot(page, f"41-preview-words-{size}")
            assert_accessible(page, f"preview, {size}")


@pytest.mark.parametrize("path", ["/no/such/page", "/interview/app-1/no-such-screen"])
def test_the_404_is_branded_with_a_link_home(spied, app_url, path):
    """On the old code Reflex's bare "404: Page not found" text, with no way on."""
    for page, size in zip(spied, ("desktop", "phone"), strict=True):
        response = page.goto(f"{app_url}{path}")
        assert response is not None and response.status == 404
        expect(page.locator("#problem-title")).to_have_text("We couldn't find this page")
        expect(page.locator("header")).to_contain_text("Interview")
        if path == "/no/such/page":
            screenshot(page, f"42-not-found-{size}")
            assert_accessible(page, f"404, {size}")
        assert asked_for(page) == []
        page.click("#problem-home")
        expect(page.get_by_role("heading", name="AI-led job interviews")).to_be_visible()
        assert page.url.rstrip("/") == app_url
