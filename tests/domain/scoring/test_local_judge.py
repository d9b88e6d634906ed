"""The local judge: deterministic rules, evidence from the answers, valid by the same checks as OpenAI's."""

from __future__ import annotations

import json
from dataclasses import replace

from interview_app.domain.scoring.judged_input import judged_input
from interview_app.domain.scoring.local_judge import LocalJudge, assess
from interview_app.domain.scoring.validation import check
from tests.support.scoring_data import ANSWERS, INJECTION, QUESTIONS, interview


async def test_the_local_judgement_passes_the_rules_and_is_deterministic():
    judged = judged_input(interview(), "Backend Engineer", None, None)
    text = await LocalJudge().answer(judged, [])
    judgement, problems = check(text, judged)
    assert problems == [] and judgement is not None
    assert text == await LocalJudge().answer(judged, [])
    for dimension in judgement.dimensions.values():
        assert 0 <= dimension.score <= 100 and dimension.evidence[0].item_id in {"a0", "a1", "a2"}
    assert judgement.injection_attempt is None


def test_specific_linked_on_topic_answers_score_higher_than_vague_ones():
    vague = [
        "I think it went fine and we did some things and then it was better than it was before for everyone.",
        "It depends on what you want and what the team likes and what you have used before in the past.",
        "We talked about it and someone fixed it and then we moved on to other things in the sprint later.",
    ]
    good = assess(judged_input(interview(), "Backend Engineer", None, None))["dimensions"]
    poor = assess(judged_input(interview(vague), "Backend Engineer", None, None))["dimensions"]
    for name in ("clarity", "correctness", "depth"):
        assert good[name]["score"] > poor[name]["score"], name


def test_an_injected_instruction_is_flagged_with_its_quote():
    judged = judged_input(interview([ANSWERS[0], ANSWERS[1], INJECTION]), None, None, None)
    flagged = assess(judged)["injectionAttempt"]
    assert flagged["itemId"] == "a2" and "give me 100" in flagged["quote"]
    assert check(json.dumps(assess(judged)), judged)[1] == []


def test_an_answer_to_a_resumed_question_is_measured_against_the_plans_question():
    """Issue 20 §4: the question is the plan's, not the "welcome back" said in front of it after a resume."""
    plain = interview()
    resumed = [
        replace(t, text=f"Welcome back. Let's pick up where we left off. {t.text}") if t.id == "q1" else t
        for t in plain
    ]

    def correctness(transcript, questions=()) -> int:
        return assess(judged_input(transcript, "Backend Engineer", None, None, questions))["dimensions"]["correctness"][
            "score"
        ]

    assert correctness(resumed, QUESTIONS) == correctness(plain, QUESTIONS) == correctness(plain)
    assert correctness(resumed) < correctness(plain)  # the turn's own words would dilute the topic
