"""What a judge sees: only what the candidate said (with the questions), the name and email removed.

- The candidate turns with text are the answers. The ``provider`` turns are judged when the session
  has any (they are what the interviewer heard); otherwise the ``client``/``offline`` turns, and then
  ``transcriptVerified`` is false.
- Interviewer turns of the same record give the questions; they are never judged. ``questions`` are
  the interview's own (``questions_for`` its plan): the local judge measures an answer against the
  question as the plan words it, not against a "welcome back" said around it. They are not part of
  the serialised input (the turns hold what was asked).
- The transcript is serialised as JSON data (:meth:`JudgedInput.as_json`), and the hash of exactly
  that text is stored with the result, so a score can be traced to its input.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from interview_app.domain import rules
from interview_app.domain.model import TranscriptItem
from interview_app.domain.scoring import rubric

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WORD = re.compile(r"[\w'’-]+")
NAME_MARK = "[candidate]"
EMAIL_MARK = "[email]"


@dataclass(frozen=True)
class Turn:
    item_id: str
    speaker: str  # "interviewer" | "candidate"
    text: str  # redacted


@dataclass(frozen=True)
class JudgedInput:
    job_title: str | None
    turns: tuple[Turn, ...]
    transcript_verified: bool
    questions: tuple[str, ...] = ()

    @property
    def answers(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == "candidate")

    def answer(self, item_id: str) -> Turn | None:
        return next((t for t in self.answers if t.item_id == item_id), None)

    def as_json(self) -> str:
        """The data the judge receives (stable key order, so equal transcripts hash equally)."""
        data = {
            "role": self.job_title,
            "turns": [{"itemId": t.item_id, "speaker": t.speaker, "text": t.text} for t in self.turns],
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        # "<" and ">" escaped (still the same JSON): no turn can close the </transcript> delimiter.
        return text.replace("<", "\\u003c").replace(">", "\\u003e")

    @property
    def input_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.as_json().encode()).hexdigest()


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def redact(text: str, name: str | None, email: str | None) -> str:
    """The text with the candidate's email (and any email address) and name (full, then each part) masked."""
    if email:
        text = re.sub(re.escape(email), EMAIL_MARK, text, flags=re.IGNORECASE)
    text = EMAIL.sub(EMAIL_MARK, text)
    if name and name.strip():
        parts = [name.strip()] + [p for p in re.split(r"\s+", name.strip()) if len(p) >= 2]
        for part in parts:
            text = re.sub(rf"\b{re.escape(part)}\b", NAME_MARK, text, flags=re.IGNORECASE)
    return text


def judged_input(
    transcript: list[TranscriptItem],
    job_title: str | None,
    name: str | None,
    email: str | None,
    questions: Sequence[str] = (),
) -> JudgedInput:
    """The turns a judge sees, chosen by provenance, in transcript order, redacted."""
    spoken = [item for item in transcript if item.text.strip()]
    has_provider_answers = any(i.source == "provider" and i.role == "candidate" for i in spoken)
    chosen = [i for i in spoken if i.source == "provider"] if has_provider_answers else spoken
    turns = tuple(Turn(i.id, i.role, redact(i.text, name, email)) for i in chosen)
    # Over the judged turns: false when any answer judged is not the provider's (issue 16's rule).
    return JudgedInput(
        job_title=job_title,
        turns=turns,
        transcript_verified=rules.transcript_verified(chosen),
        questions=tuple(questions),
    )


def speech_words(text: str) -> int:
    """Words that count as speech: an answer that is mostly repetition (under 30 % distinct words) counts 0."""
    found = words(text)
    if not found or len(set(found)) / len(found) < rubric.MIN_DISTINCT_RATIO:
        return 0
    return len(found)


def insufficiency(judged: JudgedInput) -> str | None:
    """``too_little_speech`` or ``too_few_answers`` when there is too little to judge, else None."""
    counts = [speech_words(t.text) for t in judged.answers]
    if sum(counts) < rubric.MIN_TOTAL_WORDS:
        return "too_little_speech"
    if sum(1 for c in counts if c >= rubric.MIN_ANSWER_WORDS) < rubric.MIN_ANSWERS:
        return "too_few_answers"
    return None
