"""The consent in the page state, through events and public vars (issue 17 §4)."""

from __future__ import annotations

from interview_app.domain import notice
from interview_app.ui import api_client
from interview_app.ui import state as state_module
from interview_app.ui.state import InterviewState
from tests.support.ui_state import interview_state, send


def test_the_state_starts_nothing_without_consent_and_sends_the_notice_version(monkeypatch):
    """Through events and public vars: Start is a no-op until consent, then start-session carries it."""
    calls: list[dict] = []

    async def unreachable(*_args, **kwargs):
        calls.append(kwargs)
        return api_client.Unavailable("ConnectError")

    monkeypatch.setattr(state_module, "start_or_reuse", unreachable)
    state = interview_state("idle", application_id="app-consent")
    send(state, InterviewState.set_device, {"mic": "ready", "userAgent": "Mozilla/5.0"})
    assert state.can_start is False and state.consented is False
    send(state, InterviewState.start)
    assert state.phase == "idle" and calls == []
    send(state, InterviewState.set_consent, True)
    assert state.consented is True and state.can_start is True
    send(state, InterviewState.start)
    assert [call["consent"] for call in calls] == [notice.NOTICE_VERSION]
    send(state, InterviewState.set_consent, "yes")  # anything but True is not a tick
    assert state.consented is False
