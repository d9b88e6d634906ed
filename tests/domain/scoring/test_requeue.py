"""The one re-score (``make rescore`` and the review API): its refusals and its history, in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors
from interview_app.domain.scoring import requeue
from tests.support.scoring_data import T0

CONSENT = {"at": datetime(2026, 11, 30, tzinfo=UTC), "noticeVersion": "notice-1"}
SCORED = {"status": "scored", "attempts": 1, "queuedAt": T0, "provider": "local", "claim": "c1", "history": []}


class MemoryStore:
    """One session, and whether it changes between the read and the write (another request)."""

    def __init__(self, session: dict | None, changes_meanwhile: bool = False):
        self.session = session
        self.changes_meanwhile = changes_meanwhile
        self.written: list[dict] = []

    async def requeue_state(self, session_id):
        return None if self.session is None else dict(self.session)

    async def replace_scoring(self, session_id, seen, scoring, now):
        if self.changes_meanwhile:
            return False
        self.written.append(scoring)
        return True


def session(**fields) -> dict:
    return {"status": "completed", "consent": CONSENT, "scoring": SCORED, "finalScore": 71, **fields}


async def test_the_current_result_moves_into_history_with_its_numbers():
    store = MemoryStore(session(scoreBreakdown={"clarity": 70, "correctness": 72, "depth": 71}))
    done = await requeue(store, "s1", T0 + timedelta(minutes=1))
    assert done.changed and store.written == [done.scoring]
    assert done.scoring == {
        "status": "pending",
        "queuedAt": T0 + timedelta(minutes=1),
        "attempts": 0,
        "history": [
            {
                "status": "scored",
                "attempts": 1,
                "queuedAt": T0,
                "provider": "local",
                "finalScore": 71,
                "scoreBreakdown": {"clarity": 70, "correctness": 72, "depth": 71},
            }
        ],
    }


async def test_a_queued_session_is_left_as_it_is():
    pending = {"status": "pending", "queuedAt": T0, "attempts": 0}
    store = MemoryStore(session(scoring=pending))
    done = await requeue(store, "s1", T0)
    assert not done.changed and done.scoring == pending and store.written == []


async def test_a_never_scored_consented_session_is_queued_with_an_empty_history():
    done = await requeue(MemoryStore(session(scoring=None)), "s1", T0)
    assert done.scoring["history"] == [] and done.scoring["status"] == "pending"


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        (None, "SESSION_NOT_FOUND"),
        (session(status="in_progress"), "SESSION_NOT_COMPLETED"),
        (session(consent=None), "SCORING_NOT_REQUEUEABLE"),
        (session(scoring={"status": "not_consented"}, consent=None), "SCORING_NOT_REQUEUEABLE"),
        (session(erased={"at": T0, "by": "dpo"}), "SCORING_NOT_REQUEUEABLE"),
        (session(scoring={"status": "running", "leaseUntil": T0}), "SCORING_NOT_REQUEUEABLE"),
    ],
)
async def test_refusals(stored, code):
    store = MemoryStore(stored)
    with pytest.raises(errors.DomainError) as raised:
        await requeue(store, "s1", T0)
    assert raised.value.code == code and store.written == []


async def test_the_consent_field_decides_not_the_scoring_status():
    done = await requeue(MemoryStore(session(scoring={"status": "not_consented"})), "s1", T0)
    assert done.changed and done.scoring["status"] == "pending"


async def test_a_change_between_the_read_and_the_write_is_session_busy():
    with pytest.raises(errors.SessionBusy):
        await requeue(MemoryStore(session(), changes_meanwhile=True), "s1", T0)
