"""Browser fixtures: Debian's Chromium driven by Playwright, fake microphone and camera."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from interview_app.storage import embedded
from tests.support.app_server import CHROMIUM_ARGS, ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


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


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def ui_db(tmp_path_factory):
    """A database server of the module's own (file-backed), so a test may stop it."""
    server = embedded.spawn(str(tmp_path_factory.mktemp("uidb") / "db"))
    yield server
    embedded.stop(server)


@pytest.fixture(scope="module")
def db_name():
    return f"ui_{uuid.uuid4().hex[:8]}"
