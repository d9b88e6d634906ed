"""Which questions an interview asks: the hiring team's plan, else suggestions that fit the job title.

The suggestion banks are only a fallback for a plan without questions (issue 20 §2).

How a job title picks a bank (the most specific match wins, never the list order alone):

- The title is read as lower-case words (``"UX/UI Designer"`` is ``ux ui designer``); a keyword is
  found when it is a whole word of the title, or consecutive whole words for a phrase
  (``machine learning``).
- A bank has **field** keywords (what the job is about: ``data``, ``design``, ``product``,
  ``customer``...) and **role** keywords (what the person is: ``engineer``, ``manager``,
  ``lead``...). A role word names no field, so it only breaks ties.
- The bank with the most field keywords found wins; a tie goes to the one with more role keywords
  found, then to the one whose found keyword is longest (``designer`` is more specific than
  ``product``), then to the earlier bank in the list. No keyword found: the general questions.

So "Customer Success Manager" gets the customer bank (two field words against one role word),
"Data Engineer" the data bank, "Product Manager" the product bank, "Product Designer" the design bank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interview_app.domain.plan import InterviewPlan

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class QuestionBank:
    """Suggested questions for the jobs whose titles hold these keywords."""

    field: tuple[str, ...]  # what the job is about: decides
    role: tuple[str, ...]  # what the person is: breaks ties only
    questions: tuple[str, ...]


QUESTION_BANKS: tuple[QuestionBank, ...] = (
    QuestionBank(
        field=("data", "machine learning", "ml", "ai", "analytics", "statistics"),
        role=("analyst", "scientist", "statistician"),
        questions=(
            "Tell me about a data pipeline or model you built end to end. What was the hardest part?",
            "How do you make sure the data you rely on is correct before you trust a result?",
            "Describe a time an analysis changed a decision. How did you communicate it?",
        ),
    ),
    QuestionBank(
        field=(
            "software",
            "engineering",
            "backend",
            "back end",
            "frontend",
            "front end",
            "full stack",
            "fullstack",
            "devops",
            "sre",
            "site reliability",
            "platform",
            "infrastructure",
        ),
        role=("engineer", "developer", "programmer", "architect"),
        questions=(
            "Walk me through a system you designed recently. Which trade-offs did you make, and why?",
            "Tell me about a difficult production bug you tracked down. How did you find the cause?",
            "How do you keep a codebase healthy as it grows: tests, reviews, refactoring?",
        ),
    ),
    QuestionBank(
        field=("design", "designer", "ux", "ui", "user research"),
        role=("researcher",),
        questions=(
            "Walk me through a design you are proud of, from the problem to the final result.",
            "How do you test a design with real users, and what did you last change because of it?",
            "Tell me about a disagreement with engineering or product and how you resolved it.",
        ),
    ),
    QuestionBank(
        field=("product", "program", "project"),
        role=("manager", "lead", "head", "director", "owner"),
        questions=(
            "Tell me about a product decision you made with incomplete information.",
            "How do you decide what not to build?",
            "Describe a time you aligned a team that disagreed on priorities.",
        ),
    ),
    QuestionBank(
        field=("sales", "account", "accounts", "customer", "customers", "support", "success", "client"),
        role=("representative", "executive", "rep"),
        questions=(
            "Tell me about a customer relationship you turned around.",
            "How do you prepare for a conversation with a new client?",
            "Describe a target you missed and what you learned from it.",
        ),
    ),
)

GENERAL_QUESTIONS = (
    "Tell me about yourself and what drew you to this position.",
    "Describe a project you are proud of and your part in it.",
    "Tell me about a challenge you faced at work and how you handled it.",
)


def _found(keywords: tuple[str, ...], title: str) -> list[str]:
    """The keywords that are whole words (or consecutive whole words) of the normalised title."""
    return [keyword for keyword in keywords if f" {keyword} " in title]


def _specificity(bank: QuestionBank, title: str) -> tuple[int, int, int]:
    field, role = _found(bank.field, title), _found(bank.role, title)
    return len(field), len(role), max((len(keyword) for keyword in field + role), default=0)


def suggested_questions(job_title: str | None) -> list[str]:
    """Questions that fit the job title, for a plan that has none (the rule is the module's docstring)."""
    title = f" {' '.join(_WORD.findall((job_title or '').lower()))} "
    best, best_rank = None, (0, 0, 0)
    for bank in QUESTION_BANKS:  # strictly better only: an equal rank keeps the earlier bank
        rank = _specificity(bank, title)
        if rank > best_rank:
            best, best_rank = bank, rank
    return list(best.questions if best is not None else GENERAL_QUESTIONS)


def questions_for(plan: InterviewPlan, job_title: str | None) -> list[str]:
    """The questions this interview asks, in order: the plan's, else the suggestions for the title."""
    return list(plan.questions) or suggested_questions(job_title)


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def question_asked(said: str, questions: Sequence[str]) -> str | None:
    """The question of ``questions`` an interviewer turn asks, as the plan words it (a greeting or
    a "welcome back" around it left out), else None (a hosted model may word it its own way).
    When a turn holds several, the last one said is the one the next answer answers."""
    turn = _squeezed(said)
    found = [(turn.rfind(_squeezed(q)), q) for q in questions if q.strip() and _squeezed(q) in turn]
    return max(found)[1] if found else None
