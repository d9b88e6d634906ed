"""What the score screen says, from the score API's answer (plain functions, no Reflex).

Decisions: an interview that could not be scored is never shown as a zero; the candidate is told
what happened and that a person on the hiring team reviews it. Scores from the local estimator are
labelled as such. With ``INTERVIEW_SHOW_SCORE=false`` every final status reads the same: the hiring
team is reviewing the interview.
"""

from __future__ import annotations

from typing import TypedDict

from interview_app.domain.scoring.model import FINAL_STATUSES
from interview_app.domain.scoring.rubric import DIMENSIONS

SCORING_WORDS = "Scoring your interview… usually under a minute."
STATUS_WORDS = {
    "loading": "Loading your score…",
    "submitting": "Submitting your interview… your score follows in a moment.",
    "pending": SCORING_WORDS,
    "running": SCORING_WORDS,
    "scored": "Your interview has been scored.",
    "insufficient": (
        "We couldn't score this interview: there wasn't enough in your answers to judge them fairly. "
        "That is not a score of zero. A person on the hiring team will review your interview and contact you "
        "about next steps."
    ),
    "failed": (
        "Your interview couldn't be scored because of a technical problem on our side. That is not a score of "
        "zero. A person on the hiring team will review your interview and contact you about next steps."
    ),
    "not_consented": (
        "This interview is not scored automatically, since the AI evaluation was not agreed to. A person on the "
        "hiring team will review it."
    ),
    "reviewing": "Thank you. The hiring team is reviewing your interview and will contact you about next steps.",
    "not_submitted": "There is no submitted interview for this link yet. Open the link from your invitation.",
    "unavailable": "We can't reach the score service right now. We'll keep trying.",
    "refused": "We couldn't open your score. Please open the link from your invitation again.",
}
REASON_WORDS = {
    "too_few_answers": "Fewer than two of your answers were long enough to judge.",
    "too_little_speech": "Your answers held too few words in all to judge.",
}
LOCAL_LABEL = "Estimated locally, not an AI assessment"
UNVERIFIED_NOTE = (
    "Part of this transcript was recorded by your browser rather than by the interviewer (for example after a "
    "connection problem), so the hiring team checks it before relying on these scores."
)
LABELS = {"clarity": "Clarity", "correctness": "Correctness", "depth": "Depth"}
HINTS = {
    "clarity": "Understandable and structured",
    "correctness": "Sound for the role",
    "depth": "Specifics, trade-offs, your own part, results",
}
POLLED = frozenset({"loading", "submitting", "pending", "running", "unavailable"})


class EvidenceRow(TypedDict):
    quote: str
    question: str


class DimensionRow(TypedDict):
    name: str
    label: str
    hint: str
    score: int
    rationale: str
    evidence: list[EvidenceRow]


def is_final(status: str) -> bool:
    return status in FINAL_STATUSES


def shown_status(status: str, show_score: bool) -> str:
    """The status the screen words: every final one is "reviewing" when scores are not shown."""
    return "reviewing" if not show_score and is_final(status) else status


def dimension_rows(dimensions: object) -> list[DimensionRow]:
    """Each dimension the API scored, in the rubric's order, with its quotes and their questions."""
    found = dimensions if isinstance(dimensions, dict) else {}
    rows: list[DimensionRow] = []
    for name in DIMENSIONS:
        value = found.get(name)
        if not isinstance(value, dict) or not isinstance(value.get("score"), int):
            continue
        evidence = [
            EvidenceRow(quote=item["quote"], question=item.get("question") or "")
            for item in value.get("evidence") or []
            if isinstance(item, dict) and isinstance(item.get("quote"), str)
        ]
        raw = value.get("rationale")
        rationale = raw if isinstance(raw, str) else ""
        rows.append(
            DimensionRow(
                name=name,
                label=LABELS[name],
                hint=HINTS[name],
                score=value["score"],
                rationale=rationale,
                evidence=evidence,
            )
        )
    return rows


def chart_points(rows: list[DimensionRow]) -> list[dict]:
    """What the bar chart draws: ``{name, score}`` per dimension."""
    return [{"name": row["label"], "score": row["score"]} for row in rows]


def chart_label(rows: list[DimensionRow]) -> str:
    """The chart's accessible name: the numbers it draws, in words."""
    parts = ", ".join(f"{row['label']} {row['score']} out of 100" for row in rows)
    return f"Bar chart of your scores: {parts}" if parts else "Bar chart of your scores"
