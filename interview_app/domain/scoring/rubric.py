"""The rubric, its weights and the thresholds of scoring: the one home of every number a score depends on.

Changing an anchor, a weight or a threshold changes what a score means: bump ``RUBRIC_VERSION``
(stored with every result, so old and new scores are never compared blindly).
"""

from __future__ import annotations

from typing import Literal

RUBRIC_VERSION = "rubric-2026-11-30"

Dimension = Literal["clarity", "correctness", "depth"]
DIMENSIONS: tuple[Dimension, ...] = ("clarity", "correctness", "depth")

# finalScore = the weighted mean of the breakdown, rounded half up (the server computes it, never the model).
WEIGHTS: dict[Dimension, int] = {"clarity": 1, "correctness": 1, "depth": 1}

# Too little to judge (issue 17 §2): fewer than 80 candidate words in all -> too_little_speech;
# fewer than 2 answers of at least 15 words -> too_few_answers. Repetitive text counts as no speech.
MIN_ANSWERS = 2
MIN_ANSWER_WORDS = 15
MIN_TOTAL_WORDS = 80
MIN_DISTINCT_RATIO = 0.30

MAX_RATIONALE_CHARS = 600
MAX_SUMMARY_CHARS = 800
MIN_EVIDENCE, MAX_EVIDENCE = 1, 3
MAX_QUOTE_CHARS = 300

MAX_ATTEMPTS = 5  # provider failures retried with back-off, then `failed`
MAX_REPAIRS = 2  # repair requests for an answer that breaks the rules, within one attempt
BACKOFF_BASE_SECONDS = 5  # attempt n waits BACKOFF_BASE * 2**(n-1) seconds (or Retry-After if longer)
BACKOFF_MAX_SECONDS = 300

MEANINGS: dict[Dimension, str] = {
    "clarity": "understandable and structured",
    "correctness": "sound for the role",
    "depth": "specifics, trade-offs, the candidate's own part, results",
}

# Band anchors: what an answer set in each band looks like. The judge is asked to use them.
BANDS = ("0-20", "21-40", "41-60", "61-80", "81-100")
ANCHORS: dict[Dimension, tuple[str, str, str, str, str]] = {
    "clarity": (
        "Answers cannot be followed: fragments, no point made.",
        "A point can be guessed but the answers wander or contradict themselves.",
        "Understandable, with a point, but loosely ordered; the listener must reconstruct the logic.",
        "Clear and ordered: situation, action and outcome can be told apart; causes linked to results.",
        "Crisp and well structured throughout; each answer leads with its point and supports it.",
    ),
    "correctness": (
        "Answers are wrong for the role or do not address the questions.",
        "Mostly off-topic, or with errors a practitioner of the role would not make.",
        "On topic and broadly sound, with gaps or vague claims.",
        "Sound for the role, addressing what was asked, with minor imprecision at most.",
        "Accurate and precise, showing command of the role's subject matter.",
    ),
    "depth": (
        "No specifics at all.",
        "Generic statements; little of the candidate's own part or of results.",
        "Some specifics (a tool, a number, a decision) but little on trade-offs or outcomes.",
        "Concrete: named tools, figures, the candidate's own decisions and their results.",
        "Rich specifics with trade-offs weighed, the candidate's own part explicit, results measured.",
    ),
}


def final_score(breakdown: dict[str, int]) -> int:
    """The weighted mean of the three dimension scores, rounded half up, 0-100."""
    total = sum(WEIGHTS[d] * breakdown[d] for d in DIMENSIONS)
    mean = total / sum(WEIGHTS.values())
    return max(0, min(100, int(mean + 0.5)))


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """How long to wait before attempt ``attempts + 1``: exponential, or the provider's Retry-After."""
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return max(delay, retry_after or 0.0)
