"""Whether a judge's answer may be stored: shape, evidence found verbatim, content-only rationale.

A judge answers JSON text (the shape of :data:`interview_app.domain.scoring.prompt.OUTPUT_SCHEMA`).
:func:`check` returns the parsed judgement, or the list of problems, worded so a repair request can
quote them back to the judge.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from interview_app.domain.scoring import rubric
from interview_app.domain.scoring.judged_input import JudgedInput

# Evidence of how something was said, never what: a rationale leaning on these is rejected.
NOT_CONTENT = re.compile(
    r"\b(accents?|accented|pace|pacing|speaking (?:speed|rate)|spoke (?:too )?(?:quickly|slowly|fast)"
    r"|filler(?: words?)?|um+|uh+|stutter\w*|hesitat\w*|emotion\w*|nervous\w*|anxious|anxiety"
    r"|personality|introvert\w*|extrovert\w*|tone of voice|voice|charisma\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    item_id: str
    quote: str


@dataclass(frozen=True)
class DimensionScore:
    score: int
    rationale: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Judgement:
    dimensions: dict[str, DimensionScore]
    summary: str
    injection_attempt: Evidence | None

    @property
    def breakdown(self) -> dict[str, int]:
        return {name: d.score for name, d in self.dimensions.items()}


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quote_problem(where: str, raw: object, judged: JudgedInput) -> tuple[Evidence | None, str | None]:
    if not isinstance(raw, dict) or not isinstance(raw.get("itemId"), str) or not isinstance(raw.get("quote"), str):
        return None, f"{where} must be an object with string itemId and quote"
    evidence = Evidence(raw["itemId"], raw["quote"])
    answer = judged.answer(evidence.item_id)
    if answer is None:
        return None, f"{where} names itemId {evidence.item_id!r}, which is not a candidate turn"
    quote = normalised(evidence.quote)
    if not quote or len(evidence.quote) > rubric.MAX_QUOTE_CHARS:
        return None, f"{where} quote must be 1 to {rubric.MAX_QUOTE_CHARS} characters"
    if quote not in normalised(answer.text):
        return None, f"{where} quote {evidence.quote[:80]!r} is not verbatim in candidate turn {evidence.item_id!r}"
    return evidence, None


def _content_only(where: str, text: str) -> str | None:
    found = NOT_CONTENT.search(text)
    if found:
        return (
            f"{where} relies on {found.group(0)!r}: judge what was said, never how "
            "(accent, pace, filler, emotion, personality)"
        )
    return None


def _dimension(name: str, raw: object, judged: JudgedInput, problems: list[str]) -> DimensionScore | None:
    if not isinstance(raw, dict):
        problems.append(f"dimensions.{name} is missing")
        return None
    score, rationale, evidence_raw = raw.get("score"), raw.get("rationale"), raw.get("evidence")
    count = len(problems)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        problems.append(f"dimensions.{name}.score must be an integer from 0 to 100")
    if not isinstance(rationale, str) or not rationale.strip() or len(rationale) > rubric.MAX_RATIONALE_CHARS:
        problems.append(f"dimensions.{name}.rationale must be 1 to {rubric.MAX_RATIONALE_CHARS} characters")
    elif problem := _content_only(f"dimensions.{name}.rationale", rationale):
        problems.append(problem)
    if not isinstance(evidence_raw, list) or not rubric.MIN_EVIDENCE <= len(evidence_raw) <= rubric.MAX_EVIDENCE:
        problems.append(f"dimensions.{name}.evidence must hold {rubric.MIN_EVIDENCE} to {rubric.MAX_EVIDENCE} items")
        evidence_raw = []
    evidence = []
    for index, item in enumerate(evidence_raw):
        found, problem = _quote_problem(f"dimensions.{name}.evidence[{index}]", item, judged)
        if problem:
            problems.append(problem)
        elif found:
            evidence.append(found)
    if len(problems) > count:
        return None
    assert isinstance(score, int) and isinstance(rationale, str)
    return DimensionScore(score, rationale.strip(), tuple(evidence))


def check(text: str, judged: JudgedInput) -> tuple[Judgement | None, list[str]]:
    """The judgement in ``text`` when every rule holds, else ``(None, problems)``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, [f"the answer is not valid JSON ({exc})"]
    if not isinstance(data, dict):
        return None, ["the answer must be a JSON object"]
    problems: list[str] = []
    raw_dimensions = data.get("dimensions")
    if not isinstance(raw_dimensions, dict):
        raw_dimensions = {}
    dimensions = {name: _dimension(name, raw_dimensions.get(name), judged, problems) for name in rubric.DIMENSIONS}
    summary = data.get("summary")
    if not isinstance(summary, str) or not summary.strip() or len(summary) > rubric.MAX_SUMMARY_CHARS:
        problems.append(f"summary must be 1 to {rubric.MAX_SUMMARY_CHARS} characters")
    elif problem := _content_only("summary", summary):
        problems.append(problem)
    injection = None
    if data.get("injectionAttempt") is not None:
        injection, problem = _quote_problem("injectionAttempt", data["injectionAttempt"], judged)
        if problem:
            problems.append(problem)
    if problems:
        return None, problems
    assert isinstance(summary, str)
    complete = {name: d for name, d in dimensions.items() if d is not None}
    return Judgement(complete, summary.strip(), injection), []
