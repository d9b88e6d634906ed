"""``CompletionState``: the completion screen's figures, a state of its own beside ``InterviewState``.

The interview state writes them (``get_state``) at the moments they change: the candidate ends the
interview (what this tab knows: its elapsed time and the answers it kept), the API stores the end
(its duration, count and score replace them), and a fresh page clears them, then fills them from the
preview's submitted interview (issue 20 §11: a reload keeps the duration the server stored). A sibling rather
than a substate, so the interview state can name it without an import running back up.
"""

from __future__ import annotations

import reflex as rx

from interview_app.ui import completion, feed
from interview_app.ui.completion import ScoreLine


class CompletionState(rx.State):
    submitted: bool = False
    duration_label: str = ""
    answered: int = 0
    final_score: str = ""
    score_lines: list[ScoreLine] = []

    def _clear(self) -> None:
        self.submitted, self.duration_label, self.answered, self.final_score, self.score_lines = False, "", 0, "", []

    def _record_end(self, duration_label: str, answers_kept: int) -> None:
        """The candidate ended it here: submitted, with what this tab knows until the API says more."""
        self.submitted, self.duration_label, self.answered = True, duration_label, answers_kept

    def _confirm(self, answers_kept: int) -> None:
        """The completion page of an interview this tab ended."""
        self.submitted, self.answered = True, self.answered or answers_kept

    def _show(self, body: dict, offline: bool) -> None:
        """What the API stored: never a made-up score."""
        shown = completion.summary(body)
        self.submitted = self.submitted or shown.completed
        if shown.duration_s is not None and not offline:  # offline: the server only saw the upload
            self.duration_label = feed.mm_ss(shown.duration_s)
        if shown.answered is not None:  # a refused end answers nothing: the count kept here stays
            self.answered = shown.answered
        self.final_score, self.score_lines = shown.final_score, shown.score_lines

    def _show_submitted(self, preview: dict) -> None:
        """A completion screen opened afresh (a reload once the tab's state is gone): the submitted
        interview's figures as the server stored them (the preview's ``completedSession``)."""
        shown = completion.submitted_summary(preview)
        if shown is None:
            return
        self.submitted = True
        if shown.duration_s is not None:
            self.duration_label = feed.mm_ss(shown.duration_s)
        if shown.answered is not None:
            self.answered = shown.answered
