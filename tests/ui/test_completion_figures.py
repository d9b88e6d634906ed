"""The completion screen's figures from the preview's submitted interview (issue 20 §11), as plain
values: what the server stored, never a made-up one."""

import pytest

from interview_app.ui.completion import submitted_summary


def test_the_submitted_interview_gives_the_stored_duration_and_answers():
    shown = submitted_summary({"completedSession": {"sessionId": "s", "duration": 425, "answered": 2}})
    assert shown is not None and (shown.completed, shown.duration_s, shown.answered) == (True, 425, 2)
    assert shown.final_score == ""  # the preview carries no score: the screen links to it instead


@pytest.mark.parametrize(
    "completed", [{"sessionId": "s", "duration": None}, {"duration": -3}, {"duration": True}, {"duration": "425"}]
)
def test_no_usable_duration_shows_none(completed):
    shown = submitted_summary({"completedSession": completed})
    assert shown is not None and shown.duration_s is None and shown.answered is None


@pytest.mark.parametrize("preview", [{}, {"completedSession": None}, {"completedSession": "s"}])
def test_no_submitted_interview_changes_nothing(preview):
    assert submitted_summary(preview) is None
