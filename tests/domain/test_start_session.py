"""The start-session use case on an in-memory repository (no database): rules applied, races settled."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, tokens
from interview_app.domain.model import Application, Session
from interview_app.domain.start_session import start_session
from tests.support.memory_repository import MemoryRepository

SECRET = "session-secret-for-unit-tests-0123456789abcdef"
NOW = datetime.now(UTC).replace(microsecond=0)
APP = Application(id="app-1", user_id="user-1", job_title="Data Engineer", candidate_name="Grace", status=None)


async def start(repo: MemoryRepository, identity=None, now=NOW):
    return await start_session(
        repo,
        application_id=APP.id,
        metadata={"deviceType": "desktop"},
        identity=identity,
        session_secret=SECRET,
        now=now,
    )


async def test_a_new_start_stores_a_session_and_mints_its_token():
    repo = MemoryRepository([APP])
    result = await start(repo)
    assert result.created and result.application == APP
    assert repo.sessions[result.session_id].status == "in_progress"
    claims = tokens.verify_session_token(SECRET, result.token)
    assert claims["sessionId"] == result.session_id and claims["applicationId"] == APP.id


async def test_the_token_lives_as_long_as_the_operator_chose():
    now = datetime.now(UTC).replace(microsecond=0)  # not the module's NOW: 90 s may have passed since import
    result = await start_session(
        MemoryRepository([APP]),
        application_id=APP.id,
        metadata={},
        identity=None,
        session_secret=SECRET,
        now=now,
        token_ttl=timedelta(seconds=90),
    )
    claims = tokens.verify_session_token(SECRET, result.token)
    assert claims["exp"] - claims["iat"] == 90 and result.expires_at == now + timedelta(seconds=90)


async def test_a_recently_active_session_is_reused():
    repo = MemoryRepository([APP])
    first = await start(repo)
    again = await start(repo, now=NOW + timedelta(minutes=4))
    assert not again.created and again.session_id == first.session_id and repo.inserts == 1


async def test_a_lost_insert_race_answers_the_winners_session():
    repo = MemoryRepository([APP])
    winner = Session(
        session_id="winner", application_id=APP.id, status="in_progress", started_at=NOW, last_activity_at=NOW
    )
    repo.before_insert = lambda new: repo.add(winner)  # another request inserts first
    result = await start(repo)
    assert not result.created and result.session_id == "winner"
    assert list(repo.sessions) == ["winner"]


async def test_a_race_whose_winner_is_gone_again_starts_over():
    """The winner ended between our failed insert and our re-read: the loop decides afresh."""
    repo = MemoryRepository([APP])
    fleeting = Session(
        session_id="fleeting", application_id=APP.id, status="in_progress", started_at=NOW, last_activity_at=NOW
    )
    repo.before_insert = lambda new: repo.add(fleeting)
    repo.after_conflict = lambda: repo.add(replace(fleeting, status="abandoned"))
    result = await start(repo)
    assert result.created and result.session_id != "fleeting"
    assert repo.inserts == 2 and repo.sessions[result.session_id].status == "in_progress"


async def test_a_completed_application_refuses_a_start():
    repo = MemoryRepository([Application(**{**APP.__dict__, "status": "interview_completed"})])
    with pytest.raises(errors.AlreadyCompleted):
        await start(repo)


async def test_unknown_and_foreign_applications_are_refused():
    """Alike (issue 15 C10: a foreign application was ``Forbidden``), so ids cannot be probed."""
    with pytest.raises(errors.ApplicationNotFound):
        await start(MemoryRepository([]))
    with pytest.raises(errors.ApplicationNotFound):
        await start(MemoryRepository([APP]), identity=tokens.CandidateIdentity("someone-else", None))
    with pytest.raises(errors.ApplicationNotFound):
        await start(MemoryRepository([APP]), identity=tokens.CandidateIdentity("user-1", "app-2"))


async def test_the_fourth_new_session_in_ten_minutes_is_rate_limited():
    repo = MemoryRepository([APP])
    for minute in range(3):
        started = await start(repo, now=NOW + timedelta(minutes=minute))
        await repo.abandon(started.session_id, NOW, reason="test")
    with pytest.raises(errors.RateLimitExceeded) as refused:
        await start(repo, now=NOW + timedelta(minutes=3))
    assert refused.value.retry_after_seconds == 7 * 60


async def test_a_renewal_of_a_consented_session_records_consent_no_more_issue_21():
    """The page's token renewals carry consent every time: once the snapshot shows the session holds it,
    a reuse makes no consent write at all (issue 21: one write fewer per renewal); one without it
    still gets it."""
    repo = MemoryRepository([APP])
    writes: list[str] = []
    give_consent = repo.give_consent

    async def counted(session_id: str, consent: dict, now: datetime) -> bool:
        writes.append(session_id)
        return await give_consent(session_id, consent, now)

    repo.give_consent = counted

    async def start_consenting(now: datetime):
        return await start_session(
            repo,
            application_id=APP.id,
            metadata={},
            identity=None,
            session_secret=SECRET,
            now=now,
            consent_version="v1",
        )

    plain = await start(repo)
    renewed = await start_consenting(NOW + timedelta(seconds=5))
    assert renewed.session_id == plain.session_id and writes == [plain.session_id]
    renewals = [await start_consenting(NOW + timedelta(seconds=second)) for second in (10, 15)]
    assert [again.session_id for again in renewals] == [plain.session_id] * 2
    assert writes == [plain.session_id]
    assert all(again.consented for again in renewals)
    assert repo.consents[plain.session_id]["noticeVersion"] == "v1"
