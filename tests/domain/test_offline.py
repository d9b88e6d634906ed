"""The offline-grant rule: who may get an offline call token, and how often."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, offline, tokens

SECRET = "candidate-secret-for-offline-tests-0123456789"
NOW = datetime.now(UTC).replace(microsecond=0)


def token(application_id: str | None, secret: str = SECRET, ttl=timedelta(hours=1), now=NOW) -> str:
    return tokens.mint_candidate_token(secret, "user-1", application_id, now, ttl=ttl)


def test_a_matching_token_may_go_offline_and_an_unscoped_one_only_without_auth():
    """Issue 15 C9: with auth required, the candidate token must carry ``applicationId`` (an
    unscoped one was accepted, so one token went offline for any application id)."""
    offline.authorize_offline(token("app-1"), "app-1", SECRET, require_auth=True)
    offline.authorize_offline(token(None), "app-1", SECRET, require_auth=False)
    with pytest.raises(errors.Forbidden):
        offline.authorize_offline(token(None), "app-1", SECRET, require_auth=True)


def test_no_token_goes_offline_only_when_auth_is_not_required():
    offline.authorize_offline(None, "app-1", SECRET, require_auth=False)
    with pytest.raises(errors.Unauthorized):
        offline.authorize_offline(None, "app-1", SECRET, require_auth=True)


@pytest.mark.parametrize(
    "bad",
    [
        token("app-1", secret="another-secret-of-enough-length-0123456"),
        token("app-1", now=NOW - timedelta(days=30)),
        "not-a-jwt",
        "",
    ],
)
def test_a_token_that_does_not_verify_locally_is_refused(bad):
    with pytest.raises(errors.Unauthorized):
        offline.authorize_offline(bad, "app-1", SECRET, require_auth=False)


def test_a_token_for_another_application_is_forbidden():
    with pytest.raises(errors.Forbidden):
        offline.authorize_offline(token("app-2"), "app-1", SECRET, require_auth=True)


def test_three_grants_per_ten_minutes():
    grants: list[datetime] = []
    for minute in range(3):
        grants = offline.take_grant(grants, NOW + timedelta(minutes=minute))
    with pytest.raises(errors.RateLimitExceeded) as refused:
        offline.take_grant(grants, NOW + timedelta(minutes=3))
    assert refused.value.retry_after_seconds == 7 * 60
    assert len(offline.take_grant(grants, NOW + timedelta(minutes=10))) == 3  # the first one left the window
