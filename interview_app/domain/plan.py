"""The interview plan the hiring team writes on an application (issue 20 §4): one home for its rules.

An application document may carry ``interviewPlan``::

    {"questions": ["…", …],        # 1–15 strings of at most 500 characters; absent = suggested
     "durationMinutes": 20,         # 5–90; absent = estimated from the number of questions
     "language": "en",              # a BCP 47 tag, default "en"
     "camera": "off"}               # "off" | "selfview", default "off"

Without ``questions`` the interviewer suggests questions that fit the job title
(``realtime/script.py``); an application without any plan gets the same defaults. The API that
creates interviews and the storage mapping of stored applications both call ``parse_plan``, so a
plan the interviewers would choke on is refused with ``INVALID_INTERVIEW_PLAN`` (422) and nothing is
written; a stored plan an integrator wrote by hand and got wrong is refused the same way at start.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, get_args

from interview_app.domain.errors import InvalidInterviewPlan

Camera = Literal["off", "selfview"]
CAMERAS: tuple[Camera, ...] = get_args(Camera)
MAX_QUESTIONS = 15
MAX_QUESTION_CHARS = 500
MIN_DURATION_MINUTES, MAX_DURATION_MINUTES = 5, 90
MINUTES_PER_QUESTION = 2  # an answer and a follow-up, when the plan gives no duration
DEFAULT_LANGUAGE = "en"
# RFC 5646's well-formed shape (language, script, region, variants, extensions), case-insensitive;
# well-formed is what the providers need, the registry's validity is the hiring team's business.
LANGUAGE_PATTERN = (
    r"^[a-z]{2,3}(-[a-z]{3}){0,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(-[0-9a-wy-z](-[a-z0-9]{2,8})+)*(-x(-[a-z0-9]{1,8})+)?$"
)
_BCP47 = re.compile(LANGUAGE_PATTERN, re.IGNORECASE)
_FIELDS = {"questions", "durationMinutes", "language", "camera"}


@dataclass(frozen=True)
class InterviewPlan:
    """What the interviewers ask, for how long, in which language, and whether the page shows a selfview."""

    questions: tuple[str, ...] = ()  # empty: the interviewer suggests questions from the job title
    duration_minutes: int | None = None
    language: str = DEFAULT_LANGUAGE
    camera: Camera = "off"

    def expected_minutes(self, question_count: int) -> int:
        """The duration the candidate is told: the plan's, else about 2 minutes per question (at least 5)."""
        if self.duration_minutes is not None:
            return self.duration_minutes
        return max(MIN_DURATION_MINUTES, math.ceil(question_count * MINUTES_PER_QUESTION))

    def document(self) -> dict:
        """The stored ``interviewPlan`` (only what the hiring team chose; defaults stay implicit)."""
        doc: dict = {"language": self.language, "camera": self.camera}
        if self.questions:
            doc["questions"] = list(self.questions)
        if self.duration_minutes is not None:
            doc["durationMinutes"] = self.duration_minutes
        return doc


DEFAULT_PLAN = InterviewPlan()


def parse_plan(raw: object) -> InterviewPlan:
    """An ``interviewPlan`` value (``None`` = no plan) as an ``InterviewPlan``, or ``InvalidInterviewPlan``
    naming the first field that is wrong. Questions are trimmed; a blank one is an error, not skipped."""
    if raw is None:
        return DEFAULT_PLAN
    if not isinstance(raw, dict):
        raise InvalidInterviewPlan("interviewPlan must be an object")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise InvalidInterviewPlan(f"interviewPlan has unknown field {unknown[0]!r}")
    return InterviewPlan(
        questions=_questions(raw.get("questions")),
        duration_minutes=_duration(raw.get("durationMinutes")),
        language=_language(raw.get("language", DEFAULT_LANGUAGE)),
        camera=_camera(raw.get("camera", "off")),
    )


def _questions(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_QUESTIONS:
        raise InvalidInterviewPlan(f"interviewPlan.questions must be a list of 1 to {MAX_QUESTIONS} questions")
    questions = []
    for index, question in enumerate(raw):
        text = " ".join(question.split()) if isinstance(question, str) else ""
        if not text or len(text) > MAX_QUESTION_CHARS:
            raise InvalidInterviewPlan(
                f"interviewPlan.questions[{index}] must be a non-blank string "
                f"of at most {MAX_QUESTION_CHARS} characters"
            )
        questions.append(text)
    return tuple(questions)


def _duration(raw: object) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():  # JSON's 20.0, or a double a JavaScript driver stored
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not MIN_DURATION_MINUTES <= raw <= MAX_DURATION_MINUTES:
        raise InvalidInterviewPlan(
            "interviewPlan.durationMinutes must be a whole number "
            f"from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}"
        )
    return raw


def _language(raw: object) -> str:
    if not isinstance(raw, str) or len(raw) > 35 or not _BCP47.match(raw):
        raise InvalidInterviewPlan("interviewPlan.language must be a BCP 47 language tag such as 'en' or 'es-MX'")
    return raw


def _camera(raw: object) -> Camera:
    if raw not in CAMERAS:
        raise InvalidInterviewPlan("interviewPlan.camera must be 'off' or 'selfview'")
    return raw  # type: ignore[return-value]  # narrowed by the membership test
