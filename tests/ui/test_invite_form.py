"""The new-interview form's rules without a browser: its API body, its preview, its refusals by field."""

from __future__ import annotations

from interview_app.domain.plan import InterviewPlan
from interview_app.domain.questions import suggested_questions
from interview_app.ui import invite_form


def test_the_body_sends_what_was_typed_and_leaves_out_what_was_not():
    form = {"job_title": " Engineer ", "candidate_name": "Grace", "questions": "One?\n\n  Two?  \n", "camera": "off"}
    assert invite_form.api_body(form) == {
        "jobTitle": "Engineer",
        "candidateName": "Grace",
        "interviewPlan": {"language": "en", "camera": "off", "questions": ["One?", "Two?"]},
    }
    full = {**form, "email": "g@example.com", "duration": "20", "language": "es-MX", "external_id": "ats-1"}
    body = invite_form.api_body(full)
    assert body["candidateEmail"] == "g@example.com" and body["externalId"] == "ats-1"
    assert body["interviewPlan"]["durationMinutes"] == 20 and body["interviewPlan"]["language"] == "es-MX"
    assert invite_form.api_body({**form, "duration": "ten"})["interviewPlan"]["durationMinutes"] == "ten"  # API says


def test_the_preview_counts_the_questions_the_interview_will_ask():
    three = invite_form.preview("Customer Success Manager", "a\nb\nc", "", "off")
    assert (three.job_title, three.length, three.devices) == (
        "Customer Success Manager",
        "About 6 minutes · 3 questions",
        "Uses your microphone",
    )
    assert invite_form.preview("X", "a", "", "selfview").length == "About 5 minutes · 1 question"
    assert invite_form.preview("X", "a", "45", "selfview").devices == "Uses your camera and microphone"
    suggested = invite_form.preview("Data Engineer", "", "", "off")
    count = len(suggested_questions("Data Engineer"))
    expected = InterviewPlan().expected_minutes(count)
    assert suggested.suggested and suggested.length == f"About {expected} minutes · {count} questions"
    assert invite_form.preview("", "", "999", "anything").length.startswith("About ")  # never an error


def test_refusals_land_on_their_field_in_words():
    assert invite_form.refusal_words("VALIDATION_ERROR", "candidateEmail: String should match pattern") == (
        "email",
        invite_form.FIELD_WORDS["email"],
    )
    assert invite_form.refusal_words(
        "INVALID_INTERVIEW_PLAN", "interviewPlan.questions[1] must be a non-blank string of at most 500 characters"
    ) == ("questions", "Question 2 must be a non-blank string of at most 500 characters")
    assert invite_form.refusal_words(
        "INVALID_INTERVIEW_PLAN", "interviewPlan.durationMinutes must be a whole number from 5 to 90"
    ) == ("duration", "The duration must be a whole number from 5 to 90")
    assert invite_form.refusal_words("VALIDATION_ERROR", "something else entirely") is None
    assert invite_form.expiry_words("2026-12-07T04:12:00Z") == "Expires 7 Dec 2026, 04:12 UTC"
    assert invite_form.expiry_words("garbage") == ""
