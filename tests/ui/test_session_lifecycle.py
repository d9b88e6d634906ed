"""The candidate's side of the session lifecycle (issue 8), in headless Chromium against the app in prod mode.

One test per point of the issue, plus axe-core scans of every screen at desktop and phone size.
Tests run in file order: the last one stops the database and brings it back.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from interview_app.realtime import script
from tests.support.browser import (
    LIVE_TIMEOUT_MS,
    MEDIA_SPY,
    assert_accessible,
    end_via_confirmation,
    invite,
    media_tracks,
    new_application,
    open_ready,
    screenshot,
    start_live,
    stored_session,
    take_over_call,
    wait_for,
    wait_until_healthy,
    watch_phases,
)
from tests.support.scripted_interview import candidate_wav, launch_candidate_browser

pytestmark = pytest.mark.browser

GREETING = "welcome to your interview for the Platform Engineer role"
FIRST_QUESTION = script.questions("Platform Engineer")[0]


@pytest.fixture
def spied_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.add_init_script(MEDIA_SPY)
    page = context.new_page()
    yield page
    context.close()


def test_1_preview_before_start_and_the_token_leaves_the_address_bar(page, app_url, db):
    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    expect(page.locator("#job-title")).to_have_text("Platform Engineer")
    expect(page.locator("#candidate-name")).to_contain_text("Jordan Rivera")
    expect(page.locator("#checklist")).to_contain_text("Headphones help")
    expect(page.get_by_text("About 6 minutes · 3 questions")).to_be_visible()  # issue 20 §4: the plan's size
    expect(page.locator("#start-interview")).to_have_text("Start Interview")
    expect(page).to_have_title("Interview: Platform Engineer")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon and httpx.get(f"{app_url}{icon}", timeout=5).headers["content-type"].startswith("image/svg")
    assert "token=" not in page.url  # security item 8: removed after load...
    page.reload()  # ...and kept in sessionStorage: with auth required the preview needs it again
    expect(page.locator("#job-title")).to_have_text("Platform Engineer")
    screenshot(page, "10-preview")
    assert_accessible(page, "idle, desktop")
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 0  # nothing starts on load


def test_1_completed_application_says_so_at_once(page, app_url, db):
    app_id = new_application(db, status="interview_completed")
    page.goto(invite(app_url, app_id))
    expect(page.locator("#interview-error")).to_contain_text("Interview already submitted")
    expect(page.locator("#start-interview")).to_have_count(0)
    screenshot(page, "11-already-submitted")
    assert_accessible(page, "already submitted, desktop")


def test_2_refresh_mid_call_resumes_the_same_session_without_a_second_greeting(page, app_url, db):
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    feed = page.locator("#interview-feed")
    expect(feed).to_contain_text(GREETING, timeout=10_000)
    first = stored_session(page, app_id)
    wait_for(lambda: db.interviewSessions.find_one({"applicationId": app_id}).get("transcript"), page)

    page.reload()
    expect(page.locator("#start-interview")).to_have_text("Resume interview", timeout=15_000)
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)
    expect(page.locator("#interview-status")).to_have_text("Your interview is paused. Resume when you're ready.")
    screenshot(page, "12-paused-after-a-refresh")
    assert_accessible(page, "paused after a refresh, desktop")
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#status-note")).to_have_text("Connected to your interviewer")  # not in the feed
    expect(feed).not_to_contain_text("Session resumed")
    expect(feed).to_contain_text("Welcome back", timeout=10_000)
    expect(feed.get_by_text(GREETING)).to_have_count(1)  # refilled from the transcript, not said again
    started = db.interviewSessions.find_one({"applicationId": app_id})["startedAt"]
    shown = page.locator("#elapsed-time").text_content() or ""
    minutes, seconds = (int(part) for part in shown.split(":"))
    since_start = (datetime.now(UTC) - started).total_seconds()
    assert abs(minutes * 60 + seconds - since_start) <= 2, (shown, since_start)  # counts from startedAt
    assert stored_session(page, app_id)["sessionId"] == first["sessionId"]
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1
    screenshot(page, "12-resumed")


def test_3_and_5_transcript_stored_end_confirmed_devices_released_completion_shown(spied_page, app_url, db):
    page = spied_page
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    expect(page.locator("#end-interview")).to_be_focused()
    # issue 20 item 10: the greeting is a turn of its own; the box shows the question alone
    expect(page.locator("#current-question")).to_contain_text(FIRST_QUESTION, timeout=15_000)
    expect(page.locator("#current-question")).not_to_contain_text(GREETING)
    expect(page.locator("#talk-state")).to_be_visible()
    session_id = stored_session(page, app_id)["sessionId"]
    transcript = wait_for(lambda: db.interviewSessions.find_one({"sessionId": session_id}).get("transcript"), page)
    assert transcript[0]["role"] == "interviewer" and GREETING in transcript[0]["text"]
    screenshot(page, "13-live")
    assert_accessible(page, "live, desktop")

    page.click("#end-interview")
    expect(page.get_by_role("alertdialog")).to_contain_text("You can't restart it.")
    screenshot(page, "14-confirm-end")
    assert_accessible(page, "end confirmation, desktop")
    page.click("#cancel-end")  # changing one's mind keeps the interview going
    expect(page.locator("#interview-phase")).to_have_text("live")
    end_via_confirmation(page)
    assert page.url.endswith(f"/interview/{app_id}/complete")
    tracks = media_tracks(page)
    assert tracks and set(tracks) == {"ended"}, tracks

    session = wait_for(lambda: db.interviewSessions.find_one({"sessionId": session_id, "status": "completed"}), page)
    assert session["endReason"] == "candidate_ended"
    assert isinstance(session["duration"], int) and session["duration"] >= 0
    # the end marks the session completed, then its application (two writes): wait for the second
    assert wait_for(lambda: db.applications.find_one({"_id": app_id, "status": "interview_completed"}), page)
    completion = page.locator("#completion")
    expect(completion).to_contain_text("The hiring team will review your interview. You can close this tab.")
    expect(page.locator("#completion-duration")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(page.locator("#completion-answered")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#completion-score")).to_have_count(0)  # no score stored, none made up
    screenshot(page, "15-completion")
    assert_accessible(page, "completion, desktop")

    # Back to the interview page: it says submitted, and asks for no camera or microphone again.
    requests = page.evaluate("() => window.__mediaRequests")
    page.go_back()
    expect(page.locator("#interview-error")).to_contain_text("Interview already submitted")
    page.wait_for_timeout(500)  # a device check would start as soon as the page is shown
    assert page.evaluate("() => window.__mediaRequests") == requests
    assert set(media_tracks(page)) == {"ended"}

    # 6: reopening the link afterwards starts nothing.
    page.goto(invite(app_url, app_id))
    expect(page.locator("#interview-error")).to_contain_text("Interview already submitted")
    expect(page.locator("#start-interview")).to_have_count(0)
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1


def test_6_completion_shows_a_stored_score(page, app_url, db):
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    session_id = stored_session(page, app_id)["sessionId"]
    end_via_confirmation(page)
    # The app's own scorer judges the ended interview first (no answers: insufficient); a score
    # stored after it (as a re-score would) is what the page must show.
    final = {"scoring.status": {"$in": ["insufficient", "scored", "failed", "not_consented"]}}
    wait_for(lambda: db.interviewSessions.find_one({"sessionId": session_id, "status": "completed", **final}), page)
    db.interviewSessions.update_one(
        {"sessionId": session_id},
        {"$set": {"finalScore": 82, "scoreBreakdown": {"communication": 9}, "scoring.status": "scored"}},
    )
    page.reload()
    expect(page.locator("#completion-score")).to_have_text("Score: 82")
    expect(page.locator("#completion")).to_contain_text("communication: 9")


def test_4_reconnects_after_the_server_drops_the_call(page, app_url, db):
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    watch_phases(page)
    take_over_call(app_url, stored_session(page, app_id)["token"])
    page.wait_for_function("() => window.__phases.includes('reconnecting')", timeout=10_000)
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#status-note")).to_have_text("Reconnected")
    screenshot(page, "16-reconnected")
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1


def test_4_after_three_failed_tries_try_again_resumes_the_session(page, app_url, db):
    app_id = new_application(db)
    start_live(page, invite(app_url, app_id))
    first = stored_session(page, app_id)["sessionId"]
    page.route("**/api/interview/realtime/calls", lambda route: route.fulfill(status=503, json={"error": "busy"}))
    take_over_call(app_url, stored_session(page, app_id)["token"])
    expect(page.locator("#interview-phase")).to_have_text("error", timeout=LIVE_TIMEOUT_MS)  # 1 + 2 + 4 s of tries
    expect(page.locator("#interview-error")).to_contain_text("We lost the connection to your interviewer")
    expect(page.locator("#start-interview")).to_have_text("Try again")
    screenshot(page, "23-connection-lost")
    page.unroute("**/api/interview/realtime/calls")
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    assert stored_session(page, app_id)["sessionId"] == first
    assert db.interviewSessions.count_documents({"applicationId": app_id}) == 1


def rate_limited_application(db) -> str:
    """An application with three sessions in the last minutes: Start is refused (429), the error screen
    shows. (An unknown application no longer gets that far: its bad link says so at load, issue 20 §8.)"""
    app_id = new_application(db)
    now = datetime.now(UTC)
    db.interviewSessions.insert_many(
        [
            {"sessionId": f"{app_id}-{m}", "applicationId": app_id, "status": "abandoned"}
            | {"startedAt": now - timedelta(minutes=m)}
            for m in (1, 2, 3)
        ]
    )
    return app_id


def test_error_screen_is_accessible(page, app_url, db):
    open_ready(page, invite(app_url, rate_limited_application(db)))
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("error")
    assert_accessible(page, "error, desktop")


def test_phone_screens_are_accessible_and_the_question_is_above_the_fold(phone_page, app_url, db):
    page = phone_page
    open_ready(page, invite(app_url, rate_limited_application(db)))
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("error")
    screenshot(page, "17-phone-error")
    assert_accessible(page, "error, phone")

    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    screenshot(page, "18-phone-preview")
    assert_accessible(page, "idle, phone")
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
    question = page.locator("#current-question")
    expect(question).to_contain_text(FIRST_QUESTION, timeout=15_000)
    box = question.bounding_box()
    assert box is not None and box["y"] + min(box["height"], 120) <= 844, box
    screenshot(page, "19-phone-live", full_page=False)  # what the candidate sees without scrolling
    assert_accessible(page, "live, phone")
    end_via_confirmation(page)
    screenshot(page, "20-phone-completion")
    assert_accessible(page, "completion, phone")


def speaking_candidate_wav(path: Path) -> Path:
    """1.5 s of a loud tone then 2.5 s of quiet, which Chromium loops: an answer every 4 s."""
    return candidate_wav(path, 1.5, 2.5)


# Keeps the page's "oai-events" channel, so the test can ask the interviewer for its next turn.
CHANNEL_SPY = """(() => {
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args);
    window.__oaiChannel = channel;
    return channel;
  };
})();"""


def test_3_and_5_candidate_answers_then_finish_after_the_closing_line(browser, app_url, db, tmp_path):
    wav = speaking_candidate_wav(tmp_path / "candidate.wav")
    speaking = launch_candidate_browser(browser.browser_type, wav)
    try:
        page = speaking.new_page(viewport={"width": 1280, "height": 860})
        page.add_init_script(CHANNEL_SPY)
        app_id = new_application(db)
        start_live(page, invite(app_url, app_id))
        answer = page.locator(".feed-item--candidate").first
        # the first answer is heard once the spoken greeting is over; how much of the looping tone
        # falls into it depends on when listening begins, so the label is checked against the store
        expect(answer).to_contain_text(re.compile(r"You.*Answer recorded · \d:\d\d"), timeout=45_000)
        session_id = stored_session(page, app_id)["sessionId"]
        stored = wait_for(
            lambda: [
                item
                for item in db.interviewSessions.find_one({"sessionId": session_id}).get("transcript", [])
                if item["role"] == "candidate"
            ],
            page,
        )
        # one 1.5 s tone, not the quiet after it nor the next tone (4 s on): under CPU load Chromium's
        # fake capture stretches the tone by a few hundred ms (seen once: 1739 ms)
        assert 0 < stored[0]["durationMs"] < 2500
        seconds = round(stored[0]["durationMs"] / 1000)
        expect(answer).to_contain_text(f"Answer recorded · {seconds // 60}:{seconds % 60:02d}")
        expect(page.locator("#finish-interview")).to_have_count(0)
        for _ in range(6):  # ask for the next turns until the closing line
            if page.locator("#finish-interview").count():
                break
            turns = page.locator(".feed-item--interviewer").count()
            page.evaluate("() => window.__oaiChannel.send(JSON.stringify({type: 'response.create'}))")
            page.wait_for_function(
                "n => document.querySelectorAll('.feed-item--interviewer').length > n", arg=turns, timeout=10_000
            )
            # the turn is over (response.done) before the next is asked for: the closing line may be this one
            # (after which the talk state is gone, issue 20 item 10)
            talking = page.locator("#talk-state", has_text="Interviewer is speaking")
            expect(talking).to_have_count(0, timeout=30_000)
        expect(page.locator("#finish-interview")).to_be_visible(timeout=15_000)
        expect(page.locator("#current-question")).to_contain_text("that was my last question")
        # issue 20 item 10: the page says it is complete and offers one action, Finish
        expect(page.locator("#interview-complete")).to_have_text("Interview complete")
        expect(page.locator("#interview-status")).to_contain_text("The interview is complete")
        for gone in ("#end-interview", "#talk-state", "#text-answer", "#done-answering"):
            expect(page.locator(gone)).to_have_count(0)
        screenshot(page, "22-finish-offered")
        page.click("#finish-interview")
        expect(page.locator("#completion")).to_contain_text("Interview submitted", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#completion-answered")).not_to_have_text("0")
        session = wait_for(
            lambda: db.interviewSessions.find_one({"sessionId": session_id, "status": "completed"}), page
        )
        assert session["endReason"] == "interview_complete"
    finally:
        speaking.close()


def test_7_offline_interview_is_reconciled_when_the_database_comes_back(page, app_url, db, database):
    app_id = new_application(db)
    url = invite(app_url, app_id)
    open_ready(page, url)
    database.stop()
    try:
        clicked = datetime.now(UTC)
        page.click("#start-interview")
        expect(page.locator("#offline-banner")).to_contain_text("Running in offline mode", timeout=LIVE_TIMEOUT_MS)
        offline_at = datetime.now(UTC)  # the offline interview began before its banner showed
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-feed")).to_contain_text("welcome to your interview", timeout=10_000)
        database.start()
        wait_until_healthy(app_url, page)
        back = datetime.now(UTC)
        end_via_confirmation(page)
        expect(page.locator("#offline-banner")).to_contain_text(
            "Back online: your interview is saved", timeout=LIVE_TIMEOUT_MS
        )
        screenshot(page, "21-offline-reconciled")
        session = wait_for(
            lambda: db.interviewSessions.find_one({"applicationId": app_id, "status": "completed"}), page
        )
        assert session["metadata"]["offline"] is True
        # the session keeps the offline interview's own start, so its duration is the interview's
        assert clicked - timedelta(seconds=1) <= session["startedAt"] <= offline_at
        assert session["duration"] >= int((back - offline_at).total_seconds())
        assert any("welcome to your interview" in item["text"] for item in session["transcript"])
        assert wait_for(lambda: db.applications.find_one({"_id": app_id, "status": "interview_completed"}), page)
    finally:
        database.start()
