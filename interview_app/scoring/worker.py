"""The scorer every app process runs (started in ``runtime.lifespan``): claims queued sessions and scores them.

``INTERVIEW_SCORING_CONCURRENCY`` loops per process (0: none). Each claims one session at a time;
when the queue is empty it sleeps until this process ends a session (``SessionStore`` calls
:meth:`Scorer.wake`) or the poll interval passes (sessions ended by other processes). A database
error costs one poll interval, never the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from pymongo.errors import PyMongoError

from interview_app import observability
from interview_app.config import Settings
from interview_app.domain.clock import utcnow
from interview_app.domain.scoring import score_next
from interview_app.domain.scoring.local_judge import LocalJudge
from interview_app.domain.scoring.model import Judge, Outcome
from interview_app.scoring.openai_judge import OpenAIJudge
from interview_app.storage.scoring import ScoringStore

log = logging.getLogger(__name__)


def make_judge(settings: Settings, http: httpx.AsyncClient | None) -> Judge:
    """OpenAI when an API key is set, else the local rules."""
    if settings.openai_api_key and http is not None:
        return OpenAIJudge(
            http,
            settings.openai_base_url,
            settings.openai_api_key,
            settings.openai_scoring_model,
            settings.scoring_timeout.total_seconds(),
        )
    return LocalJudge()


def report(outcome: Outcome) -> None:
    """``interview.session.scored`` for every final result; a failure is captured too."""
    latency = (outcome.finished_at - outcome.queued_at).total_seconds() if outcome.queued_at else None
    fields = {
        "provider": outcome.provider,
        "status": outcome.status,
        "reason": outcome.reason,
        "latencySeconds": latency,
    }
    if outcome.status in {"scored", "insufficient", "failed"}:
        observability.track(observability.SESSION_SCORED, fields, session_id=outcome.session_id)
    if outcome.status == "failed":
        observability.capture_failure(f"scoring failed: {outcome.reason}", fields, outcome.session_id)
    elif outcome.status in {"pending", "lost"}:
        log.info("scoring of %s: %s (%s)", outcome.session_id, outcome.status, outcome.reason)


class Scorer:
    def __init__(self, settings: Settings, queue: ScoringStore, judge: Judge):
        self.settings = settings
        self.queue = queue
        self.judge = judge
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def wake(self, _session_id: str = "") -> None:
        self._wake.set()

    def start(self) -> None:
        for index in range(self.settings.scoring_concurrency):
            self._tasks.append(asyncio.create_task(self._loop(), name=f"scorer-{index}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        self._tasks.clear()

    async def _loop(self) -> None:
        lease = self.settings.scoring_lease.total_seconds()
        poll = self.settings.scoring_poll.total_seconds()
        while True:
            # Cleared before looking, so an end arriving while this loop looks is not missed.
            self._wake.clear()
            try:
                outcome = await score_next(self.queue, self.judge, utcnow, lease)
            except PyMongoError as exc:
                log.warning("scoring queue unavailable (%s); retrying", exc)
                outcome = None
            except Exception:  # a bug must not end the loop of this process
                log.exception("scoring failed unexpectedly")
                outcome = None
            if outcome is not None:
                report(outcome)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll)
