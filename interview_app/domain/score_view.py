"""What a candidate may read of their interview's score (issue 17 §5), read only.

The scorer (``domain/scoring/``, another use case) writes the result on the session (contract C2:
top-level ``finalScore`` and ``scoreBreakdown``, the detail under ``scoring``); this module only
reads it. Who may read: the session's own token, or the candidate token of the application the
session belongs to, so the score screen works from the invite link in a fresh tab. Another
candidate's session answers as an unknown one does (404), so session ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from interview_app.domain import errors, tokens
from interview_app.domain.identity import authorize
from interview_app.domain.model import SessionStatus, TranscriptItem
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.domain.questions import question_asked, questions_for
from interview_app.domain.scoring.model import STATUSES
from interview_app.domain.scoring.rubric import DIMENSIONS


@dataclass(frozen=True)
class ScoreRecord:
    """The stored fields the score is read from (storage maps its document to this)."""

    session_id: str
    application_id: str
    candidate_id: str | None
    status: str
    consented: bool
    final_score: object = None
    score_breakdown: object = None
    scoring: dict = field(default_factory=dict)
    transcript: list[TranscriptItem] = field(default_factory=list)
    job_title: str | None = None  # the application's: with the plan, the interview's questions
    plan: InterviewPlan = DEFAULT_PLAN


class ScoreReader(Protocol):
    async def score_record(self, session_id: str) -> ScoreRecord | None: ...


@dataclass(frozen=True)
class ScoreView:
    """The API's answer; every number is None unless the session is scored and scores are shown."""

    session_id: str
    status: str
    final_score: int | None = None
    score_breakdown: dict[str, int] | None = None
    dimensions: dict[str, dict] | None = None
    summary: str | None = None
    provider: str | None = None
    model: str | None = None
    rubric_version: str | None = None
    transcript_verified: bool | None = None
    scored_at: datetime | None = None
    reason: str | None = None


def _authorize(
    bearer: str | None, session_id: str, session_secret: str, candidate_secret: str, require_auth: bool
) -> tokens.CandidateIdentity | bool | None:
    """True for this session's own token; else the candidate identity (None: anonymous, allowed).
    401 for a missing or invalid token, 403 for another session's token."""
    if bearer:
        try:
            claims = tokens.verify_session_token(session_secret, bearer)
        except tokens.TokenError:
            pass
        else:
            if claims["sessionId"] != session_id:
                raise errors.Forbidden("This token belongs to another interview session")
            return True
    return authorize(bearer, candidate_secret, require_auth)


def _owned(identity: tokens.CandidateIdentity, record: ScoreRecord) -> bool:
    return identity.user_id == record.candidate_id and identity.application_id in (None, record.application_id)


async def read_score(
    store: ScoreReader,
    session_id: str,
    *,
    bearer: str | None,
    session_secret: str,
    candidate_secret: str,
    require_auth: bool,
    show_score: bool,
) -> ScoreView:
    """The score of a completed session; 409 ``SESSION_NOT_COMPLETED`` while it is not."""
    identity = _authorize(bearer, session_id, session_secret, candidate_secret, require_auth)
    record = await store.score_record(session_id)
    if record is None or (isinstance(identity, tokens.CandidateIdentity) and not _owned(identity, record)):
        raise errors.SessionNotFound(f"No session with id {session_id!r}")
    if record.status != SessionStatus.COMPLETED:
        raise errors.SessionNotCompleted(f"The session is {record.status}")
    return score_view(record, show_score)


def score_status(record: ScoreRecord) -> str:
    """The scorer's status; a session completed before scoring existed has none: pending when the
    candidate consented (a re-score queues it), else ``not_consented``."""
    status = record.scoring.get("status")
    if status in STATUSES:
        return status
    return "pending" if record.consented else "not_consented"


def score_view(record: ScoreRecord, show_score: bool) -> ScoreView:
    scoring = record.scoring
    status = score_status(record)
    base = ScoreView(
        session_id=record.session_id,
        status=status,
        provider=_text(scoring.get("provider")),
        model=_text(scoring.get("model")),
        rubric_version=_text(scoring.get("rubricVersion")),
        transcript_verified=_typed(scoring.get("transcriptVerified"), bool),
        scored_at=_typed(scoring.get("scoredAt"), datetime),
        reason=_text(scoring.get("reason")),
    )
    if status != "scored" or not show_score:
        return base
    breakdown = record.score_breakdown if isinstance(record.score_breakdown, dict) else {}
    return ScoreView(
        **{
            **base.__dict__,
            "final_score": _score(record.final_score),
            "score_breakdown": {
                name: score for name in DIMENSIONS if (score := _score(breakdown.get(name))) is not None
            },
            "dimensions": _dimensions(
                scoring.get("dimensions"), record.transcript, questions_for(record.plan, record.job_title)
            ),
            "summary": _text(scoring.get("summary")),
        }
    )


def _dimensions(stored: object, transcript: list[TranscriptItem], asked: list[str]) -> dict[str, dict]:
    """Each dimension with its evidence, every quote beside the question its answer answers."""
    questions = questions_answered(transcript, asked)
    found = stored if isinstance(stored, dict) else {}
    dimensions = {}
    for name in DIMENSIONS:
        raw = found.get(name)
        value: dict = raw if isinstance(raw, dict) else {}
        evidence = [
            {"itemId": item["itemId"], "quote": item["quote"], "question": questions.get(item["itemId"])}
            for item in value.get("evidence") or []
            if isinstance(item, dict) and isinstance(item.get("itemId"), str) and isinstance(item.get("quote"), str)
        ]
        dimensions[name] = {
            "score": _score(value.get("score")),
            "rationale": _text(value.get("rationale")),
            "evidence": evidence,
        }
    return dimensions


def questions_answered(transcript: list[TranscriptItem], asked: Sequence[str] = ()) -> dict[str, str]:
    """Candidate item id -> the question the interviewer asked last before it: the interview's own
    question (``questions_for`` the plan) when the turn holds one, without a "welcome back" in front,
    else the turn as said (a hosted model words its questions its own way)."""
    question, answered = None, {}
    for item in transcript:
        if item.role == "interviewer":
            question = question_asked(item.text, asked) or item.text
        elif question is not None:
            answered[item.id] = question
    return answered


def _score(value: object) -> int | None:
    return round(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _typed(value: object, kind: type) -> Any:
    return value if isinstance(value, kind) else None
