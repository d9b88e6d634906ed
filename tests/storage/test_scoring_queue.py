"""The scoring queue on a real database: queued with the end, claimed once, leases, results, history."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors
from interview_app.domain.scoring import requeue, score_next
from interview_app.domain.scoring.local_judge import LocalJudge
from interview_app.storage.scoring import ScoringStore
from tests.support.scoring_sessions import add_session

NOW = datetime.now(UTC).replace(microsecond=0)


async def test_the_end_queues_a_consented_session_in_the_same_write(sessions, sync_db):
    woken: list[str] = []
    sessions.on_scoring_queued.append(woken.append)
    session_id = add_session(sync_db)
    assert await sessions.complete(session_id, NOW, 61, "candidate_ended")
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert doc["status"] == "completed"
    assert doc["scoring"] == {"status": "pending", "queuedAt": NOW, "attempts": 0}
    assert woken == [session_id]
    assert not await sessions.complete(session_id, NOW, 62, "candidate_ended")  # still once


async def test_a_session_without_consent_is_not_consented_and_never_claimed(sessions, queue, sync_db):
    woken: list[str] = []
    sessions.on_scoring_queued.append(woken.append)
    session_id = add_session(sync_db, consent=False)
    assert await sessions.complete(session_id, NOW, 61, "interview_complete")
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert (doc["status"], doc["scoring"]) == ("completed", {"status": "not_consented"})
    assert woken == [] and await queue.claim(NOW, 120) is None


async def test_a_session_erased_while_queued_is_never_claimed(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"erased": {"at": NOW, "by": "dpo"}}})
    assert await queue.claim(NOW, 120) is None


async def test_an_ended_session_is_claimed_by_exactly_one_of_many_claimers(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "connection_lost")
    claims = await asyncio.gather(*(queue.claim(NOW, 120) for _ in range(10)))
    won = [c for c in claims if c is not None]
    assert len(won) == 1 and won[0].session_id == session_id and won[0].attempts == 1
    assert won[0].candidate_name == "Ada Lovelace" and won[0].job_title == "Backend Engineer"
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert doc["scoring"]["status"] == "running" and doc["scoring"]["leaseUntil"] == NOW + timedelta(seconds=120)


async def test_an_expired_lease_is_claimed_again_and_the_old_claim_stores_nothing(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    first = await queue.claim(NOW, 120)
    assert first is not None and await queue.claim(NOW + timedelta(seconds=119), 120) is None
    second = await queue.claim(NOW + timedelta(seconds=121), 120)
    assert second is not None and second.attempts == 2
    assert not await queue.release(first, "timeout", NOW)  # the dead worker's claim no longer holds
    later = lambda: NOW + timedelta(seconds=122)  # noqa: E731
    outcome = await score_next(queue, LocalJudge(), later, 120)  # nothing else pending
    assert outcome is None


async def test_a_released_session_waits_for_its_back_off(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    job = await queue.claim(NOW, 120)
    assert job is not None and await queue.release(job, "rate_limited", NOW + timedelta(seconds=30))
    assert await queue.claim(NOW + timedelta(seconds=29), 120) is None
    again = await queue.claim(NOW + timedelta(seconds=30), 120)
    assert again is not None and again.attempts == 2


async def test_a_scored_session_has_the_contract_fields(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    outcome = await score_next(queue, LocalJudge(), lambda: NOW + timedelta(seconds=2), 120)
    assert outcome is not None and outcome.status == "scored"
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    scoring = doc["scoring"]
    assert set(doc["scoreBreakdown"]) == {"clarity", "correctness", "depth"}
    breakdown = doc["scoreBreakdown"]
    assert doc["finalScore"] == int(sum(breakdown.values()) / 3 + 0.5)
    assert scoring["status"] == "scored" and scoring["provider"] == "local" and scoring["model"] == "local-rules-1"
    for key in ("rubricVersion", "promptVersion", "inputHash", "summary", "scoredAt", "queuedAt"):
        assert scoring[key], key
    assert scoring["attempts"] == 1 and scoring["reason"] is None and scoring["transcriptVerified"] is True
    assert scoring["injectionAttempt"] is None and "leaseUntil" not in scoring and "claim" not in scoring
    for name, dimension in scoring["dimensions"].items():
        assert dimension["score"] == breakdown[name] and dimension["rationale"]
        assert dimension["evidence"][0]["itemId"].startswith("a")


async def test_requeue_keeps_every_earlier_result_in_history(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    await score_next(queue, LocalJudge(), lambda: NOW, 120)
    first = sync_db.interviewSessions.find_one({"sessionId": session_id})
    await requeue(queue, session_id, NOW + timedelta(minutes=1))
    queued = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert queued["scoring"]["status"] == "pending" and queued["finalScore"] is None
    assert queued["scoring"]["history"][0]["finalScore"] == first["finalScore"]
    assert queued["scoring"]["history"][0]["inputHash"] == first["scoring"]["inputHash"]
    await requeue(queue, session_id, NOW + timedelta(minutes=2))  # already pending: left as it is
    await score_next(queue, LocalJudge(), lambda: NOW + timedelta(minutes=3), 120)
    await requeue(queue, session_id, NOW + timedelta(minutes=4))
    again = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert len(again["scoring"]["history"]) == 2 and "history" not in again["scoring"]["history"][1]


async def test_requeue_refuses_in_progress_unconsented_and_unknown_sessions(queue, sync_db):
    with pytest.raises(errors.SessionNotFound):
        await requeue(queue, "nope", NOW)
    with pytest.raises(errors.DomainError, match="still in progress"):
        await requeue(queue, add_session(sync_db), NOW)
    with pytest.raises(errors.DomainError, match="did not consent"):
        await requeue(queue, add_session(sync_db, consent=False, status="completed"), NOW)


async def test_requeue_refuses_a_session_being_scored_or_erased_and_writes_nothing(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    assert await queue.claim(NOW, 120) is not None  # a scorer holds the lease
    before = sync_db.interviewSessions.find_one({"sessionId": session_id})
    with pytest.raises(errors.NotRequeueable, match="being scored"):
        await requeue(queue, session_id, NOW + timedelta(seconds=1))
    erased = add_session(sync_db, status="completed", scoring={"status": "scored", "attempts": 1})
    sync_db.interviewSessions.update_one({"sessionId": erased}, {"$set": {"erased": {"at": NOW, "by": "dpo"}}})
    with pytest.raises(errors.NotRequeueable, match="erased"):
        await requeue(queue, erased, NOW)
    assert sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"] == before["scoring"]
    assert sync_db.interviewSessions.find_one({"sessionId": erased})["scoring"]["status"] == "scored"


async def test_requeue_records_an_event_and_clears_the_numbers(sessions, queue, sync_db):
    session_id = add_session(sync_db)
    await sessions.complete(session_id, NOW, 61, "candidate_ended")
    await score_next(queue, LocalJudge(), lambda: NOW, 120)
    done = await requeue(queue, session_id, NOW + timedelta(minutes=1))
    doc = sync_db.interviewSessions.find_one({"sessionId": session_id})
    assert done.changed and doc["scoring"] == done.scoring
    assert doc["finalScore"] is None and doc["scoreBreakdown"] is None
    assert [e["payload"] for e in doc["events"] if e["type"] == "scoring.requeued"] == [{"previous": "scored"}]
    again = await requeue(queue, session_id, NOW + timedelta(minutes=2))
    assert not again.changed and again.scoring == doc["scoring"]


async def test_requeue_never_overwrites_a_change_made_after_its_read(sessions, queue, sync_db):
    """A scorer claims the session between the re-score's read and its write: 409 SESSION_BUSY."""
    session_id = add_session(sync_db, status="completed", scoring={"status": "failed", "attempts": 5})

    class ClaimedMeanwhile(ScoringStore):
        async def requeue_state(self, session_id: str) -> dict | None:
            seen = await super().requeue_state(session_id)
            sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"scoring.status": "running"}})
            return seen

    with pytest.raises(errors.SessionBusy):
        await requeue(ClaimedMeanwhile(queue.database), session_id, NOW)
    assert sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"]["status"] == "running"
