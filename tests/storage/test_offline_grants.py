"""Regression (issue 15 C9): offline grants are counted per (candidate, application) outside the tab.

On the old code the quota lived in each tab's Reflex state, so a new tab got three more; there was
no ledger. Here both stores are real: this process's memory and a real ``redis-server``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, offline
from interview_app.domain.tokens import CandidateIdentity
from interview_app.storage.embedded import free_port
from interview_app.storage.offline_grants import MemoryGrantLedger, RedisGrantLedger
from tests.support.redis_server import redis_server

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=["memory", "redis"])
def ledgers(request):
    """Two handles on one store, as two tabs (or two workers) would hold."""
    if request.param == "memory":
        ledger = MemoryGrantLedger()
        yield ledger, ledger
        return
    with redis_server() as url:
        yield RedisGrantLedger(url), RedisGrantLedger(url)


def test_three_grants_per_candidate_and_application_whatever_the_tab(ledgers):
    first_tab, new_tab = ledgers
    key = offline.grant_key(CandidateIdentity("user-1", "app-1"), "app-1")
    for minute in range(3):
        first_tab.take(key, NOW + timedelta(minutes=minute))
    with pytest.raises(errors.RateLimitExceeded) as refused:
        new_tab.take(key, NOW + timedelta(minutes=3))
    assert refused.value.retry_after_seconds == 7 * 60
    new_tab.take(offline.grant_key(CandidateIdentity("user-2", "app-2"), "app-2"), NOW)  # someone else's count
    new_tab.take(key, NOW + timedelta(minutes=10))  # the first grant left the window


def test_a_redis_that_fails_counts_in_this_process():
    ledger = RedisGrantLedger(f"redis://127.0.0.1:{free_port()}")  # nothing listens there
    for _ in range(3):
        ledger.take("k", NOW)
    with pytest.raises(errors.RateLimitExceeded):
        ledger.take("k", NOW)
