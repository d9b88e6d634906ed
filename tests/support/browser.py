"""Browser test helpers: Debian's Chromium driven by Playwright, the app's invite links, screenshots.

Fixtures are re-exported by the conftest of each browser test folder (``tests/ui``,
``tests/security``, ``tests/deploy``). The database server, the app of each configuration and
Chromium are shared by every browser module (each start costs seconds); each module keeps its
own applications (fresh ids), and ``tests/conftest.py`` runs the browser modules together, those
on the default app first.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright
from pymongo import MongoClient

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.storage import embedded
from tests.support.app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, SECRET, SHARED_APP, running_app
from tests.support.rtc_client import CandidateCall

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LIVE_TIMEOUT_MS = 20_000
AXE_SCRIPT = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}
# Keeps every stream getUserMedia hands out, so a test can check that each track was stopped, and
# counts the requests as they are made.
MEDIA_SPY = """(() => {
  const streams = [];
  window.__mediaStreams = streams;
  window.__mediaRequests = 0;
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    window.__mediaRequests += 1;
    const s = await original(constraints);
    streams.push(s);
    return s;
  };
})();"""


class SharedBrowser:
    """One Chromium for the whole run, launched when a test first needs it.

    Sync Playwright runs an event loop on the main thread, so it must not be alive while an async
    test runs: :meth:`close` is called before each async test (``tests/conftest.py``) and at the end.
    """

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self._browser

    def close(self) -> None:
        browser, playwright, self._browser, self._playwright = self._browser, self._playwright, None, None
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()


SHARED_BROWSER = SharedBrowser()


@pytest.fixture
def browser():
    """The run's Chromium (each test opens its own contexts in it)."""
    return SHARED_BROWSER.get()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A page at 390x844, touch, as on a phone."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def browser_ui_db(tmp_path_factory):
    """The browser tests' database server (file-backed), shared by every browser module: a test may
    stop it, and brings it back before it ends (see :class:`DatabaseServer`)."""
    server = embedded.spawn(str(tmp_path_factory.mktemp("uidb") / "db"))
    yield server
    embedded.stop(server)


class DatabaseServer:
    """The browser tests' database server, which a test may take down and bring back (same port, same files)."""

    def __init__(self, server: embedded.EmbeddedServer):
        self.server = server

    @property
    def uri(self) -> str:
        return self.server.uri

    def stop(self) -> None:
        embedded.stop(self.server)

    def pause(self) -> None:
        """``SIGSTOP`` on its process group: it holds its connections and answers nothing."""
        os.killpg(self.server.pid, signal.SIGSTOP)

    def resume(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGCONT)

    def kill(self) -> None:
        """``kill -9`` on its process group, and wait until it is gone (its files stay)."""
        os.killpg(self.server.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.server.pid, 0)  # the test process started it: reap it

    def start(self) -> None:
        """Back on its port with its files (a paused server is resumed; nothing happens when it answers)."""
        self.resume()
        if not embedded.is_running(self.server):  # its own process answering, not any ping within 200 ms
            self.server = embedded.spawn(self.server.storage_path, self.server.port)


