"""Unit tests of the start-session rules (pure functions)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from interview_app.domain import rules
from interview_app.domain.model import Application, SessionRef, Snapshot

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
APP = Application(id="a1", user_id="u1", job_title=None, candidate_name=None, status="interview_scheduled")


def ref(status: str, minutes_ago: float, sid: str = "s") -> SessionRef:
    return SessionRef(session_id=sid, status=status, started_at=NOW - timedelta(minutes=minutes_ago))


def test_no_sessions_starts_new():
    assert rules.decide_start(Snapshot(APP, []), NOW) == rules.StartNew(stale=None)


def test_fresh_in_progress_is_reused():
    current = ref("in_progress", 4.9)
    assert rules.decide_start(Snapshot(APP, [current]), NOW) == rules.Reuse(current)


def test_in_progress_of_five_minutes_is_stale():
    current = ref("in_progress", 5)
    assert rules.decide_start(Snapshot(APP, [current]), NOW) == rules.StartNew(stale=current)


def test_completed_application_status():
    assert rules.decide_start(Snapshot(replace(APP, status="interview_completed"), []), NOW) == rules.Completed()


def test_completed_session_completes_application():
    assert rules.decide_start(Snapshot(APP, [ref("completed", 600)]), NOW) == rules.Completed()


def test_three_recent_starts_are_rate_limited_until_the_oldest_leaves_the_window():
    sessions = [ref("abandoned", 9), ref("abandoned", 6), ref("error", 1)]
    decision = rules.decide_start(Snapshot(APP, sessions), NOW)
    assert decision == rules.RateLimited(retry_after_seconds=60)


def test_starts_older_than_the_window_do_not_count():
    sessions = [ref("abandoned", 10.5), ref("abandoned", 6), ref("abandoned", 1)]
    assert rules.decide_start(Snapshot(APP, sessions), NOW) == rules.StartNew(stale=None)


def test_reuse_wins_over_rate_limit():
    current = ref("in_progress", 1)
    sessions = [ref("abandoned", 9), ref("abandoned", 6), current]
    assert rules.decide_start(Snapshot(APP, sessions), NOW) == rules.Reuse(current)


def test_a_new_session_is_a_value_with_a_fresh_uuid():
    new = rules.new_session(APP, {"deviceType": "mobile"}, NOW)
    assert (new.application_id, new.candidate_id, new.metadata) == ("a1", "u1", {"deviceType": "mobile"})
    assert new.started_at == new.created_at == NOW
    assert len(new.session_id) == 36 and new.session_id[14] == "4"  # UUID v4
    assert rules.new_session(APP, {}, NOW).session_id != new.session_id


def test_an_offline_session_starts_before_it_is_stored():
    new = rules.new_session(APP, {}, NOW, started_at=NOW - timedelta(minutes=20))
    assert new.started_at == NOW - timedelta(minutes=20) and new.created_at == NOW


def test_a_snapshot_holds_live_and_completed_sessions_and_those_counted_in_the_window():
    assert rules.in_snapshot(ref("in_progress", 600), NOW)
    assert rules.in_snapshot(ref("completed", 600), NOW)
    assert rules.in_snapshot(ref("abandoned", 10), NOW)  # the window's edge still counts
    assert not rules.in_snapshot(ref("abandoned", 10.1), NOW)
    stored_late = replace(ref("error", 600), created_at=NOW - timedelta(minutes=1))
    assert rules.in_snapshot(stored_late, NOW)  # counted from when it was stored, not its claimed start
