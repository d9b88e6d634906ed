"""What the "current question" box shows of an interviewer turn: the question, without a greeting.

The local interviewer says its greeting as a turn of its own and a resumed call leads with a welcome
back; both are lines of :mod:`interview_app.realtime.script`, so they are recognised and taken off.
A hosted model words its own greeting: its turn is shown whole (nothing reliable to cut on).

The question shown is always what the interviewer said, which is the plan's question (the local
interviewer says it verbatim; ``domain.questions.questions_for``), never one looked up by job title.
Decision: the page is not given the plan's questions to match against, since the candidate never
sees them before they are asked (contract C1).
"""

from __future__ import annotations

from interview_app.realtime import script


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def question_in(text: str, job_title: str | None) -> str:
    """The turn without a greeting or welcome back in front: empty when it was only that."""
    said = _squeezed(text)
    for opening in (script.greeting(job_title or None), script.greeting(None), script.WELCOME_BACK):
        opening = _squeezed(opening)
        if said.startswith(opening):
            said = said.removeprefix(opening).strip()
    return said
