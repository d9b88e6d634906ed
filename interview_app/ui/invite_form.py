"""The "new interview" form of the review console (``/review/new``), without Reflex: the API body
from the form, the live preview of what the candidate will see, and the API's refusals by field.

The preview counts the questions the interview will really ask (``domain.questions.questions_for``:
the plan's, else the ones suggested for the job title) and their expected duration
(``InterviewPlan.expected_minutes``), the very rules the candidate's preview API answers with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from interview_app.domain.plan import CAMERAS, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, InterviewPlan
from interview_app.domain.questions import questions_for
from interview_app.ui.words import interview_size

FIELDS = ("job_title", "candidate_name", "email", "questions", "duration", "language", "camera", "external_id")
# The API's names (in its ``details``) → the form's fields.
API_FIELDS = {
    "jobTitle": "job_title",
    "candidateName": "candidate_name",
    "candidateEmail": "email",
    "interviewPlan.questions": "questions",
    "interviewPlan.durationMinutes": "duration",
    "interviewPlan.language": "language",
    "interviewPlan.camera": "camera",
    "interviewPlan": "questions",
    "externalId": "external_id",
}
CAMERA_CHOICES = (("off", "Microphone only"), ("selfview", "Camera and microphone"))
DEVICE_WORDS = {"off": "Uses your microphone", "selfview": "Uses your camera and microphone"}


def question_lines(text: str) -> list[str]:
    """One question per line; blank lines are only separators."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def api_body(form: Mapping[str, object]) -> dict:
    """The ``POST /api/review/interviews`` body of the form; what the API judges is sent as typed
    (a duration that is not a number goes as text, and the API names it)."""
    text = {name: str(form.get(name) or "").strip() for name in FIELDS}
    plan: dict[str, object] = {"language": text["language"] or "en", "camera": text["camera"] or "off"}
    questions = question_lines(str(form.get("questions") or ""))
    if questions:
        plan["questions"] = questions
    if text["duration"]:
        plan["durationMinutes"] = int(text["duration"]) if text["duration"].isdigit() else text["duration"]
    body: dict[str, object] = {
        "jobTitle": text["job_title"],
        "candidateName": text["candidate_name"],
        "interviewPlan": plan,
    }
    if text["email"]:
        body["candidateEmail"] = text["email"]
    if text["external_id"]:
        body["externalId"] = text["external_id"]
    return body


# A body the API refuses (400 VALIDATION_ERROR) in a recruiter's words, by field.
FIELD_WORDS = {
    "job_title": "Enter the job title (at most 200 characters, on one line).",
    "candidate_name": "Enter the candidate's name (at most 200 characters, on one line).",
    "email": "Enter an email address such as ada@example.com, or leave it empty.",
    "questions": "Write the questions as plain text, one per line.",
    "duration": f"Enter whole minutes from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}, or leave it empty.",
    "language": "Enter a language tag such as en or es-MX.",
    "camera": "Choose microphone only, or camera and microphone.",
    "external_id": "Use at most 128 letters, digits or signs, without spaces, or leave it empty.",
}
_PLAN_NAMES = {
    "interviewPlan.durationMinutes": "The duration",
    "interviewPlan.language": "The language",
    "interviewPlan.camera": "The camera",
    "interviewPlan.questions": "The questions",
}


def field_of(details: str) -> str | None:
    """The form field an API refusal's ``details`` names (``"jobTitle: …"``,
    ``"interviewPlan.questions[2] must …"``), or None."""
    head = details.split(":")[0].split(" ")[0].split("[")[0]
    return API_FIELDS.get(head)


def plan_words(details: str) -> str:
    """A plan refusal (422, ``domain/plan.py``'s words) with the form's names for its fields:
    ``interviewPlan.questions[1] must …`` → ``Question 2 must …``."""
    head, _, rest = details.partition(" ")
    if head.startswith("interviewPlan.questions[") and head.endswith("]") and head[24:-1].isdigit():
        return f"Question {int(head[24:-1]) + 1} {rest}"
    return f"{_PLAN_NAMES.get(head, head)} {rest}".strip()


def refusal_words(code: str, details: str) -> tuple[str, str] | None:
    """``(field, words)`` for an API refusal that names a field of the form, else None."""
    field = field_of(details)
    if field is None:
        return None
    return field, plan_words(details) if code == "INVALID_INTERVIEW_PLAN" else FIELD_WORDS[field]


@dataclass(frozen=True)
class Preview:
    """What the candidate's first screen will say about this interview."""

    job_title: str
    length: str  # "About 6 minutes · 3 questions"
    devices: str  # "Uses your microphone"
    suggested: bool  # no questions written: the interviewer asks the ones suggested for the role


def _duration(text: str) -> int | None:
    if text.isdigit() and MIN_DURATION_MINUTES <= int(text) <= MAX_DURATION_MINUTES:
        return int(text)
    return None


def preview(job_title: str, questions_text: str, duration_text: str, camera: str) -> Preview:
    questions = tuple(question_lines(questions_text))
    camera_choice = camera if camera in CAMERAS else "off"
    plan = InterviewPlan(questions=questions, duration_minutes=_duration(duration_text.strip()), camera=camera_choice)  # type: ignore[arg-type]
    count = len(questions_for(plan, job_title.strip() or None))
    minutes = plan.expected_minutes(count)
    return Preview(
        job_title=job_title.strip() or "Job title",
        length=interview_size(count, minutes),  # the candidate's preview says it with the same words
        devices=DEVICE_WORDS[camera_choice],
        suggested=not questions,
    )


def expiry_words(expires_at: object) -> str:
    """``expiresAt`` (ISO 8601 UTC) as a recruiter reads it: "Expires 7 Dec 2026, 04:12 UTC"."""
    if not isinstance(expires_at, str):
        return ""
    try:
        moment = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f"Expires {moment.day} {moment:%b %Y, %H:%M} UTC"
