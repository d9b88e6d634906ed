"""What the page makes of the preview's answer at load (issue 20 §8), and the preview's size words (§4)."""

from __future__ import annotations

import pytest

from interview_app.ui import api_client, link_check
from interview_app.ui.words import interview_size


def refused(status: int, code: str, details: str = "") -> api_client.Refused:
    return api_client.Refused(status, code, details, None)


@pytest.mark.parametrize(
    ("outcome", "sent_token", "expected"),
    [
        (refused(404, "INVALID_APPLICATION"), True, link_check.NOT_FOUND),
        (refused(401, "UNAUTHORIZED", "Invalid candidate token: Signature has expired"), True, link_check.EXPIRED),
        (refused(401, "UNAUTHORIZED", "Invalid candidate token: Not enough segments"), True, link_check.NOT_VALID),
        (
            refused(401, "UNAUTHORIZED", "Invalid candidate token: Signature verification failed"),
            True,
            link_check.NOT_VALID,
        ),
        (refused(401, "UNAUTHORIZED", "A candidate token is required"), False, link_check.INCOMPLETE),
        (refused(403, "FORBIDDEN"), True, link_check.NOT_VALID),
        (
            refused(422, "INVALID_INTERVIEW_PLAN", "interviewPlan.camera must be off or selfview"),
            True,
            link_check.PLAN_BROKEN,
        ),
        (refused(400, "INVALID_REQUEST"), True, link_check.INCOMPLETE),
        (api_client.Invalid("UnicodeEncodeError"), True, link_check.INCOMPLETE),
    ],
)
def test_a_refused_link_is_a_problem_with_what_to_do(outcome, sent_token, expected):
    problem = link_check.link_problem(outcome, sent_token=sent_token)
    assert problem == expected
    assert problem is not None and "recruiter" in problem.advice  # every bad link says what to do


@pytest.mark.parametrize(
    "outcome",
    [
        api_client.Answered({"id": "app-1"}),
        api_client.Unavailable("ConnectError"),  # an outage is not a bad link: offline mode may follow
        api_client.Unavailable("HTTP 503", status=503, retry_after_seconds=2),
        refused(429, "RATE_LIMITED"),
    ],
)
def test_an_answer_or_an_outage_is_no_problem_of_the_link(outcome):
    assert link_check.link_problem(outcome, sent_token=True) is None


@pytest.mark.parametrize(
    ("questions", "minutes", "words"),
    [
        (1, 5, "About 5 minutes · 1 question"),
        (3, 6, "About 6 minutes · 3 questions"),
        (15, 1, "About 1 minute · 15 questions"),
    ],
)
def test_the_interview_size_in_words(questions, minutes, words):
    assert interview_size(questions, minutes) == words
