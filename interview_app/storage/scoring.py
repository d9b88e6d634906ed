"""The scoring queue on the session documents (contract C1/C2): claims, leases, results, history.

A claim is one atomic ``find_one_and_update`` (pending and due, or running with an expired lease ->
running, a new lease and claim id, attempts + 1), so two workers never hold one session at once.
Every later write is conditional on that claim id: a worker whose lease expired and whose session
was claimed again writes nothing, so a session is scored once per queueing. A re-score
(``domain.scoring.requeue``) reads the session and writes it back only if it is unchanged.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument

from interview_app.domain.scoring import rubric
from interview_app.domain.scoring.model import ScoringJob, ScoringResult
from interview_app.domain.scoring.prompt import PROMPT_VERSION
from interview_app.storage.mongo import Database
from interview_app.storage.sessions import item_from_document, plan_for_reading, push_event

_JOB_FIELDS = {"_id": 0, "sessionId": 1, "applicationId": 1, "transcript": 1, "scoring": 1}
_REQUEUE_FIELDS = {"_id": 0, "status": 1, "consent": 1, "erased": 1, "scoring": 1, "finalScore": 1, "scoreBreakdown": 1}


def _claimable(now: datetime) -> dict:
    """Due work: pending (its back-off over) or running under an expired lease; never a session
    whose personal data was erased meanwhile (nothing is left to judge)."""
    return {
        "$or": [
            {"scoring.status": "pending", "scoring.notBefore": None, "erased": None},
            {"scoring.status": "pending", "scoring.notBefore": {"$lte": now}, "erased": None},
            {"scoring.status": "running", "scoring.leaseUntil": {"$lt": now}, "erased": None},
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
            {"_id": doc.get("applicationId")}, {"jobTitle": 1, "candidateProfile": 1, "interviewPlan": 1}
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
            plan=plan_for_reading((application or {}).get("interviewPlan"), doc["sessionId"]),
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

    async def requeue_state(self, session_id: str) -> dict | None:
        return await self.database.sessions.find_one({"sessionId": session_id}, _REQUEUE_FIELDS)

    async def replace_scoring(self, session_id: str, seen: dict, scoring: dict, now: datetime) -> bool:
        """Optimistic: matches only the session as it was read (status, erasure, scoring status,
        attempts, queuedAt), so a claim or a result stored meanwhile is never overwritten."""
        current = seen.get("scoring") or {}
        outcome = await self.database.sessions.update_one(
            {
                "sessionId": session_id,
                "status": seen.get("status"),
                "erased": None,
                "scoring.status": current.get("status"),
                "scoring.attempts": current.get("attempts"),
                "scoring.queuedAt": current.get("queuedAt"),
            },
            {
                "$set": {"scoring": scoring, "finalScore": None, "scoreBreakdown": None, "updatedAt": now},
                "$push": push_event("scoring.requeued", now, {"previous": current.get("status")}),
            },
        )
        return outcome.matched_count == 1
