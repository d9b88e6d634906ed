"""When the last demo application still gives a developer a whole new interview (issue 20 §7)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import demo
from interview_app.domain.model import Application, SessionRef, Snapshot
from interview_app.storage.sessions import application_from_document

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
APP = Application(id="demo-application", user_id="demo-candidate", job_title=None, candidate_name=None, status=None)


def ref(status: str, minutes_ago: float, sid: str = "s") -> SessionRef:
    return SessionRef(session_id=sid, status=status, started_at=NOW - timedelta(minutes=minutes_ago))


@pytest.mark.parametrize(
    ("case", "sessions", "ready"),
    [
        ("untouched", [], True),
        ("submitted", [ref("completed", 30)], False),
        ("in progress, active a minute ago (a tab in the call, or the README's curl)", [ref("in_progress", 1)], False),
        ("in progress but stale: a Start abandons it", [ref("in_progress", 6)], True),
        ("three starts in ten minutes: rate limited", [ref("abandoned", m, f"s{m}") for m in (2, 4, 8)], False),
        ("abandoned long ago", [ref("abandoned", 60)], True),
    ],
)
def test_a_demo_is_handed_out_only_while_a_start_would_begin_a_new_interview(case, sessions, ready):
    assert demo.ready_for_a_new_interview(Snapshot(APP, sessions), NOW) is ready, case


def test_a_submitted_application_status_is_not_ready():
    assert not demo.ready_for_a_new_interview(Snapshot(replace(APP, status="interview_completed"), []), NOW)


def test_a_fresh_demo_is_an_application_the_app_reads_and_marked_as_demo_data():
    first, second = demo.new_demo_id(NOW), demo.new_demo_id(NOW)
    assert first != second and first.startswith("demo-20261130-120000-")
    document = demo.demo_application_document(first, NOW)
    assert document[demo.DEMO_MARK] is True
    application = application_from_document(document)
    assert (application.id, application.user_id, application.status) == (first, "demo-candidate", "interview_scheduled")
