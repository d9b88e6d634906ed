"""Fault tests (issue 15 A3): a real interview in Chromium while one fault happens.

Every module gets a file-backed database of its own (so a test may pause or kill it) and runs the
app behind the recording :mod:`tests.support.fault_proxy` (``INTERVIEW_API_URL``), which sees
every API answer of the interview.
"""

from __future__ import annotations

import pytest

from tests.support.browser import database, db, db_name, ui_db
from tests.support.scripted_interview import answering_candidate_wav, launch_candidate_browser

__all__ = ["candidate_browser", "database", "db", "db_name", "page", "ui_db"]


@pytest.fixture(scope="module")
def candidate_browser(browser, tmp_path_factory):
    """Chromium whose fake microphone is a candidate answering every question."""
    wav = answering_candidate_wav(tmp_path_factory.mktemp("voice") / "candidate.wav")
    launched = launch_candidate_browser(browser.browser_type, wav)
    yield launched
    launched.close()


@pytest.fixture
def page(candidate_browser):
    context = candidate_browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()
