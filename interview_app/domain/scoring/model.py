"""The values of scoring: a claimed job, a judge's contract, and a result to store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, get_args

from interview_app.domain.model import TranscriptItem
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.domain.scoring.judged_input import JudgedInput
from interview_app.domain.scoring.validation import Judgement

ScoringStatus = Literal["pending", "running", "scored", "insufficient", "failed", "not_consented"]
STATUSES: tuple[ScoringStatus, ...] = get_args(ScoringStatus)  # the one home of the scoring statuses
FINAL_STATUSES: frozenset[ScoringStatus] = frozenset({"scored", "insufficient", "failed", "not_consented"})


@dataclass(frozen=True)
class ScoringJob:
    """A session claimed for scoring. ``claim`` identifies this claim: a result is stored only while
    the claim still holds (a worker whose lease expired and was claimed again stores nothing)."""

    session_id: str
    claim: str
    attempts: int  # including this one
    queued_at: datetime | None
    transcript: list[TranscriptItem]
    job_title: str | None
    candidate_name: str | None
    candidate_email: str | None
    plan: InterviewPlan = DEFAULT_PLAN  # the application's: with the job title, the interview's questions


@dataclass(frozen=True)
class ScoringResult:
    status: Literal["scored", "insufficient", "failed"]
    provider: str
    model: str
    input_hash: str | None
    transcript_verified: bool
    scored_at: datetime
    reason: str | None = None
    judgement: Judgement | None = None
    final_score: int | None = None


class JudgeUnavailable(Exception):
    """The provider could not answer this time (timeout, 429, 5xx...): a failed attempt, retried later."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Judge(Protocol):
    provider: str
    model: str

    async def answer(self, judged: JudgedInput, repairs: list[tuple[str, list[str]]]) -> str:
        """The judge's raw JSON text. ``repairs`` are its earlier answers with what was wrong in each.
        Raises :class:`JudgeUnavailable` (a refusal included) when there is no answer to check."""
        ...


class ScoringQueue(Protocol):
    async def claim(self, now: datetime, lease_seconds: float) -> ScoringJob | None:
        """Atomically take the oldest pending session (or one whose lease expired)."""
        ...

    async def finish(self, job: ScoringJob, result: ScoringResult) -> bool:
        """Store a final result while the claim holds; False when it no longer does."""
        ...

    async def renew(self, job: ScoringJob, lease_until: datetime) -> bool:
        """Extend the lease while the claim holds; False when another worker has the session now."""
        ...

    async def release(self, job: ScoringJob, reason: str, not_before: datetime) -> bool:
        """Put a failed attempt back in the queue, not to be claimed before ``not_before``."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What one claim led to (for logs, Sentry and the benchmark)."""

    session_id: str
    status: str  # scored | insufficient | failed | pending (retry later) | lost (the claim expired)
    provider: str
    reason: str | None
    queued_at: datetime | None
    finished_at: datetime
