"""Browser test helpers: Debian's Chromium driven by Playwright, the app's invite links, screenshots.

Fixtures are re-exported by the conftest of each browser test folder (``tests/ui``,
``tests/security``), so every module there gets a database server of its own.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from interview_app.domain import tokens
from interview_app.storage import embedded
from interview_app.domain.clock import utcnow
from tests.support.app_server import CHROMIUM_ARGS, ROOT, SECRET

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LIVE_TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def ui_db(tmp_path_factory):
    """A database server of the module's own (file-backed), so a test may stop it."""
    server = embedded.spawn(str(tmp_path_factory.mktemp("uidb") / "db"))
    yield server
    embedded.stop(server)


@pytest.fixture(scope="module")
def db_name():
    return f"ui_{uuid.uuid4().hex[:8]}"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def new_application(db, job_title="Platform Engineer", status="interview_scheduled", user="cand-1") -> str:
    app_id = f"app-{uuid.uuid4().hex[:10]}"
    db.applications.insert_one({"_id": app_id, "userId": user, "jobTitle": job_title, "status": status,
                                "candidateProfile": {"fullName": "Jordan Rivera"}})
    return app_id


def candidate_token(app_id: str | None, user: str = "cand-1") -> str:
    return tokens.mint_candidate_token(SECRET, user, app_id, utcnow(), ttl=timedelta(hours=1))


def invite(base: str, app_id: str, user: str = "cand-1") -> str:
    return f"{base}/interview/{app_id}?token={candidate_token(app_id, user)}"


def open_ready(page, url: str):
    page.goto(url)
    expect(page.locator("#interview-phase")).to_have_text("idle")
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)


def end_interview(page) -> None:
    """Click End interview, confirming when the page asks (``#confirm-end``), until the phase is ``ended``."""
    page.click("#end-interview")
    confirm = page.locator("#confirm-end")
    phase = page.locator("#interview-phase")
    for _ in range(50):
        if confirm.is_visible():
            confirm.click()
        if phase.inner_text() == "ended":
            return
        page.wait_for_timeout(100)
    expect(phase).to_have_text("ended")
