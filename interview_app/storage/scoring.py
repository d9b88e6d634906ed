"""The scoring queue on the session documents (contract C1/C2): claims, leases, results, history.

A claim is one atomic ``find_one_and_update`` (pending and due, or running with an expired lease ->
running, a new lease and claim id, attempts + 1), so two workers never hold one session at once.
Every later write is conditional on that claim id: a worker whose lease expired and whose session
was claimed again writes nothing, so a session is scored once per queueing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument

from interview_app.domain.model import SessionStatus
from interview_app.domain.scoring import rubric
from interview_app.domain.scoring.model import ScoringJob, ScoringResult
from interview_app.domain.scoring.prompt import PROMPT_VERSION
from interview_app.storage.mongo import Database
from interview_app.storage.sessions import item_from_document

_JOB_FIELDS = {"_id": 0, "sessionId": 1, "applicationId": 1, "transcript": 1, "scoring": 1}
_REQUEUE_FIELDS = {"_id": 0, "status": 1, "consent": 1, "scoring": 1, "finalScore": 1, "scoreBreakdown": 1}
REQUEUE_ATTEMPTS = 3


def _claimable(now: datetime) -> dict:
    return {
        "$or": [
            {"scoring.status": "pending", "scoring.notBefore": None},
            {"scoring.status": "pending", "scoring.notBefore": {"$lte": now}},
            {"scoring.status": "running", "scoring.leaseUntil": {"$lt": now}},
        ]
    }


def _evidence(evidence) -> dict:
    return {"itemId": evidence.item_id, "quote": evidence.quote}


def result_fields(result: ScoringResult) -> dict:
    """The ``$set`` of a stored result: detail under ``scoring``, the numbers top level (C2)."""
    judgement = result.judgement
    fields = {
        "scoring.status": result.status,
        "scoring.provider": result.provider,
        "scoring.model": result.model,
        "scoring.rubricVersion": rubric.RUBRIC_VERSION,
        "scoring.promptVersion": PROMPT_VERSION,
        "scoring.inputHash": result.input_hash,
        "scoring.scoredAt": result.scored_at,
        "scoring.reason": result.reason,
        "scoring.transcriptVerified": result.transcript_verified,
        "scoring.dimensions": None,
        "scoring.summary": None,
        "scoring.injectionAttempt": None,
        "finalScore": None,
        "scoreBreakdown": None,
    }
    if judgement is not None:
        fields["scoring.dimensions"] = {
            name: {
                "score": d.score,
                "rationale": d.rationale,
                "evidence": [_evidence(e) for e in d.evidence],
            }
            for name, d in judgement.dimensions.items()
        }
        fields["scoring.summary"] = judgement.summary
        inj = judgement.injection_attempt
        fields["scoring.injectionAttempt"] = _evidence(inj) if inj else None
        fields["finalScore"] = result.final_score
        fields["scoreBreakdown"] = judgement.breakdown
    return fields


def _earlier(doc: dict) -> dict:
    """The current result, as kept in ``scoring.history``."""
    scoring = doc.get("scoring") or {}
    kept = {k: v for k, v in scoring.items() if k not in {"history", "leaseUntil", "claim", "notBefore"}}
    kept["finalScore"] = doc.get("finalScore")
    kept["scoreBreakdown"] = doc.get("scoreBreakdown")
    return kept


class ScoringStore:
    """The queue and the results, over the ``interviewSessions`` collection."""

    def __init__(self, database: Database):
        self.database = database

    async def claim(self, now: datetime, lease_seconds: float) -> ScoringJob | None:
        claim = uuid.uuid4().hex
        doc = await self.database.sessions.find_one_and_update(
            _claimable(now),
            {
                "$set": {
                    "scoring.status": "running",
                    "scoring.leaseUntil": now + timedelta(seconds=lease_seconds),
                    "scoring.claim": claim,
                },
                "$inc": {"scoring.attempts": 1},
            },
            projection=_JOB_FIELDS,
            sort=[("scoring.queuedAt", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            return None
        application = await self.database.applications.find_one(
            {"_id": doc.get("applicationId")}, {"jobTitle": 1, "candidateProfile": 1}
        )
        profile = (application or {}).get("candidateProfile") or {}
        scoring = doc["scoring"]
        return ScoringJob(
            session_id=doc["sessionId"],
            claim=claim,
            attempts=scoring.get("attempts", 1),
            queued_at=scoring.get("queuedAt"),
            transcript=[item_from_document(item) for item in doc.get("transcript") or []],
            job_title=(application or {}).get("jobTitle"),
            candidate_name=profile.get("fullName"),
            candidate_email=profile.get("email"),
        )

    def _held(self, job: ScoringJob) -> dict:
        return {"sessionId": job.session_id, "scoring.status": "running", "scoring.claim": job.claim}

    async def finish(self, job: ScoringJob, result: ScoringResult) -> bool:
        outcome = await self.database.sessions.update_one(
            self._held(job),
            {
                "$set": {**result_fields(result), "updatedAt": result.scored_at},
                "$unset": {"scoring.leaseUntil": "", "scoring.claim": "", "scoring.notBefore": ""},
            },
        )
        return outcome.matched_count == 1

    async def renew(self, job: ScoringJob, lease_until: datetime) -> bool:
        renewal = {"$set": {"scoring.leaseUntil": lease_until}}
        outcome = await self.database.sessions.update_one(self._held(job), renewal)
        return outcome.matched_count == 1

    async def release(self, job: ScoringJob, reason: str, not_before: datetime) -> bool:
        outcome = await self.database.sessions.update_one(
            self._held(job),
            {
                "$set": {"scoring.status": "pending", "scoring.reason": reason, "scoring.notBefore": not_before},
                "$unset": {"scoring.leaseUntil": "", "scoring.claim": ""},
            },
        )
        return outcome.matched_count == 1

    async def requeue_scoring(self, session_id: str, now: datetime) -> str:
        """Queue a completed, consented session again, its current result kept in ``scoring.history``.

        Optimistic: the write matches only the scoring state it read (status, attempts, queuedAt),
        so a result stored meanwhile is never lost; a pending session is left as it is.
        """
        for _ in range(REQUEUE_ATTEMPTS):
            doc = await self.database.sessions.find_one({"sessionId": session_id}, _REQUEUE_FIELDS)
            if doc is None:
                return "missing"
            if doc.get("status") == SessionStatus.IN_PROGRESS:
                return "in_progress"
            if "consent" not in doc:
                return "not_consented"
            scoring = doc.get("scoring") or {}
            if scoring.get("status") == "pending":
                return "pending"
            match = {
                "sessionId": session_id,
                "scoring.status": scoring.get("status"),
                "scoring.attempts": scoring.get("attempts"),
                "scoring.queuedAt": scoring.get("queuedAt"),
            }
            history = [*scoring.get("history", []), _earlier(doc)] if scoring else []
            outcome = await self.database.sessions.update_one(
                match,
                {
                    "$set": {
                        "scoring": {"status": "pending", "queuedAt": now, "attempts": 0, "history": history},
                        "finalScore": None,
                        "scoreBreakdown": None,
                        "updatedAt": now,
                    }
                },
            )
            if outcome.matched_count == 1:
                return scoring.get("status") or "unscored"
        return "busy"
