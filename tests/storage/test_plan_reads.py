"""The application's interview plan is read wherever an interview's questions are needed (issue 20
§4), on a real database: a call's context, the score's question mapping, the scorer's job."""

from __future__ import annotations

from datetime import UTC, datetime

from interview_app.domain.model import TranscriptItem
from interview_app.domain.plan import DEFAULT_PLAN, InterviewPlan
from interview_app.domain.score_view import score_view
from tests.support.api_app import add_application
from tests.support.scoring_sessions import add_session

NOW = datetime.now(UTC).replace(microsecond=0)
PLAN = {"questions": ["Why our team?", "How do you calm an angry customer?"], "durationMinutes": 20, "language": "es"}


def planned(sync_db, plan: object) -> str:
    app_id = add_application(sync_db, job_title="Customer Success Manager")
    sync_db.applications.update_one({"_id": app_id}, {"$set": {"interviewPlan": plan}})
    return app_id


def resumed_interview() -> list[TranscriptItem]:
    """The second question asked again after a resume, with a welcome back in front of it."""
    return [
        TranscriptItem("q0", "interviewer", "Why our team?", NOW, source="provider"),
        TranscriptItem("a0", "candidate", "Because you ship.", NOW, source="provider"),
        TranscriptItem(
            "q1",
            "interviewer",
            "Welcome back. Let's pick up where we left off. How do you calm an angry customer?",
            NOW,
            source="provider",
        ),
        TranscriptItem("a1", "candidate", "I listen first.", NOW, source="provider"),
    ]


async def test_a_calls_context_carries_the_stored_plan(sessions, sync_db):
    session_id = add_session(sync_db, app_id=planned(sync_db, PLAN))
    session, title, plan = await sessions.call_context(session_id)
    assert title == "Customer Success Manager" and session.session_id == session_id
    assert plan == InterviewPlan(questions=tuple(PLAN["questions"]), duration_minutes=20, language="es")


async def test_the_score_maps_each_quote_to_the_plans_question(sessions, sync_db):
    session_id = add_session(sync_db, resumed_interview(), app_id=planned(sync_db, PLAN), status="completed")
    evidence = {"score": 70, "rationale": "ok", "evidence": [{"itemId": "a1", "quote": "I listen first."}]}
    sync_db.interviewSessions.update_one(
        {"sessionId": session_id},
        {"$set": {"scoring": {"status": "scored", "dimensions": {"correctness": evidence}}, "finalScore": 70}},
    )
    record = await sessions.score_record(session_id)
    assert record.job_title == "Customer Success Manager" and record.plan.questions == tuple(PLAN["questions"])
    dimensions = score_view(record, show_score=True).dimensions
    assert dimensions is not None
    (quoted,) = dimensions["correctness"]["evidence"]
    assert quoted["question"] == "How do you calm an angry customer?"  # no "Welcome back" in front


async def test_a_plan_broken_since_the_interview_is_read_as_the_default_not_a_failure(sessions, queue, sync_db):
    session_id = add_session(sync_db, resumed_interview(), app_id=planned(sync_db, {"questions": "not a list"}))
    assert (await sessions.score_record(session_id)).plan == DEFAULT_PLAN
    assert await sessions.complete(session_id, NOW, 61, "interview_complete")
    job = await queue.claim(NOW, 120)
    assert job is not None and job.session_id == session_id and job.plan == DEFAULT_PLAN


async def test_the_scorers_job_carries_the_plan(sessions, queue, sync_db):
    session_id = add_session(sync_db, resumed_interview(), app_id=planned(sync_db, PLAN))
    assert await sessions.complete(session_id, NOW, 61, "interview_complete")
    job = await queue.claim(NOW, 120)
    assert job is not None and job.plan.questions == tuple(PLAN["questions"])
