"""``ReviewDetailState``: one session for the hiring team, and the human decision on it.

Opening it records a ``review.viewed`` event (the API does, on every read of the detail). The
decision goes to the API as is: its rules (a reject needs a note, no decision on an interview in
progress, notes up to 2,000 characters) live behind the API, and its refusal is shown in words.
The AI never decides: the form starts empty whatever the score.
"""

from __future__ import annotations

from collections.abc import Mapping

import reflex as rx

from interview_app.ui import review_client, review_view
from interview_app.ui.review_state import ReviewState, problem_message
from interview_app.ui.sync import backend_api_url

NOT_FOUND_MESSAGE = "No interview with this id. It may have been mistyped."
MAX_NOTE = 2000
NOTE_NEEDED_MESSAGE = "A reject needs a note saying why: the candidate may ask."
IN_PROGRESS_MESSAGE = "The interview is still in progress: decide once it has ended."


def decision_refusal(problem: review_client.Problem, decision: str, token: str) -> str:
    """The API's refusal of a decision in words (its codes are stable; its details name the field)."""
    if problem.status == 409:
        return IN_PROGRESS_MESSAGE
    about_note = "note" in f"{problem.message} {problem.details}".lower()
    if problem.status == 400 and about_note and decision == "reject":
        return NOTE_NEEDED_MESSAGE
    if problem.status == 400 and about_note:
        return f"The note was refused: {problem.details or problem.message}"
    return problem_message(problem, token)


class ReviewDetailState(ReviewState):
    """``/review/[session_id]``: header, score panel, transcript, timeline, metadata, decision."""

    loaded: bool = False
    shown_session: str = ""
    candidate: str = ""
    job: str = ""
    status: str = ""
    status_label: str = ""
    duration: str = ""
    final_score: str = ""
    decision: str = ""
    scoring_label: str = ""
    scoring_about: str = ""  # provider, model, rubric: what produced the score
    summary: str = ""
    injection_quote: str = ""
    transcript_verified: bool = False
    erased: str = ""
    chart: list[dict] = []  # recharts rows: {dimension, score}
    chart_summary: str = ""
    dimensions: list[review_view.Dimension] = []
    turns: list[review_view.Turn] = []
    timeline: list[review_view.TimelineEntry] = []
    metadata: list[review_view.Field] = []
    consent: str = ""
    accommodation: str = ""
    history: list[str] = []
    highlighted: str = ""  # the DOM id of the turn an evidence quote points at
    highlight_nonce: int = 0
    decision_error: str = ""
    decision_notice: str = ""
    saving: bool = False

    @rx.var
    def in_progress(self) -> bool:
        return self.status == "in_progress"

    def _route_session_id(self) -> str:
        value = self.router.page.params.get("session_id", "")
        return value if isinstance(value, str) else ""

    @rx.event
    async def load(self):
        """Each visit: everything the API holds about this session (and a ``review.viewed`` event)."""
        self.highlighted, self.decision_error, self.decision_notice = "", "", ""
        await self._fetch()
        if self.hide_token:
            yield

    async def _fetch(self) -> None:
        session_id = self._route_session_id()
        self.shown_session = session_id
        if not self._take_token_from_link():
            self.loaded = True
            return
        outcome = await review_client.get_session(backend_api_url(), self.reviewer_token, session_id)
        self.loaded = True
        if isinstance(outcome, review_client.Problem):
            self.error_message = (
                NOT_FOUND_MESSAGE if outcome.status == 404 else problem_message(outcome, self.reviewer_token)
            )
            return
        self.error_message = ""
        self._show(outcome.body)

    def _show(self, body: Mapping) -> None:
        session, application, scoring = (
            review_view.mapping(body.get(key)) for key in ("session", "application", "scoring")
        )
        profile = review_view.mapping(application.get("candidateProfile"))
        self.candidate = review_view.text(
            session.get("candidateName") or application.get("candidateName") or profile.get("fullName"), 200
        )
        self.job = review_view.text(session.get("jobTitle") or application.get("jobTitle"), 200)
        self.status = str(session.get("status", ""))
        self.status_label = review_view.STATUS_LABELS.get(self.status, review_view.text(self.status))
        self.duration = review_view.duration(session.get("duration"))
        self.final_score = review_view.score(session.get("finalScore"))
        self.decision = review_view.decision_summary(body.get("review") or session.get("review"))
        self.scoring_label = review_view.SCORING_LABELS.get(str(scoring.get("status")), "Not scored")
        about = [scoring.get("provider"), scoring.get("model"), scoring.get("rubricVersion")]
        self.scoring_about = " · ".join(str(part)[:80] for part in about if part)
        self.summary = review_view.text(scoring.get("summary"), 4000) if scoring.get("summary") else ""
        injection = review_view.mapping(scoring.get("injectionAttempt"))
        self.injection_quote = str(injection.get("quote", ""))[:1000]
        verified = body.get("transcriptVerified", scoring.get("transcriptVerified", session.get("transcriptVerified")))
        self.transcript_verified = verified is True
        erased = review_view.mapping(session.get("erased"))
        self.erased = (
            f"{review_view.date_time(erased.get('at'))} by {review_view.text(erased.get('by'), 200)}"
            if (erased)
            else ""
        )
        self.chart = review_view.chart(session.get("scoreBreakdown"))
        self.chart_summary = review_view.chart_summary(self.chart)
        self.dimensions = review_view.dimensions(scoring)
        transcript = body.get("transcript", session.get("transcript"))
        self.turns = [review_view.turn(item) for item in transcript or [] if isinstance(item, Mapping)]
        events = body.get("events", session.get("events"))
        self.timeline = [review_view.event_entry(event) for event in events or [] if isinstance(event, Mapping)]
        self.metadata = review_view.metadata_fields(session)
        self.consent = review_view.consent_text(session)
        self.accommodation = review_view.accommodation_text(session)
        history = body.get("reviewHistory")
        self.history = [review_view.decision_summary(entry) for entry in history or [] if isinstance(entry, Mapping)]

    @rx.event
    def show_evidence(self, item_id: str):
        """An evidence quote was clicked: scroll to its turn and highlight it."""
        if isinstance(item_id, str):
            self.highlighted = review_view.turn_dom_id(item_id)
            self.highlight_nonce += 1

    @rx.event
    async def submit_decision(self, form: dict):
        """The decision form: sent to the API; its refusal (e.g. a reject without a note) shown in words."""
        form = form if isinstance(form, dict) else {}  # any client may call any handler with anything
        decision = form.get("decision")
        raw_note = form.get("note")
        note = raw_note if isinstance(raw_note, str) else ""
        self.decision_notice = ""
        if decision not in dict(review_view.DECISIONS):
            self.decision_error = "Choose advance, hold or reject."
            return
        if len(note) > MAX_NOTE:
            self.decision_error = f"The note is {len(note)} characters long; at most {MAX_NOTE} are kept."
            return
        self.saving = True
        yield
        outcome = await review_client.decide(
            backend_api_url(), self.reviewer_token, self._route_session_id(), str(decision), note
        )
        self.saving = False
        if isinstance(outcome, review_client.Problem):
            self.decision_error = decision_refusal(outcome, str(decision), self.reviewer_token)
            return
        self.decision_error = ""
        await self._fetch()
        self.decision_notice = f"Decision saved: {self.decision}"
