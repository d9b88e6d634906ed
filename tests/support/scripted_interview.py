"""A short, real interview in Chromium with the local interviewer, and what the fault tests check after it.

The candidate is a looping recording (a short tone, then quiet), heard only while the test lets
the candidate speak, so every question gets one spoken answer exactly when the test says; the
interviewer's voice is cut as soon as it starts (``response.cancel`` on the page's own
``oai-events`` channel), so an exchange takes a few seconds instead of the length of its speech.
"""

from __future__ import annotations

import time
import wave
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from interview_app.realtime import script
from interview_app.ui.feed import answer_label
from tests.support.app_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.browser import LIVE_TIMEOUT_MS, open_ready
from tests.support.fault_proxy import Exchange, FaultProxy

TURN_TIMEOUT_MS = 20_000
END_TIMEOUT_S = 45  # the page leaves the API alone for 30 s after an outage
# Keeps the newest "oai-events" channel the page opens, and every few hundred ms asks the
# interviewer to stop talking (its text is already shown): the candidate may answer at once.
# The candidate speaks only when the test says so (``window.__speak(true)``): the microphone
# track the page sends is disabled (silence) otherwise, so the test sets the interview's pace.
QUIET_INTERVIEWER = """(() => {
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args);
    window.__oaiChannel = channel;
    return channel;
  };
  const tracks = [];
  window.__speaking = false;
  window.__speak = (on) => {
    window.__speaking = on;
    tracks.forEach((t) => { t.enabled = on; });
  };
  const addTrack = RTCPeerConnection.prototype.addTrack;
  RTCPeerConnection.prototype.addTrack = function (track, ...streams) {
    if (track.kind === "audio") {
      tracks.push(track);
      track.enabled = window.__speaking;
    }
    return addTrack.call(this, track, ...streams);
  };
  setInterval(() => {
    const channel = window.__oaiChannel;
    if (channel && channel.readyState === "open") channel.send(JSON.stringify({type: "response.cancel"}));
  }, 250);
})();"""


def candidate_wav(path: Path, tone_s: float, quiet_s: float) -> Path:
    """A loud 440 Hz tone of ``tone_s`` then ``quiet_s`` of quiet: Chromium loops it as the
    candidate's microphone, so the candidate answers once every ``tone_s + quiet_s``."""
    rate = 48_000
    tone = (np.sin(2 * np.pi * 440 * np.arange(int(rate * tone_s)) / rate) * 12_000).astype(np.int16)
    samples = np.concatenate([tone, np.zeros(int(rate * quiet_s), dtype=np.int16)])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def answering_candidate_wav(path: Path) -> Path:
    """0.6 s of a loud tone then 2.4 s of quiet (more than the interviewer's 1.2 s end of answer, and
    time for the test to silence the candidate before the next tone), looped by Chromium."""
    return candidate_wav(path, 0.6, 2.4)


def launch_candidate_browser(browser_type, wav: Path):
    """Chromium (Playwright's ``browser_type``) whose fake microphone plays ``wav`` in a loop."""
    return browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}"],
    )


@dataclass(frozen=True)
class Turn:
    """A turn as the candidate saw it: who, and the words shown (an answer's recorded length)."""

    kind: str
    text: str


