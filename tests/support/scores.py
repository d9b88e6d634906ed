"""The C2 score fields as the scorer stores them, written straight into the database for tests of
the score API and screen (the scorer itself is another branch's; these are its documented shape)."""

from __future__ import annotations

from datetime import UTC, datetime

QUESTION = "Tell me about a system you designed."
ANSWER = "I designed a queue that cut our latency by 40 percent because we batched writes."

SCORED_DIMENSIONS = {
    "clarity": {
        "score": 80,
        "rationale": "The answer is structured: the problem, the design, then the result.",
        "evidence": [{"itemId": "c1", "quote": "I designed a queue"}],
    },
    "correctness": {
        "score": 70,
        "rationale": "Batching writes is a sound way to cut latency for this role.",
        "evidence": [{"itemId": "c1", "quote": "because we batched writes"}],
    },
    "depth": {
        "score": 61,
        "rationale": "Gives a figure and a cause, but little about trade-offs.",
        "evidence": [{"itemId": "c1", "quote": "cut our latency by 40 percent"}],
    },
}


def transcript() -> list[dict]:
    at = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    return [
        {"id": "q1", "role": "interviewer", "text": QUESTION, "at": at, "source": "provider"},
        {"id": "c1", "role": "candidate", "text": ANSWER, "at": at, "source": "provider"},
    ]


def scoring(status: str, **extra) -> dict:
    """The ``scoring`` subdocument of a given status (C2)."""
    base: dict = {"status": status, "queuedAt": datetime(2026, 11, 30, 10, 5, tzinfo=UTC), "attempts": 0}
    if status == "scored":
        base |= {
            "provider": "openai",
            "model": "gpt-test",
            "rubricVersion": "rubric-1",
            "promptVersion": "prompt-1",
            "inputHash": "abc",
            "dimensions": SCORED_DIMENSIONS,
            "summary": "A clear answer with one concrete result.",
            "injectionAttempt": None,
            "attempts": 1,
            "scoredAt": datetime(2026, 11, 30, 10, 6, tzinfo=UTC),
            "reason": None,
            "transcriptVerified": True,
            "history": [],
        }
    elif status in ("insufficient", "failed"):
        base |= {
            "attempts": 1 if status == "insufficient" else 5,
            "reason": "too_few_answers" if status == "insufficient" else "provider_unavailable",
            "transcriptVerified": True,
            "provider": "local",
        }
    return base | extra


def score_fields(status: str, **extra) -> dict:
    """The ``$set`` of a session scored with ``status`` (top-level numbers only when scored)."""
    fields: dict = {"scoring": scoring(status, **extra), "transcript": transcript()}
    if status == "scored":
        fields |= {"finalScore": 70, "scoreBreakdown": {"clarity": 80, "correctness": 70, "depth": 61}}
    return fields


def set_score(sync_db, session_id: str, status: str, **extra) -> None:
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": score_fields(status, **extra)})
