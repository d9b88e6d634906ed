"""What the candidate reads: the API's refusals and the sync's outcomes in plain words (no Reflex here)."""

from __future__ import annotations

import math

from interview_app.ui import api_client

INVALID_LINK_MESSAGE = "This interview link looks incomplete. Please open the link from your invitation again."
NOT_YOURS_MESSAGE = "This interview link isn't valid for you. Please open the link from your own invitation."
SUBMITTED_MESSAGE = "Interview already submitted. Thank you, there is nothing more to do."


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def says_submitted(refused: api_client.Refused) -> bool:
    """start-session's answer for an interview already submitted (``400 INVALID_APPLICATION``)."""
    return refused.status == 400 and refused.code == "INVALID_APPLICATION"


def interview_size(question_count: int, minutes: int) -> str:
    """The preview's promise (issue 20 §4): ``About 6 minutes · 3 questions``, from the interview's plan."""
    return f"About {plural(minutes, 'minute')} · {plural(question_count, 'question')}"


def refusal_message(refused: api_client.Refused) -> str:
    """What the candidate reads for each refusal (the API's codes mapped to plain words)."""
    if refused.status == 404:
        return "We couldn't find this interview. Please check the link in your invitation."
    if says_submitted(refused):
        return SUBMITTED_MESSAGE
    if refused.status == 429:
        minutes = max(1, math.ceil((refused.retry_after_seconds or 60) / 60))
        return f"Too many attempts, try again in {plural(minutes, 'minute')}."
    if refused.status in (401, 403):
        return NOT_YOURS_MESSAGE
    return INVALID_LINK_MESSAGE


def unsaved_note(answers: int, interviewer_turns: int) -> str:
    """Turns the API refused for good, said truthfully (``1 answer could not be saved.``)."""
    parts = [plural(n, noun) for n, noun in ((answers, "answer"), (interviewer_turns, "interviewer turn")) if n]
    return f"{' and '.join(parts)} could not be saved." if parts else ""


def offline_wait_message(retry_after_seconds: float) -> str:
    """No offline grant left for now: when to try again, in whole minutes."""
    minutes = max(1, math.ceil(retry_after_seconds / 60))
    return f"We can't reach the interview service right now. Please try again in {plural(minutes, 'minute')}."
