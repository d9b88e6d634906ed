"""Which questions an interview asks: the hiring team's plan, else suggestions that fit the job title.

The suggestion banks are only a fallback for a plan without questions (issue 20 §2).
"""

from __future__ import annotations

from interview_app.domain.plan import InterviewPlan

QUESTION_BANKS: list[tuple[tuple[str, ...], list[str]]] = [
    (
        ("data", "machine learning", "ml ", "analyst", "scientist"),
        [
            "Tell me about a data pipeline or model you built end to end. What was the hardest part?",
            "How do you make sure the data you rely on is correct before you trust a result?",
            "Describe a time an analysis changed a decision. How did you communicate it?",
        ],
    ),
    (
        ("engineer", "developer", "programmer", "software", "backend", "frontend", "devops", "sre"),
        [
            "Walk me through a system you designed recently. Which trade-offs did you make, and why?",
            "Tell me about a difficult production bug you tracked down. How did you find the cause?",
            "How do you keep a codebase healthy as it grows: tests, reviews, refactoring?",
        ],
    ),
    (
        ("design", "ux", "ui "),
        [
            "Walk me through a design you are proud of, from the problem to the final result.",
            "How do you test a design with real users, and what did you last change because of it?",
            "Tell me about a disagreement with engineering or product and how you resolved it.",
        ],
    ),
    (
        ("product", "manager", "lead"),
        [
            "Tell me about a product decision you made with incomplete information.",
            "How do you decide what not to build?",
            "Describe a time you aligned a team that disagreed on priorities.",
        ],
    ),
    (
        ("sales", "account", "customer", "support", "success"),
        [
            "Tell me about a customer relationship you turned around.",
            "How do you prepare for a conversation with a new client?",
            "Describe a target you missed and what you learned from it.",
        ],
    ),
]

GENERAL_QUESTIONS = [
    "Tell me about yourself and what drew you to this position.",
    "Describe a project you are proud of and your part in it.",
    "Tell me about a challenge you faced at work and how you handled it.",
]


def suggested_questions(job_title: str | None) -> list[str]:
    """Questions that fit the job title, for a plan that has none."""
    title = f" {(job_title or '').lower()} "
    for keywords, bank in QUESTION_BANKS:
        if any(keyword in title for keyword in keywords):
            return bank
    return GENERAL_QUESTIONS


def questions_for(plan: InterviewPlan, job_title: str | None) -> list[str]:
    """The questions this interview asks, in order."""
    return list(plan.questions) or suggested_questions(job_title)
