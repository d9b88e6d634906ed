"""``ScoreState``: the score screen (``/interview/[application_id]/score``), polling until final.

Which credential reads the score: the session token of the interview this tab ended while it
lasts, else the candidate token this tab got from its invite link (a fresh tab: the link, then
``#view-score``); the submitted session is named by the application preview. A background event
polls every 2 s until a final status, and a new page load (a refresh) replaces the running poll.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import reflex as rx

from interview_app.config import get_settings
from interview_app.domain.clock import utcnow
from interview_app.domain.device import is_header_safe
from interview_app.ui import api_client, credentials, score_words
from interview_app.ui.score_words import DimensionRow
from interview_app.ui.state import InterviewState
from interview_app.ui.sync import backend_api_url

POLL_EVERY_S = 2.0
RETRYABLE = frozenset({("SESSION_NOT_COMPLETED", 409)})  # the end is still on its way from this tab


class ScoreState(rx.State):
    if TYPE_CHECKING:
        application_id: str  # the dynamic route arg, added by Reflex

    status: str = "loading"
    reason: str = ""
    final_score: int = -1  # -1: no number to show
    dimensions: list[DimensionRow] = []
    chart: list[dict] = []  # {name, score}: what Recharts draws
    summary: str = ""
    local_provider: bool = False
    unverified: bool = False
    _session_id: str = ""
    _token: str = ""
    _generation: int = 0

    @rx.var
    def status_words(self) -> str:
        return score_words.STATUS_WORDS.get(self.status, score_words.SCORING_WORDS)

    @rx.var
    def reason_words(self) -> str:
        return score_words.REASON_WORDS.get(self.reason, "") if self.status == "insufficient" else ""

    @rx.var
    def polling(self) -> bool:
        return self.status in score_words.POLLED

    @rx.var
    def scored(self) -> bool:
        return self.status == "scored" and self.final_score >= 0

    @rx.var
    def chart_label(self) -> str:
        return score_words.chart_label(self.dimensions)

    def _clear(self) -> None:
        self.status, self.reason, self.final_score, self.summary = "loading", "", -1, ""
        self.dimensions, self.chart, self.local_provider, self.unverified = [], [], False, False
        self._session_id = self._token = ""

    @rx.event
    async def load(self):
        """A fresh visit or a refresh: find the session and a credential, then poll."""
        self._generation += 1  # a poll still running from an earlier load stops
        self._clear()
        yield
        interview = await self.get_state(InterviewState)
        application_id = self.application_id
        expires = credentials.parse_time(interview._api_expires_at)
        if (
            interview._interview_application == application_id
            and interview._api_session_id
            and interview._api_token
            and expires is not None
            and expires > utcnow()
        ):
            self._session_id, self._token = interview._api_session_id, interview._api_token
            self.status = "submitting" if interview._end_pending else "loading"
        else:
            token = interview.candidate_token if interview.token_application == application_id else ""
            if not is_header_safe(token or None):
                self.status = "refused"
                return
            preview = await api_client.get_application(backend_api_url(), application_id, candidate_token=token or None)
            if not isinstance(preview, api_client.Answered):
                self.status = "unavailable" if isinstance(preview, api_client.Unavailable) else "refused"
                return
            completed = preview.body.get("completedSession")
            if not isinstance(completed, dict) or not isinstance(completed.get("sessionId"), str):
                self.status = "not_submitted"
                return
            self._session_id, self._token = completed["sessionId"], token
        yield ScoreState.poll

    @rx.event(background=True)
    async def poll(self):
        """Every 2 s until a final status (or until a newer load takes over)."""
        async with self:
            generation, session_id, token = self._generation, self._session_id, self._token
        if not session_id:
            return
        while True:
            outcome = await api_client.get_score(backend_api_url(), session_id, token=token or None)
            async with self:
                if self._generation != generation:
                    return
                self._apply(outcome)
                if not self.polling:
                    return
            await asyncio.sleep(POLL_EVERY_S)

    def _apply(self, outcome: api_client.Answered | api_client.Failure) -> None:
        if isinstance(outcome, api_client.Unavailable):
            self.status = "unavailable"
            return
        if isinstance(outcome, api_client.Refused):
            self.status = "submitting" if (outcome.code, outcome.status) in RETRYABLE else "refused"
            return
        if not isinstance(outcome, api_client.Answered):
            self.status = "refused"
            return
        body = outcome.body
        self.status = score_words.shown_status(_text(body.get("status")) or "pending", get_settings().show_score)
        self.reason = _text(body.get("reason"))
        self.local_provider = body.get("provider") == "local"
        self.unverified = body.get("transcriptVerified") is False
        final = body.get("finalScore")
        self.final_score = final if isinstance(final, int) and self.status == "scored" else -1
        self.dimensions = score_words.dimension_rows(body.get("dimensions")) if self.final_score >= 0 else []
        self.chart = score_words.chart_points(self.dimensions)
        self.summary = _text(body.get("summary"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
