"""The interview plan's rules (issue 20 §4): what is accepted, what is refused and why."""

from __future__ import annotations

import pytest

from interview_app.domain.errors import InvalidInterviewPlan
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan, parse_plan


def test_no_plan_is_the_default_plan():
    assert parse_plan(None) == DEFAULT_PLAN
    assert InterviewPlan(questions=(), duration_minutes=None, language="en", camera="off") == DEFAULT_PLAN


def test_a_full_plan_is_read_with_its_questions_trimmed():
    questions = ["  Why this role?  ", "Tell me\nabout a project."]
    plan = parse_plan({"questions": questions, "durationMinutes": 20, "language": "es-MX", "camera": "selfview"})
    assert plan == InterviewPlan(("Why this role?", "Tell me about a project."), 20, "es-MX", "selfview")
    assert plan.document() == {
        "questions": ["Why this role?", "Tell me about a project."],
        "durationMinutes": 20,
        "language": "es-MX",
        "camera": "selfview",
    }


def test_the_expected_duration_is_the_plans_or_two_minutes_a_question_at_least_five():
    assert InterviewPlan(duration_minutes=30).expected_minutes(3) == 30
    assert DEFAULT_PLAN.expected_minutes(3) == 6
    assert DEFAULT_PLAN.expected_minutes(1) == 5
    assert DEFAULT_PLAN.expected_minutes(15) == 30


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("ask things", "interviewPlan must be an object"),
        ({"questions": []}, "questions"),
        ({"questions": ["q"] * 16}, "questions"),
        ({"questions": "Why?"}, "questions"),
        ({"questions": ["ok", "   "]}, "questions[1]"),
        ({"questions": ["x" * 501]}, "questions[0]"),
        ({"questions": [3]}, "questions[0]"),
        ({"durationMinutes": 4}, "durationMinutes"),
        ({"durationMinutes": 91}, "durationMinutes"),
        ({"durationMinutes": 10.5}, "durationMinutes"),
        ({"durationMinutes": True}, "durationMinutes"),
        ({"language": "english please"}, "language"),
        ({"language": ""}, "language"),
        ({"language": 7}, "language"),
        ({"camera": "on"}, "camera"),
        ({"questions": ["ok"], "recordVideo": True}, "recordVideo"),
    ],
)
def test_a_wrong_field_is_refused_by_name(raw, field):
    with pytest.raises(InvalidInterviewPlan) as refused:
        parse_plan(raw)
    assert field in str(refused.value)
    assert refused.value.code == "INVALID_INTERVIEW_PLAN"


@pytest.mark.parametrize("tag", ["en", "EN-gb", "es-419", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996", "en-US-x-twain"])
def test_well_formed_language_tags_are_accepted(tag):
    assert parse_plan({"language": tag}).language == tag


def test_exactly_fifteen_questions_of_500_characters_are_accepted():
    assert len(parse_plan({"questions": ["x" * 500] * 15}).questions) == 15
