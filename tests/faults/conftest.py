"""Fault tests (issue 15 A3): a real interview in Chromium while one fault happens.

They use the browser tests' shared database server (``tests/support/browser.py``): a test that
pauses or kills it brings it back before it ends (``database_back_up`` checks), so the modules after
it find it answering. Each module runs an app of its own behind the recording
:mod:`tests.support.fault_proxy` (``INTERVIEW_API_URL``), which sees every API answer of the interview.
"""

from __future__ import annotations

import pytest

from tests.support.browser import SHARED_BROWSER, database, database_back_up, db, db_name, ui_db
from tests.support.scripted_interview import answering_candidate_wav, launch_candidate_browser

__all__ = ["candidate_browser", "database", "database_back_up", "db", "db_name", "page", "ui_db"]


@pytest.fixture(scope="module")
def candidate_browser(tmp_path_factory):
    """Chromium whose fake microphone is a candidate answering every question (launched through the
    run's Playwright: a module of sync tests, so it is alive for the whole module)."""
    wav = answering_candidate_wav(tmp_path_factory.mktemp("voice") / "candidate.wav")
    launched = launch_candidate_browser(SHARED_BROWSER.get().browser_type, wav)
    yield launched
    launched.close()


@pytest.fixture
def page(candidate_browser):
    context = candidate_browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()
