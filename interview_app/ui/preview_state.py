"""``PreviewMixin``: what the page learns at load, before any device is touched.

Mixed into ``InterviewState``. The link is judged first (``link_status``, issue 20 §8): the room
(device check, microphone, Start) appears only for a good link, or for one that could not be
checked because the API is unreachable (the interview may then run offline, as before). A bad
link shows the problem screen instead, and the browser is asked for nothing. The preview's
``interview`` summary gives the size of the interview (§4) and whether it asks for the camera (§9);
unknown (an outage), the page promises no figure and asks for the microphone only.
"""

from __future__ import annotations

from typing import Literal

import reflex as rx

from interview_app.ui import api_client
from interview_app.ui.link_check import link_problem
from interview_app.ui.words import interview_size

# checking: not judged yet (the room waits); good: the API answered; bad: the problem screen;
# unchecked: the API could not be reached (the room, as before: the interview may run offline).
LinkStatus = Literal["checking", "good", "bad", "unchecked"]
MAX_QUESTIONS_SHOWN = 99
MAX_MINUTES_SHOWN = 600


class PreviewMixin(rx.State, mixin=True):
    link_status: LinkStatus = "checking"
    problem_title: str = ""
    problem_message: str = ""
    problem_advice: str = ""
    interview_size: str = ""  # "About 6 minutes · 3 questions"; empty while unknown
    selfview: bool = False  # the plan asks for the camera (a self view); else the microphone only
    _judged_link: str = ""  # the application and token the verdict is for

    def _bad_link(self) -> bool:
        """Judged bad: nothing may start (issue 20 §8). (While the link is checked the page shows no
        Start either; the API refuses a bad link anyway.)"""
        return self.link_status == "bad"

    def _check_link(self, application_id: str, token: str) -> None:
        """A link not judged yet waits for its verdict; the same link keeps its verdict while the
        preview is read again (a refresh), so the room is not taken down and put back."""
        if self._judged_link != f"{application_id} {token}":
            self.link_status = "checking"
            self.interview_size, self.selfview = "", False

    def _judge_link(self, application_id: str, token: str, outcome: api_client.Answered | api_client.Failure) -> None:
        problem = link_problem(outcome, sent_token=bool(token))
        self._judged_link = f"{application_id} {token}"
        if problem is not None:
            self.link_status = "bad"
            self.problem_title, self.problem_message, self.problem_advice = (
                problem.title,
                problem.message,
                problem.advice,
            )
            return
        self.link_status = "good" if isinstance(outcome, api_client.Answered) else "unchecked"
        if isinstance(outcome, api_client.Answered):
            self._read_interview(outcome.body.get("interview"))

    def _read_interview(self, summary: object) -> None:
        """The preview's ``interview`` member (never the questions); anything odd is shown as unknown."""
        if not isinstance(summary, dict):
            self.interview_size, self.selfview = "", False
            return
        count = _bounded(summary.get("questionCount"), MAX_QUESTIONS_SHOWN)
        minutes = _bounded(summary.get("expectedMinutes"), MAX_MINUTES_SHOWN)
        self.interview_size = interview_size(count, minutes) if count and minutes else ""
        self.selfview = summary.get("camera") == "selfview"


def _bounded(value: object, top: int) -> int | None:
    """A whole number from 1 to ``top`` (never a bool), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= top:
        return value
    return None