@pytest.fixture(scope="session")
def browser_database(browser_ui_db):
    """Set up before the apps and torn down after them: an app never stops while its database is down."""
    server = DatabaseServer(browser_ui_db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_db_name():
    return f"ui_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def shared_app(browser_database):
    """The app the browser tests share across modules (one configuration running at a time)."""
    yield SHARED_APP
    SHARED_APP.release()  # before the database stops


@pytest.fixture(scope="session")
def browser_db(browser_ui_db, browser_db_name):
    with MongoClient(browser_ui_db.uri, tz_aware=True) as client:
        yield client[browser_db_name]


# The names browser modules use. These session fixtures are registered once, in tests/conftest.py
# (a fixture imported into several folders' conftests would be one instance per folder); the
# aliases below are re-exported by each browser folder's conftest.


@pytest.fixture(scope="module")
def ui_db(browser_database):
    """The database server now answering (after a restart: the new process, same port and files)."""
    return browser_database.server


@pytest.fixture(scope="module")
def database(browser_database):
    """The shared database server, which a test may take down and bring back."""
    return browser_database


@pytest.fixture(scope="module")
def db_name(request):
    """The shared app's database name in a browser module; a fresh one for any other module here."""
    if request.node.get_closest_marker("browser") is None:
        return f"ui_{uuid.uuid4().hex[:8]}"
    return request.getfixturevalue("browser_db_name")


@pytest.fixture(scope="module")
def db(browser_db):
    """The browser tests' database, for setting up applications and checking what the app stored."""
    return browser_db


@pytest.fixture(autouse=True)
def database_back_up(request):
    """A browser test that took the shared database down has it answering again after it."""
    yield
    if "browser_database" in request.fixturenames:
        request.getfixturevalue("browser_database").start()


def app_with(shared_app, database, db_name, tmp_path_factory, extra_env: dict | None = None) -> str:
    """The shared app with these extra settings (started unless it already runs with them)."""
    key = tuple(sorted((extra_env or {}).items()))
    return shared_app.url(key, lambda: running_app(database.uri, db_name, tmp_path_factory.mktemp("app"), extra_env))


@pytest.fixture
def app_url(shared_app, database, db_name, tmp_path_factory):
    """The app in prod mode with default settings, shared by every module that asks for it (a module
    may override this with its own settings through :func:`app_with`)."""
    return app_with(shared_app, database, db_name, tmp_path_factory)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def new_application(db, job_title="Platform Engineer", status="interview_scheduled", user="cand-1") -> str:
    app_id = f"app-{uuid.uuid4().hex[:10]}"
    db.applications.insert_one(
        {
            "_id": app_id,
            "userId": user,
            "jobTitle": job_title,
            "status": status,
            "candidateProfile": {"fullName": "Jordan Rivera"},
        }
    )
    return app_id


def candidate_token(app_id: str | None, user: str = "cand-1") -> str:
    return tokens.mint_candidate_token(SECRET, user, app_id, utcnow(), ttl=timedelta(hours=1))


def invite(base: str, app_id: str, user: str = "cand-1") -> str:
    return f"{base}/interview/{app_id}?token={candidate_token(app_id, user)}"


def agree_to_notice(page) -> None:
    """Tick ``#consent`` (issue 17 §4: Start stays disabled until the notice is agreed to). A click, not
    ``check()``: the box shows the server's state, so it turns checked a round trip later."""
    consent = page.locator("#consent")
    expect(consent).to_be_enabled(timeout=15_000)
    if consent.get_attribute("aria-checked") != "true":
        consent.click()
    expect(consent).to_be_checked()


def open_ready(page, url: str):
    page.goto(url)
    expect(page.locator("#interview-phase")).to_have_text("idle")
    agree_to_notice(page)
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)


def accessibility_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current screen (evaluated, so a CSP cannot block it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text() + "\n;0")
    return page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
    }""",
        WCAG_TAGS,
    )


def assert_accessible(page, screen: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{screen}: {violations}"


def media_tracks(page) -> list[str]:
    """``readyState`` of every track getUserMedia returned (needs :data:`MEDIA_SPY` as an init script)."""
    return page.evaluate("() => window.__mediaStreams.flatMap(s => s.getTracks().map(t => t.readyState))")


def start_live(page, url: str) -> None:
    open_ready(page, url)
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)


def end_via_confirmation(page) -> None:
    """End interview, then the confirmation's End interview: the completion screen follows."""
    page.click("#end-interview")
    page.click("#confirm-end")
    expect(page.locator("#completion")).to_contain_text("Interview submitted", timeout=LIVE_TIMEOUT_MS)


def wait_for(predicate, page, timeout_s: float = 10.0):
    """Polls a condition outside the page (the database, an API) while the page keeps running."""
    for _ in range(int(timeout_s * 10)):
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def wait_until_healthy(app_url: str, page, timeout_s: float = 30.0) -> None:
    """Until the app's health check answers 200 (its database is back), the page running meanwhile."""
    with httpx.Client(timeout=2) as http:  # one client for the polls: each new one builds a TLS context
        wait_for(lambda: http.get(f"{app_url}/api/health").status_code == 200, page, timeout_s=timeout_s)


def stored_session(page, app_id: str) -> dict:
    """The tab's sessionStorage copy of its session (id, token, expiry)."""
    return json.loads(page.evaluate(f"sessionStorage.getItem('interview:{app_id}')"))


def record_call_tokens(page) -> list[str]:
    """The bearer token of every call the page places from now on (its offers' ``Authorization``)."""
    placed: list[str] = []

    def on_request(request) -> None:
        if request.method == "POST" and request.url.endswith("/api/interview/realtime/calls"):
            placed.append(request.headers.get("authorization", "").removeprefix("Bearer "))

    page.on("request", on_request)
    return placed


def watch_phases(page) -> None:
    """Record every phase the page goes through in ``window.__phases`` (a reconnect is brief)."""
    page.evaluate("""() => {
        const phase = document.getElementById('interview-phase');
        window.__phases = [];
        new MutationObserver(() => window.__phases.push(phase.textContent))
          .observe(phase, {childList: true, characterData: true, subtree: true});
    }""")


def take_over_call(base: str, token: str) -> None:
    """Place a second call with the page's session token: the server hangs up the page's call."""

    async def dial() -> None:
        call = CandidateCall()
        try:
            async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                response = await call.dial(http, token)
                assert response.status_code == 201, response.text
        finally:
            await call.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API owns this thread's event loop
        pool.submit(asyncio.run, dial()).result()
