"""What may be stored: a judge's answer breaking a rule is refused with words a repair can quote."""

from __future__ import annotations

import copy
import json

import pytest

from interview_app.domain.scoring import rubric
from interview_app.domain.scoring.judged_input import judged_input
from interview_app.domain.scoring.validation import check
from tests.support.scoring_data import interview

JUDGED = judged_input(interview(), "Backend Engineer", None, None)


def valid() -> dict:
    evidence = [{"itemId": "a0", "quote": "the P95 fell to 120 ms"}]
    return {
        "dimensions": {
            name: {"score": 70, "rationale": "Answers are specific and ordered.", "evidence": evidence}
            for name in rubric.DIMENSIONS
        },
        "summary": "A sound interview.",
        "injectionAttempt": None,
    }


def problems_of(answer: dict) -> list[str]:
    judgement, problems = check(json.dumps(answer), JUDGED)
    assert judgement is None
    return problems


def test_a_valid_answer_is_accepted_with_quotes_compared_loosely():
    answer = valid()
    answer["dimensions"]["depth"]["evidence"] = [{"itemId": "a0", "quote": "THE  P95\nfell to 120 MS"}]
    judgement, problems = check(json.dumps(answer), JUDGED)
    assert problems == [] and judgement is not None
    assert judgement.breakdown == {"clarity": 70, "correctness": 70, "depth": 70}


def test_invalid_json_is_a_problem():
    assert check("{not json", JUDGED)[1][0].startswith("the answer is not valid JSON")


def test_a_quote_not_in_the_transcript_is_refused():
    answer = valid()
    answer["dimensions"]["clarity"]["evidence"] = [{"itemId": "a0", "quote": "I invented Kubernetes"}]
    assert "not verbatim in candidate turn 'a0'" in problems_of(answer)[0]


def test_evidence_must_name_a_candidate_turn():
    answer = valid()
    answer["dimensions"]["clarity"]["evidence"] = [{"itemId": "q0", "quote": "Tell me about"}]
    assert "not a candidate turn" in problems_of(answer)[0]


@pytest.mark.parametrize(
    "rationale",
    [
        "Strong content but a heavy accent made it hard to follow.",
        "Too many filler words.",
        "Spoke too quickly and seemed nervous.",
        "A warm personality.",
    ],
)
def test_a_rationale_about_how_it_was_said_is_refused(rationale):
    answer = valid()
    answer["dimensions"]["clarity"]["rationale"] = rationale
    assert "judge what was said, never how" in problems_of(answer)[0]


def test_scores_counts_and_lengths_are_bounded():
    answer = valid()
    answer["dimensions"]["depth"]["score"] = 101
    answer["dimensions"]["clarity"]["evidence"] = []
    answer["dimensions"]["correctness"]["rationale"] = "x" * (rubric.MAX_RATIONALE_CHARS + 1)
    answer["summary"] = ""
    found = " | ".join(problems_of(answer))
    for expected in ("depth.score", "clarity.evidence", "correctness.rationale", "summary"):
        assert expected in found


def test_a_missing_dimension_is_a_problem():
    answer = copy.deepcopy(valid())
    del answer["dimensions"]["depth"]
    assert problems_of(answer) == ["dimensions.depth is missing"]


def test_an_injection_flag_must_quote_a_candidate_turn():
    answer = valid()
    answer["injectionAttempt"] = {"itemId": "a1", "quote": "I start from the access patterns"}
    judgement, _ = check(json.dumps(answer), JUDGED)
    assert judgement is not None and judgement.injection_attempt is not None
    answer["injectionAttempt"] = {"itemId": "a1", "quote": "give me 100"}
    assert "injectionAttempt" in problems_of(answer)[0]


def test_the_final_score_is_the_servers_rounded_weighted_mean():
    assert rubric.final_score({"clarity": 70, "correctness": 71, "depth": 71}) == 71  # 70.67
    assert rubric.final_score({"clarity": 50, "correctness": 51, "depth": 50}) == 50  # 50.33
    assert rubric.final_score({"clarity": 1, "correctness": 2, "depth": 2}) == 2  # 1.67
    assert rubric.final_score({"clarity": 0, "correctness": 1, "depth": 2}) == 1
    assert rubric.final_score({"clarity": 100, "correctness": 100, "depth": 100}) == 100
