"""The completion screen's figures from the API's stored session: never a made-up score (no Reflex here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypedDict

from interview_app.ui import feed


class ScoreLine(TypedDict):
    label: str
    value: str


@dataclass(frozen=True)
class Summary:
    completed: bool
    duration_s: int | None  # None: the API did not say
    answered: int | None  # None: no transcript in the answer (a refused end): the page's own count stays
    final_score: str  # "" when the session has no score
    score_lines: list[ScoreLine] = field(default_factory=list)


def number_label(value: object) -> str:
    """A stored score as the candidate reads it (``82``, ``7.5``); empty when there is none."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summary(body: dict) -> Summary:
    duration = body.get("duration")
    transcript = body.get("transcript")
    answered = None
    if isinstance(transcript, list):
        answered = sum(1 for item in transcript if isinstance(item, dict) and item.get("role") == "candidate")
    score = number_label(body.get("finalScore"))
    breakdown = body.get("scoreBreakdown")
    lines: list[ScoreLine] = []
    if score and isinstance(breakdown, dict):
        lines = [
            {"label": feed.clip(str(k))[:80], "value": feed.clip(str(v))[:80]} for k, v in list(breakdown.items())[:20]
        ]
    return Summary(
        completed=body.get("status") == "completed",
        duration_s=_count(duration),
        answered=answered,
        final_score=score,
        score_lines=lines,
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def submitted_summary(preview: dict) -> Summary | None:
    """The preview's ``completedSession`` (the submitted interview, read with the candidate token):
    the figures of a completion screen opened afresh (a reload after the tab's state is gone).
    None when the preview names no submitted interview."""
    done = preview.get("completedSession")
    if not isinstance(done, dict):
        return None
    return Summary(
        completed=True, duration_s=_count(done.get("duration")), answered=_count(done.get("answered")), final_score=""
    )
