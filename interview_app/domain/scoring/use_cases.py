"""The scoring use case: score the next queued session (a re-score is ``requeue.py``).

``score_next`` claims one session, decides whether there is enough to judge, asks the judge (with
up to 2 repair requests for an answer that breaks the rules), and stores a result; a provider
failure is retried with back-off, at most ``rubric.MAX_ATTEMPTS`` times, then ``failed``. An
evaluation that could not be produced is never stored as a score.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from interview_app.domain.questions import questions_for
from interview_app.domain.scoring import rubric, validation
from interview_app.domain.scoring.judged_input import insufficiency, judged_input
from interview_app.domain.scoring.model import (
    Judge,
    JudgeUnavailable,
    Outcome,
    ScoringJob,
    ScoringQueue,
    ScoringResult,
)


class ClaimLost(Exception):
    """Another worker holds the session now (this one outlived its lease): stop, store nothing."""


async def _judge(judge: Judge, judged, renew: Callable[[], Awaitable[bool]]) -> tuple[validation.Judgement | None, str]:
    """A valid judgement, or None with what was wrong after the repair requests.

    The lease is renewed before each repair request, so a slow judge answering 3 times never lets
    another worker claim the session meanwhile (each request is bounded by the judge's timeout).
    """
    repairs: list[tuple[str, list[str]]] = []
    problems: list[str] = []
    for _ in range(1 + rubric.MAX_REPAIRS):
        if repairs and not await renew():
            raise ClaimLost()
        text = await judge.answer(judged, repairs)
        judgement, problems = validation.check(text, judged)
        if judgement is not None:
            return judgement, ""
        repairs.append((text, problems))
    return None, "invalid_output: " + "; ".join(problems)[:300]


async def score_job(
    queue: ScoringQueue, judge: Judge, job: ScoringJob, clock: Callable[[], datetime], lease_seconds: float
) -> Outcome:
    """Judge one claimed session and store what came of it."""
    asked = questions_for(job.plan, job.job_title)
    judged = judged_input(job.transcript, job.job_title, job.candidate_name, job.candidate_email, asked)

    def result(status, reason=None, judgement=None) -> ScoringResult:
        final = rubric.final_score(judgement.breakdown) if judgement else None
        return ScoringResult(
            status=status,
            provider=judge.provider,
            model=judge.model,
            input_hash=judged.input_hash,
            transcript_verified=judged.transcript_verified,
            scored_at=clock(),
            reason=reason,
            judgement=judgement,
            final_score=final,
        )

    def outcome(status: str, reason: str | None) -> Outcome:
        return Outcome(job.session_id, status, judge.provider, reason, job.queued_at, clock())

    if job.attempts > rubric.MAX_ATTEMPTS:  # its last worker died mid-attempt
        stored = await queue.finish(job, result("failed", "too_many_attempts"))
        return outcome("failed" if stored else "lost", "too_many_attempts")
    reason = insufficiency(judged)
    if reason is not None:
        stored = await queue.finish(job, result("insufficient", reason))
        return outcome("insufficient" if stored else "lost", reason)

    async def renew() -> bool:
        return await queue.renew(job, clock() + timedelta(seconds=lease_seconds))

    retry_after = None
    try:
        judgement, reason = await _judge(judge, judged, renew)
    except JudgeUnavailable as exc:
        judgement, reason, retry_after = None, exc.reason, exc.retry_after
    except ClaimLost:
        return outcome("lost", "lease_expired")
    if judgement is not None:
        stored = await queue.finish(job, result("scored", judgement=judgement))
        return outcome("scored" if stored else "lost", None)
    if job.attempts >= rubric.MAX_ATTEMPTS:
        stored = await queue.finish(job, result("failed", reason))
        return outcome("failed" if stored else "lost", reason)
    not_before = clock() + timedelta(seconds=rubric.backoff_seconds(job.attempts, retry_after))
    stored = await queue.release(job, reason, not_before)
    return outcome("pending" if stored else "lost", reason)


async def score_next(
    queue: ScoringQueue, judge: Judge, clock: Callable[[], datetime], lease_seconds: float
) -> Outcome | None:
    """Claim the next queued session and score it; None when the queue is empty."""
    job = await queue.claim(clock(), lease_seconds)
    if job is None:
        return None
    return await score_job(queue, judge, job, clock, lease_seconds)