@dataclass
class Interview:
    """Drives one interview in ``page``, and keeps the times its checks need."""

    page: Page
    clicked: float = 0.0
    live_at: float = 0.0
    finished_at: float = 0.0
    responses: list[tuple[int, str, str | None]] = field(default_factory=list)

    def start(self, url: str) -> None:
        page = self.page
        page.add_init_script(QUIET_INTERVIEWER)
        page.on("response", lambda r: self.responses.append((r.status, r.url, r.headers.get("retry-after"))))
        open_ready(page, url)
        self.clicked = time.time()
        page.click("#start-interview")
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        self.live_at = time.time()
        self.wait_for_turns(interviewer=2)  # the greeting, then the first question (a turn of its own)
        self.wait_until_said()

    def count(self, kind: str) -> int:
        return self.page.locator(f".feed-item--{kind}").count()

    def wait_for_turns(self, interviewer: int = 0, candidate: int = 0, timeout_ms: int = TURN_TIMEOUT_MS) -> None:
        """Until the feed shows at least this many turns of each (an interviewer turn with its text)."""
        try:
            self.page.wait_for_function(
                """([i, c]) => {
                    const asked = [...document.querySelectorAll('.feed-item--interviewer')];
                    const words = (e) => [...e.querySelectorAll('p')].pop().textContent;
                    return asked.length >= i && (i === 0 || words(asked[i - 1]).length > 0)
                        && document.querySelectorAll('.feed-item--candidate').length >= c;
                }""",
                arg=[interviewer, candidate],
                timeout=timeout_ms,
            )
        except PlaywrightTimeoutError:
            phase = self.page.locator("#interview-phase").text_content()
            feed = self.page.locator("#interview-feed").inner_text()
            raise AssertionError(
                f"waited {timeout_ms} ms for {interviewer} interviewer and {candidate} candidate turns; "
                f"phase {phase!r}, feed:\n{feed}"
            ) from None

    def exchange(self) -> None:
        """The candidate answers the current question and the interviewer asks the next (to its end)."""
        asked, answered = self.count("interviewer"), self.count("candidate")
        self.page.evaluate("() => window.__speak(true)")
        try:
            self.wait_for_turns(candidate=answered + 1)
        finally:
            self.page.evaluate("() => window.__speak(false)")  # one answer, then quiet until asked again
        self.wait_for_turns(interviewer=asked + 1)
        self.wait_until_said()

    def wait_until_said(self) -> None:
        """The interviewer's turn is over (its ``response.done``): its whole text is shown (after the
        closing line the talk state is gone, issue 20 item 10)."""
        speaking = self.page.locator("#talk-state", has_text="Interviewer is speaking")
        expect(speaking).to_have_count(0, timeout=TURN_TIMEOUT_MS)

    def finish(self) -> list[Turn]:
        """Answer until the closing line, then Finish interview: the completion screen follows.

        Returns the turns the feed showed (the completion screen has no feed).
        """
        for _ in range(6):
            asked = [turn.text for turn in self.shown() if turn.kind == "interviewer"]
            if asked and script.is_closing_line(asked[-1]):
                break
            self.exchange()
        expect(self.page.locator("#finish-interview")).to_be_visible(timeout=TURN_TIMEOUT_MS)
        shown = self.shown()
        self.page.click("#finish-interview")
        self.finished_at = time.time()
        expect(self.page.locator("#completion")).to_contain_text("Interview submitted", timeout=LIVE_TIMEOUT_MS)
        return shown

    def shown(self) -> list[Turn]:
        """Every interviewer and candidate turn the feed showed, in order (read before the end)."""
        rows = self.page.evaluate(
            """() => [...document.querySelectorAll('.feed-item--interviewer, .feed-item--candidate')]
                 .map(e => [e.classList.contains('feed-item--interviewer') ? 'interviewer' : 'candidate',
                            [...e.querySelectorAll('p')].pop().textContent])"""
        )
        return [Turn(kind, text) for kind, text in rows]


def stored_view(transcript: list[dict]) -> list[Turn]:
    """The stored transcript as the feed shows it (an answer without words as its recorded length)."""
    view = []
    for item in transcript:
        unspoken = answer_label(item.get("durationMs")) if item["role"] == "candidate" else ""
        view.append(Turn(item["role"], item["text"] or unspoken))
    return view


def assert_every_shown_turn_stored_once_in_order(shown: list[Turn], transcript: list[dict]) -> list[dict]:
    """Each turn the page showed is in the stored transcript exactly as often as it was shown, and
    in the same order; returns the stored items matched to the shown turns."""
    stored = stored_view(transcript)
    matched, position = [], 0
    for turn in shown:
        found = next((i for i in range(position, len(stored)) if stored[i] == turn), None)
        assert found is not None, (
            f"turn {turn} shown by the page is not stored (in order) after stored item {position}:\n"
            f"shown:  {shown}\nstored: {stored}"
        )
        matched.append(transcript[found])
        position = found + 1
    shown_counts, stored_counts = Counter(shown), Counter(stored)
    repeated = {turn: stored_counts[turn] for turn in shown_counts if stored_counts[turn] != shown_counts[turn]}
    assert not repeated, f"turns stored more often than shown: {repeated}\nshown:  {shown}\nstored: {stored}"
    return matched


