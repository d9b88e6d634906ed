"""``interview.session.scored`` reaches Sentry with the session id, provider, status and latency; a
failure is captured as an error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_app import observability
from interview_app.domain.scoring.model import Outcome
from interview_app.scoring.worker import report
from tests.support.fake_sentry import FakeSentry, sentry_to

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_scored_and_failed_sessions_are_reported(settings):
    with FakeSentry() as fake, sentry_to(fake, settings):
        report(Outcome("s-ok", "scored", "openai", None, T0, T0 + timedelta(seconds=12)))
        report(Outcome("s-bad", "failed", "openai", "provider_error_500", T0, T0 + timedelta(minutes=2)))
        report(Outcome("s-retry", "pending", "openai", "timeout", T0, T0))  # not final: no event
        observability.flush()
        events = fake.events()
    scored = [e for e in events if e.get("message") == observability.SESSION_SCORED]
    assert [e["tags"]["session_id"] for e in scored] == ["s-ok", "s-bad"]
    extra = {k: v for k, v in scored[0]["extra"].items() if k != "sys.argv"}
    assert extra == {"provider": "openai", "status": "scored", "reason": None, "latencySeconds": 12.0}
    errors = [e for e in events if e.get("level") == "error"]
    assert len(errors) == 1 and errors[0]["tags"]["session_id"] == "s-bad"
    assert "provider_error_500" in (errors[0].get("message") or errors[0]["logentry"]["message"])
