"""The score screen with ``INTERVIEW_SHOW_SCORE=false`` (an app of its own configuration, so a module
of its own: browser modules on the default app run first)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import app_with, assert_accessible, screenshot
from tests.ui.test_score_screen import open_score_from_invite, submitted_interview

pytestmark = pytest.mark.browser


@pytest.fixture
def hidden_scores_url(shared_app, database, db_name, tmp_path_factory):
    return app_with(shared_app, database, db_name, tmp_path_factory, {"INTERVIEW_SHOW_SCORE": "false"})


def test_with_scores_hidden_the_hiring_team_is_reviewing(page, hidden_scores_url, db):
    app_id = submitted_interview(db, "scored")
    open_score_from_invite(page, hidden_scores_url, app_id)
    expect(page.locator("#score-status")).to_have_text(
        "Thank you. The hiring team is reviewing your interview and will contact you about next steps.", timeout=10_000
    )
    expect(page.locator("#final-score")).to_have_count(0)
    expect(page.locator("#score-chart")).to_have_count(0)
    expect(page.locator("#score")).not_to_contain_text("70")
    assert_accessible(page, "score hidden")
    screenshot(page, "score-05-hidden")
