"""Which questions an interview asks (issue 20 §2): the plan's, else the most specific bank's."""

from __future__ import annotations

import pytest

from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.domain.questions import GENERAL_QUESTIONS, question_asked, questions_for, suggested_questions

DATA = "Tell me about a data pipeline or model you built end to end. What was the hardest part?"
ENGINEERING = "Walk me through a system you designed recently. Which trade-offs did you make, and why?"
DESIGN = "Walk me through a design you are proud of, from the problem to the final result."
PRODUCT = "Tell me about a product decision you made with incomplete information."
CUSTOMER = "Tell me about a customer relationship you turned around."


@pytest.mark.parametrize(
    ("title", "first"),
    [
        ("Customer Success Manager", CUSTOMER),  # two field words beat the role word "manager"
        ("Account Manager", CUSTOMER),
        ("Sales Manager", CUSTOMER),
        ("Product Manager", PRODUCT),
        ("Team Lead", PRODUCT),  # only a role word: still the bank that has it
        ("Data Engineer", DATA),  # "engineer" is a role word, "data" a field
        ("Senior Data Scientist", DATA),
        ("Machine Learning Engineer", DATA),
        ("Backend Developer", ENGINEERING),
        ("Site Reliability Engineer", ENGINEERING),
        ("Engineering Manager", ENGINEERING),
        ("Product Designer", DESIGN),  # one field word each: the longer ("designer") is more specific
        ("UX/UI Designer", DESIGN),
    ],
)
def test_the_most_specific_bank_wins_not_the_first_in_the_list(title, first):
    assert suggested_questions(title)[0] == first


@pytest.mark.parametrize("title", ["Chef", "", None, "Build manageress"])
def test_no_keyword_as_a_whole_word_gives_the_general_questions(title):
    """Whole words only: "manageress" holds no "manager", "build" no "ui"."""
    assert suggested_questions(title) == list(GENERAL_QUESTIONS)


def test_the_plans_questions_come_first_in_their_order_else_the_suggestions():
    asked = ("Why this team?", "What would you change in our onboarding?")
    assert questions_for(InterviewPlan(questions=asked), "Customer Success Manager") == list(asked)
    assert questions_for(DEFAULT_PLAN, "Customer Success Manager")[0] == CUSTOMER
    assert questions_for(InterviewPlan(duration_minutes=30), None) == list(GENERAL_QUESTIONS)


def test_the_question_a_turn_asks_is_the_plans_wording_without_what_is_said_around_it():
    asked = ["Why this team?", "What would you change in our onboarding?"]
    assert question_asked("Welcome back. Let's pick up where we left off. Why  this\nteam?", asked) == asked[0]
    assert question_asked("Thanks! What would you change in our onboarding?", asked) == asked[1]
    assert question_asked("Why this team? Also: what would you change in our onboarding?", asked) == asked[1]
    assert question_asked("So, tell me why you chose us.", asked) is None  # a model's own words: unknown
