"""The page's verdict on its link at load (issue 20 §8), its size and camera words (§4, §9): the state's
events and public vars, the preview API answered by a script (no browser, no server)."""

from __future__ import annotations

import pytest

from interview_app.ui import api_client
from interview_app.ui.state import InterviewState
from tests.support.ui_state import interview_state, send

PREVIEW = {
    "id": "app-1",
    "jobTitle": "Data Analyst",
    "candidateName": "Jordan Rivera",
    "status": "open",
    "activeSession": None,
    "interview": {"questionCount": 1, "expectedMinutes": 5, "language": "en", "camera": "selfview"},
}


def preview_answers(monkeypatch, outcome) -> list[str | None]:
    """The preview answers ``outcome``; returns the candidate tokens it was asked with."""
    asked: list[str | None] = []

    async def answer(_base, _application_id, *, candidate_token, transport=None):
        asked.append(candidate_token)
        return outcome

    monkeypatch.setattr(api_client, "get_application", answer)
    return asked


def ready(state: InterviewState) -> None:
    """The microphone works and the notice is agreed to: only the link can hold Start back."""
    send(state, InterviewState.set_device, {"mic": "ready", "userAgent": "Mozilla/5.0"})
    send(state, InterviewState.set_consent, True)


@pytest.mark.parametrize(
    ("outcome", "title"),
    [
        (api_client.Refused(404, "INVALID_APPLICATION", "", None), "We couldn't find this interview"),
        (
            api_client.Refused(401, "UNAUTHORIZED", "Invalid candidate token: Signature has expired", None),
            "This interview link has expired",
        ),
        (api_client.Refused(422, "INVALID_INTERVIEW_PLAN", "interviewPlan.questions", None), "isn't ready yet"),
    ],
)
def test_a_refused_preview_is_a_bad_link_that_starts_nothing(monkeypatch, outcome, title):
    asked = preview_answers(monkeypatch, outcome)
    state = interview_state("idle", application_id="app-1")
    state.candidate_token, state.token_application = "eyJ.invite.token", "app-1"  # as the link left it
    send(state, InterviewState.load)
    ready(state)
    assert asked == ["eyJ.invite.token"]
    assert state.link_status == "bad" and title in state.problem_title and "recruiter" in state.problem_advice
    assert state.can_start is False
    send(state, InterviewState.start)
    assert state.phase == "idle"


def test_an_unreachable_api_is_not_a_bad_link(monkeypatch):
    preview_answers(monkeypatch, api_client.Unavailable("ConnectError"))
    state = interview_state("idle", application_id="app-1")
    send(state, InterviewState.load)
    ready(state)
    assert (state.link_status, state.interview_size, state.selfview) == ("unchecked", "", False)
    assert state.can_start is True  # the interview may run offline, as before


def test_a_good_link_gives_the_size_and_the_camera_of_the_plan(monkeypatch):
    preview_answers(monkeypatch, api_client.Answered(PREVIEW))
    state = interview_state("idle", application_id="app-1")
    send(state, InterviewState.load)
    ready(state)
    assert (state.link_status, state.interview_size, state.selfview) == ("good", "About 5 minutes · 1 question", True)
    assert state.can_start is True


def test_an_odd_summary_promises_no_figure(monkeypatch):
    odd = {**PREVIEW, "interview": {"questionCount": True, "expectedMinutes": -3, "camera": "always"}}
    preview_answers(monkeypatch, api_client.Answered(odd))
    state = interview_state("idle", application_id="app-1")
    send(state, InterviewState.load)
    assert (state.link_status, state.interview_size, state.selfview) == ("good", "", False)


def test_a_token_that_cannot_be_sent_is_a_bad_link_without_a_request(monkeypatch):
    asked = preview_answers(monkeypatch, api_client.Answered(PREVIEW))
    state = interview_state("idle", application_id="app-1")
    state.candidate_token, state.token_application = "bad\ntoken", "app-1"
    send(state, InterviewState.load)
    assert asked == [] and state.link_status == "bad"
    assert state.problem_title == "This interview link looks incomplete"