def assert_completed_plausibly(session: dict, interview: Interview, completed_seen: float) -> None:
    """Completed, started between the click and the call going live, and lasting about as long as
    the candidate was in it (never longer than until the test saw it completed)."""
    assert session["status"] == "completed", session["status"]
    started = session["startedAt"].timestamp()
    assert interview.clicked - 1 <= started <= interview.live_at + 1, (
        datetime.fromtimestamp(interview.clicked, UTC),
        session["startedAt"],
    )
    duration = session["duration"]
    assert interview.finished_at - interview.live_at - 1 <= duration <= completed_seen - interview.clicked + 1, (
        duration,
        interview.finished_at - interview.live_at,
        completed_seen - interview.clicked,
    )


def assert_page_delivered(matched: list[dict], exchanges: list[Exchange]) -> None:
    """The page's own transcript writes got every candidate turn it showed to the API (a 200), not only
    the local interviewer's writes (the page's copy is what survives a provider that could not write).
    The interviewer's turns are the interviewer's to store (contract T5): the page sends none."""
    accepted = [e for e in exchanges if e.is_transcript_write and e.status == 200 and not e.injected]
    delivered = {item_id for e in accepted for item_id in e.item_ids()}
    missing = [item for item in matched if item["role"] == "candidate" and item["id"] not in delivered]
    assert not missing, f"the page never delivered {len(missing)} turn(s) it showed: {missing}"


def server_errors(
    exchanges: list[Exchange], browser_responses: list[tuple[int, str, str | None]], proxy_url: str
) -> list[str]:
    """Every 5xx the API or the page answered, other than a 503 with ``Retry-After`` (what the
    browser got through the proxy is judged from the proxy's record)."""
    bad = [
        f"{e.method} {e.path} -> {e.status}: {e.response_body[:200]!r}"
        for e in exchanges
        if e.status is not None and e.status >= 500 and not (e.status == 503 and e.retry_after)
    ]
    bad += [
        f"browser {url} -> {status}"
        for status, url, retry_after in browser_responses
        if status >= 500 and not (status == 503 and retry_after) and not url.startswith(proxy_url)
    ]
    return bad


def check_interview(page, db, app_id: str, interview: Interview, shown: list[Turn], proxy: FaultProxy) -> None:
    """The fault tests' verdict, every broken promise listed at once:
    every turn shown is stored exactly once and in order, and delivered by the page itself; the
    session is completed with a plausible duration; no 5xx but a 503 with ``Retry-After``."""
    failures: list[str] = []
    deadline = time.time() + END_TIMEOUT_S
    session = None
    while time.time() < deadline:
        session = db.interviewSessions.find_one({"applicationId": app_id, "status": "completed"})
        if session:
            break
        page.wait_for_timeout(200)
    completed_seen = time.time()
    if session is None:
        session = db.interviewSessions.find_one({"applicationId": app_id}, sort=[("createdAt", -1)]) or {}
        failures.append(f"the session is not completed {END_TIMEOUT_S} s after Finish: {session.get('status')}")
    page.wait_for_timeout(500)  # what the page's last round sent after the end is recorded too
    exchanges = proxy.seen()
    sessions = db.interviewSessions.count_documents({"applicationId": app_id})
    if sessions != 1:
        failures.append(f"{sessions} sessions for one interview")
    matched: list[dict] | None = None
    try:
        matched = assert_every_shown_turn_stored_once_in_order(shown, session.get("transcript", []))
        assert_page_delivered(matched, exchanges)
    except AssertionError as exc:
        failures.append(f"{'delivery' if matched is not None else 'transcript'}: {exc}")
    try:
        assert_completed_plausibly(session, interview, completed_seen)
    except (AssertionError, KeyError) as exc:
        failures.append(f"completion: {type(exc).__name__} {exc}")
    errors = server_errors(exchanges, interview.responses, proxy.url)
    if errors:
        failures.append(f"5xx answers without Retry-After: {errors}")
    assert not failures, "\n\n".join(failures)
