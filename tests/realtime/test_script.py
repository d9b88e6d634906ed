"""The interview script runs the application's plan (issue 20 §4): its questions in order, its
language and its duration, for the local interviewer's turns and OpenAI's instructions alike."""

from __future__ import annotations

from interview_app.domain.plan import InterviewPlan
from interview_app.realtime import script

PLAN = InterviewPlan(
    questions=("Why our support team?", "How do you calm an angry customer?", "What is your best KPI?")
)
JOB = "Customer Success Manager"


def test_the_local_turns_are_the_plans_questions_in_order():
    greeting_q1, q2, q3, closing = script.turns(JOB, PLAN)
    assert greeting_q1 == f"{script.greeting(JOB)} Why our support team?"
    assert (q2, q3, closing) == ("How do you calm an angry customer?", "What is your best KPI?", script.CLOSING)
    assert script.questions(JOB, PLAN) == list(PLAN.questions)


def test_a_plan_without_questions_suggests_the_customer_bank_for_a_customer_success_manager():
    assert script.questions(JOB)[0] == "Tell me about a customer relationship you turned around."


def test_a_resume_of_a_plan_asks_its_first_unanswered_question_again():
    greeting_q1, q2, q3, closing = script.turns(JOB, PLAN)
    history = [("interviewer", script.greeting(JOB)), ("interviewer", "Why our support team?"), ("candidate", "")]
    assert script.remaining_turns(JOB, history, PLAN) == [f"{script.WELCOME_BACK} {q2}", q3, closing]
    history += [("interviewer", q2)]  # asked just before the drop, not answered: asked again
    assert script.remaining_turns(JOB, history, PLAN) == [f"{script.WELCOME_BACK} {q2}", q3, closing]
    assert script.remaining_turns(JOB, [("interviewer", greeting_q1)], PLAN)[0] == (
        f"{script.WELCOME_BACK} Why our support team?"
    )


def test_the_instructions_list_the_plans_questions_in_order_and_nothing_of_the_bank():
    text = script.instructions(JOB, plan=PLAN)
    listed = [line.removeprefix("- ") for line in text.splitlines() if line.startswith("- ")]
    assert listed == list(PLAN.questions)
    assert "in this order" in text and "customer relationship you turned around" not in text


def test_the_instructions_name_the_plans_language_and_keep_the_english_closing_line():
    spanish = script.instructions(JOB, plan=InterviewPlan(questions=PLAN.questions, language="es-MX"))
    assert 'Conduct the whole interview in the language of the BCP 47 tag "es-MX"' in spanish
    assert "end with this exact English sentence, which the candidate's screen recognises" in spanish
    assert spanish.count(script.CLOSING) == 1
    english = script.instructions(JOB, plan=PLAN)
    assert 'Speak English (BCP 47 "en")' in english and "es-MX" not in english
    assert f"Then thank the candidate and say: {script.CLOSING}" in english


def test_the_instructions_give_the_plans_duration_or_the_expected_one():
    timed = script.instructions(JOB, plan=InterviewPlan(questions=PLAN.questions, duration_minutes=90))
    assert "planned for 90 minutes" in timed and "told that the time is up, ask no new question" in timed
    untimed = script.instructions(JOB, plan=PLAN)
    assert "should take about 6 minutes" in untimed and "time is up" not in untimed


def test_a_resumed_plan_keeps_its_rules_and_does_not_greet_again():
    plan = InterviewPlan(questions=PLAN.questions, duration_minutes=20, language="fr")
    resumed = script.instructions(JOB, resumed=True, plan=plan)
    assert resumed.startswith(script.instructions(JOB, plan=plan))
    assert "Do NOT greet the candidate again" in resumed
