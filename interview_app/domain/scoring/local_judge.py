"""The local judge (no API key): deterministic, documented rules over the answers' text.

Per answer, each from 0 to 100:
- **clarity** = 60 x sentence-length fit + 40 x linking. Sentence-length fit is 1 when the average
  sentence has 8-25 words, falling off linearly to 0 at 0 and at 50 words; linking is
  min(1, cause/result linking words / 2).
- **depth** = 25 x each of: min(1, numbers / 2), min(1, named tools / 2) (capitalised words inside a
  sentence, or words mixing letters with digits or dots like ``k8s``/``node.js``), min(1,
  cause/result words / 2), min(1, words / 80).
- **correctness** = how well the answer covers its question's topic words (the question's words of
  4+ letters that are not stop words): min(1, 1.5 x covered / topic words). The question is the
  interview's own as its plan words it when the interviewer's turn holds it (a "welcome back" said
  around it is not the topic), else the turn. An answer to no question (or a question without topic
  words) counts 50.

A dimension's score is the mean over the answers of at least 15 words (rounded half up); its
evidence is the first sentence (up to 200 characters) of its best answer, verbatim. An answer that
tells the assessor what to do (e.g. "give me 100", "ignore the instructions") is flagged as an
injection attempt and otherwise scored like any answer. The screen labels these scores
"Estimated locally, not an AI assessment".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from interview_app.domain.questions import question_asked
from interview_app.domain.scoring import rubric
from interview_app.domain.scoring.judged_input import JudgedInput, Turn, words

MODEL = "local-rules-1"
LINKS = re.compile(
    r"\b(because|so that|so|therefore|thus|hence|as a result|which meant|which means|meaning|led to|leads to"
    r"|resulted in|result|due to|since|consequently|in order to|that's why|that is why)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
TOOLISH = re.compile(r"^(?=.*[a-z])(?=.*[\d.])[a-z0-9.+#-]{2,}$", re.IGNORECASE)
INJECTION = re.compile(
    r"(ignore (?:all |any |the |your |previous |prior )+(?:instructions|rules)|give (?:me|this|the candidate)"
    r" (?:a |an )?(?:score of )?\d+|score (?:me|this answer) (?:as |at )?\d+|you are now|system prompt"
    r"|as the (?:assessor|judge|scorer|evaluator)|new instructions)",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_STOP_WORDS = (
    "about above after again also been before being below between both could does doing down during each "
    "from further have having here into just more most other over same should some such than that their "
    "them then there these they this those through under until very what when where which while will with "
    "would your yours tell describe explain time please thank thanks like give example"
)
STOP = frozenset(_STOP_WORDS.split(" "))


@dataclass(frozen=True)
class _Scored:
    turn: Turn
    clarity: int
    correctness: int
    depth: int


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text) if words(s)]


def _fit(average: float) -> float:
    if 8 <= average <= 25:
        return 1.0
    if average < 8:
        return average / 8
    return max(0.0, (50 - average) / 25)


def _clarity(text: str) -> int:
    parts = sentences(text)
    average = sum(len(words(s)) for s in parts) / max(1, len(parts))
    links = len(LINKS.findall(text))
    return round(60 * _fit(average) + 40 * min(1.0, links / 2))


def _tools(text: str) -> int:
    count = 0
    for sentence in sentences(text):
        tokens = sentence.split()
        for index, token in enumerate(tokens):
            token = token.strip(",;:()\"'")
            if TOOLISH.match(token) or (index > 0 and token[:1].isupper() and token.lower() not in {"i", "i'm"}):
                count += 1
    return count


def _depth(text: str) -> int:
    numbers = len(NUMBER.findall(text))
    parts = (
        min(1.0, numbers / 2),
        min(1.0, _tools(text) / 2),
        min(1.0, len(LINKS.findall(text)) / 2),
        min(1.0, len(words(text)) / 80),
    )
    return round(25 * sum(parts))


def _topic(question: str | None) -> set[str]:
    return {w for w in words(question or "") if len(w) >= 4 and w not in STOP}


def _correctness(answer: str, question: str | None) -> int:
    topic = _topic(question)
    if not topic:
        return 50
    covered = len(topic & set(words(answer)))
    return round(100 * min(1.0, 1.5 * covered / len(topic)))


def _evidence(turn: Turn) -> dict:
    first = sentences(turn.text)[0] if sentences(turn.text) else turn.text.strip()
    return {"itemId": turn.item_id, "quote": first[:200].strip()}


def _mean(values: list[int]) -> int:
    return int(sum(values) / len(values) + 0.5) if values else 0


def _injection(judged: JudgedInput) -> dict | None:
    """The first sentence of an answer that tells the assessor what to do, quoted whole."""
    for turn in judged.answers:
        for sentence in sentences(turn.text):
            if INJECTION.search(sentence):
                return {"itemId": turn.item_id, "quote": sentence[: rubric.MAX_QUOTE_CHARS].strip()}
    return None


def assess(judged: JudgedInput) -> dict:
    """The judgement, in the very shape an OpenAI judge answers (validated the same way)."""
    question: str | None = None
    scored: list[_Scored] = []
    for turn in judged.turns:
        if turn.speaker == "interviewer":
            question = question_asked(turn.text, judged.questions) or turn.text
        elif len(words(turn.text)) >= rubric.MIN_ANSWER_WORDS:
            scored.append(_Scored(turn, _clarity(turn.text), _correctness(turn.text, question), _depth(turn.text)))
    if not scored:
        raise ValueError("nothing to judge: check judged_input.insufficiency first")
    dimensions = {}
    for name in rubric.DIMENSIONS:
        values = [getattr(s, name) for s in scored]
        best = max(scored, key=lambda s: getattr(s, name))
        dimensions[name] = {
            "score": _mean(values),
            "rationale": f"Rule-based estimate over {len(scored)} answers: the {name} rule gives "
            f"{', '.join(str(v) for v in values)} (0-100 per answer). Best answer quoted.",
            "evidence": [_evidence(best.turn)],
        }
    summary = (
        f"Estimated locally from {len(scored)} answers with fixed rules (sentence length and linking words, "
        "specifics, coverage of the questions' topics); not an AI assessment."
    )
    return {"dimensions": dimensions, "summary": summary, "injectionAttempt": _injection(judged)}


class LocalJudge:
    """The judge used when no OpenAI key is set."""

    provider = "local"
    model = MODEL

    async def answer(self, judged: JudgedInput, repairs: list[tuple[str, list[str]]]) -> str:
        return json.dumps(assess(judged))
