"""score_next on an in-memory queue: repairs, retries with back-off, failed after 5."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from interview_app.domain.scoring import rubric, score_next
from interview_app.domain.scoring.model import JudgeUnavailable, ScoringJob, ScoringResult
from tests.support.scoring_data import T0, interview


class MemoryQueue:
    def __init__(self, transcript, attempts: int = 0):
        self.job = ScoringJob("s1", "claim-0", attempts, T0, transcript, "Backend Engineer", "Ada", None)
        self.results: list[ScoringResult] = []
        self.released: list[tuple[str, object]] = []
        self.renewals: list = []
        self.claim_holds = True

    async def claim(self, now, lease_seconds):
        self.job = replace(self.job, attempts=self.job.attempts + 1, claim=f"claim-{self.job.attempts + 1}")
        return self.job

    async def finish(self, job, result):
        self.results.append(result)
        return True

    async def renew(self, job, lease_until):
        self.renewals.append(lease_until)
        return self.claim_holds

    async def release(self, job, reason, not_before):
        self.released.append((reason, not_before))
        return True


class ScriptedJudge:
    provider, model = "openai", "test-model"

    def __init__(self, *answers):
        self.answers = list(answers)
        self.repairs_seen: list[list] = []

    async def answer(self, judged, repairs):
        self.repairs_seen.append(list(repairs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, str) else json.dumps(answer)


def judgement(quote="the P95 fell to 120 ms", scores=(80, 70, 61)) -> dict:
    return {
        "dimensions": {
            name: {"score": score, "rationale": "Specific.", "evidence": [{"itemId": "a0", "quote": quote}]}
            for name, score in zip(rubric.DIMENSIONS, scores, strict=True)
        },
        "summary": "Sound.",
        "injectionAttempt": None,
    }


def clock():
    return T0


async def test_a_valid_answer_is_stored_with_the_servers_final_score():
    queue = MemoryQueue(interview())
    outcome = await score_next(queue, ScriptedJudge(judgement()), clock, 120)
    assert outcome is not None and outcome.status == "scored"
    [result] = queue.results
    assert result.final_score == 70 and result.judgement is not None  # (80 + 70 + 61) / 3 = 70.33
    assert result.transcript_verified and result.input_hash and result.input_hash.startswith("sha256:")


async def test_a_broken_answer_gets_two_repair_requests_then_the_attempt_fails():
    queue = MemoryQueue(interview())
    judge = ScriptedJudge(judgement("made up"), judgement("made up"), judgement("made up"))
    outcome = await score_next(queue, judge, clock, 120)
    assert outcome is not None and outcome.status == "pending" and queue.results == []
    assert [len(r) for r in judge.repairs_seen] == [0, 1, 2]
    assert "not verbatim" in judge.repairs_seen[1][0][1][0]
    reason, not_before = queue.released[0]
    assert str(reason).startswith("invalid_output") and not_before == T0 + timedelta(seconds=5)


async def test_the_lease_is_renewed_before_each_repair_and_a_lost_claim_stops_the_work():
    queue = MemoryQueue(interview())
    judge = ScriptedJudge("{oops", "{oops", judgement())
    outcome = await score_next(queue, judge, clock, 120)
    assert outcome is not None and outcome.status == "scored"
    assert queue.renewals == [T0 + timedelta(seconds=120)] * 2
    lost = MemoryQueue(interview())
    lost.claim_holds = False  # its lease expired and another worker claimed the session
    judge = ScriptedJudge("{oops", judgement())
    outcome = await score_next(lost, judge, clock, 120)
    assert outcome is not None and (outcome.status, outcome.reason) == ("lost", "lease_expired")
    assert len(judge.repairs_seen) == 1 and lost.results == [] and lost.released == []


async def test_a_repaired_answer_is_stored():
    queue = MemoryQueue(interview())
    outcome = await score_next(queue, ScriptedJudge("{oops", judgement()), clock, 120)
    assert outcome is not None and outcome.status == "scored"


async def test_retry_after_is_honoured_and_the_fifth_failure_is_final():
    queue = MemoryQueue(interview())
    await score_next(queue, ScriptedJudge(JudgeUnavailable("rate_limited", retry_after=30)), clock, 120)
    assert queue.released[-1] == ("rate_limited", T0 + timedelta(seconds=30))
    for _ in range(2, rubric.MAX_ATTEMPTS + 1):
        outcome = await score_next(queue, ScriptedJudge(JudgeUnavailable("provider_error_500")), clock, 120)
    assert outcome is not None and outcome.status == "failed"
    assert [r for r, _ in queue.released] == ["rate_limited"] + ["provider_error_500"] * 3
    assert queue.released[-1][1] == T0 + timedelta(seconds=rubric.backoff_seconds(4))  # 40 s
    assert queue.results[-1].status == "failed" and queue.results[-1].reason == "provider_error_500"
    assert queue.results[-1].final_score is None


async def test_too_little_to_judge_is_insufficient_without_asking_the_judge():
    queue = MemoryQueue(interview(["Yes.", "No.", "Maybe."]))
    judge = ScriptedJudge()
    outcome = await score_next(queue, judge, clock, 120)
    assert outcome is not None and (outcome.status, outcome.reason) == ("insufficient", "too_little_speech")
    assert judge.repairs_seen == [] and queue.results[0].final_score is None
