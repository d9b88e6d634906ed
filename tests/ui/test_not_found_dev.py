"""The branded 404 in dev mode too (issue 20 §11): ``reflex run --env dev``, the page's own router.

Prod is covered by ``test_first_screen.py`` (status 404, the shared prod app). This module starts the
developer run once (it shares the checkout's ``.web`` with the prod app, so the shared app is stopped
first) and checks the same screen and its link home.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from interview_app.cli.prod import stop_process_group
from interview_app.storage.embedded import free_port
from tests.support.app_server import ROOT, SECRET, SESSION_SECRET, SHARED_APP, START_TIMEOUT_S
from tests.support.browser import assert_accessible
from tests.support.processes import one_reflex_start, wait_until_answering

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dev_app(database, db_name, tmp_path_factory):
    """``reflex run`` in dev mode on free ports (frontend and backend); yields the page's base URL."""
    SHARED_APP.release()  # one app at a time: they share .web
    frontend, backend = free_port(), free_port()
    log_path = tmp_path_factory.mktemp("dev") / "dev.log"
    env = {
        **os.environ,
        "MONGODB_URI": database.uri,  # so the dev run starts no embedded database of its own
        "MONGODB_DB": db_name,
        "NEXTAUTH_SECRET": SECRET,
        "INTERVIEW_SESSION_SECRET": SESSION_SECRET,
        "INTERVIEW_DATA_DIR": str(log_path.parent),
        "REFLEX_FRONTEND_PORT": str(frontend),
        "REFLEX_BACKEND_PORT": str(backend),
        "REFLEX_API_URL": f"http://127.0.0.1:{backend}",  # Chromium here resolves no host name, localhost included
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT}/.tools/node_modules/.bin:{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}",
    }
    command = [sys.executable, "-m", "reflex", "run", "--env", "dev", "--backend-host", "127.0.0.1"]
    starting = contextlib.ExitStack()
    starting.enter_context(one_reflex_start())
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{frontend}"
    try:
        with starting:
            wait_until_answering(
                proc, [f"{base}/", f"http://127.0.0.1:{backend}/ping"], log_path, START_TIMEOUT_S, "dev app"
            )
        yield base
    finally:
        stop_process_group(proc, timeout_s=40)


def test_the_404_is_branded_in_dev_too(page, dev_app):
    """On the old code Reflex's bare "404: Page not found" text, with no way on."""
    page.goto(f"{dev_app}/no/such/page")
    expect(page.locator("#problem-title")).to_have_text("We couldn't find this page", timeout=60_000)
    expect(page.locator("header")).to_contain_text("Interview")
    assert_accessible(page, "404, dev")
    page.click("#problem-home")
    expect(page.get_by_role("heading", name="AI-led job interviews")).to_be_visible()
