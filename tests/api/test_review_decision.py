"""The human decision, its audit, and re-scoring (issue 18 §2, §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interview_app.api import paths
from tests.support.review import insert_session, reviewer, session_url

CONSENT = {"at": datetime(2026, 1, 1, tzinfo=UTC), "noticeVersion": "notice-1"}


def stored(sync_db, session_id: str) -> dict:
    return sync_db.interviewSessions.find_one({"sessionId": session_id})


async def decide(client, session_id: str, body: dict, who: str = "alice@example.com"):
    return await client.post(session_url(paths.REVIEW_DECISION, session_id), json=body, headers=reviewer(who))


async def test_every_decision_is_kept_with_who_and_when(client, sync_db):
    session_id = insert_session(sync_db, finalScore=91, scoring={"status": "scored"})
    first = await decide(client, session_id, {"decision": "hold", "note": "  Check references  "})
    assert first.status_code == 200
    assert first.json() | {"at": None} == {
        "decision": "hold",
        "note": "Check references",
        "by": "alice@example.com",
        "at": None,
    }
    second = await decide(client, session_id, {"decision": "reject", "note": "Not enough depth"}, who="bob")
    assert second.status_code == 200
    doc = stored(sync_db, session_id)
    assert doc["review"]["decision"] == "reject" and doc["review"]["by"] == "bob"
    assert [(r["decision"], r["by"]) for r in doc["reviewHistory"]] == [
        ("hold", "alice@example.com"),
        ("reject", "bob"),
    ]
    decided = [event["payload"] for event in doc["events"] if event["type"] == "review.decided"]
    assert decided == [
        {"decision": "hold", "note": "Check references", "by": "alice@example.com"},
        {"decision": "reject", "note": "Not enough depth", "by": "bob"},
    ]
    detail = (await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer())).json()
    assert detail["review"]["decision"] == "reject" and len(detail["reviewHistory"]) == 2
    assert detail["reviewHistory"][0]["at"].endswith("Z")
    rows = (await client.get(paths.REVIEW_SESSIONS, params={"decision": "reject"}, headers=reviewer())).json()
    assert [row["sessionId"] for row in rows["items"]] == [session_id]
    assert rows["counts"]["awaitingDecision"] == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"decision": "reject"}, "MISSING_FIELD"),
        ({"decision": "reject", "note": "   "}, "INVALID_REQUEST"),
        ({"decision": "advance", "note": "x" * 2001}, "INVALID_REQUEST"),
        ({"decision": "maybe"}, "INVALID_REQUEST"),
        ({"decision": "advance", "by": "mallory"}, "INVALID_REQUEST"),
        ({}, "INVALID_REQUEST"),
    ],
)
async def test_bad_decisions_are_refused_and_nothing_is_written(client, sync_db, body, code):
    session_id = insert_session(sync_db)
    response = await decide(client, session_id, body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    assert "review" not in stored(sync_db, session_id)


async def test_a_note_of_2000_characters_is_accepted(client, sync_db):
    session_id = insert_session(sync_db)
    assert (await decide(client, session_id, {"decision": "advance", "note": "n" * 2000})).status_code == 200


async def test_no_decision_while_the_interview_is_in_progress(client, sync_db):
    session_id = insert_session(sync_db, status="in_progress")
    response = await decide(client, session_id, {"decision": "advance"})
    assert response.status_code == 409
    assert response.json()["code"] == "SESSION_NOT_COMPLETED"
    doc = stored(sync_db, session_id)
    assert "review" not in doc and all(event["type"] != "review.decided" for event in doc["events"])


async def test_the_ai_never_decides(client, sync_db):
    """A top score, re-scored, read and exported: the decision stays a human's, unset until one acts."""
    session_id = insert_session(
        sync_db, finalScore=100, scoring={"status": "scored", "provider": "local"}, consent=CONSENT
    )
    await client.get(session_url(paths.REVIEW_SESSION, session_id), headers=reviewer())
    assert (await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())).status_code == 202
    await client.get(paths.REVIEW_SESSIONS_CSV, headers=reviewer())
    doc = stored(sync_db, session_id)
    assert "review" not in doc and "reviewHistory" not in doc
    rows = (await client.get(paths.REVIEW_SESSIONS, headers=reviewer())).json()
    assert rows["items"][0]["decision"] is None and rows["counts"]["awaitingDecision"] == 1


async def test_rescore_queues_again_and_keeps_the_earlier_result(client, sync_db):
    earlier = {"status": "scored", "provider": "local", "model": "m1", "summary": "ok", "attempts": 1}
    breakdown = {"clarity": 70, "correctness": 71, "depth": 69}
    session_id = insert_session(
        sync_db,
        finalScore=70,
        scoreBreakdown=breakdown,
        consent=CONSENT,
        scoring=dict(earlier, history=[{"status": "failed"}]),
    )
    response = await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())
    assert response.status_code == 202, response.text
    scoring = stored(sync_db, session_id)["scoring"]
    assert scoring["status"] == "pending" and scoring["attempts"] == 0
    assert scoring["queuedAt"] <= datetime.now(UTC)
    assert scoring["history"] == [{"status": "failed"}, earlier | {"finalScore": 70, "scoreBreakdown": breakdown}]
    assert stored(sync_db, session_id)["finalScore"] is None and stored(sync_db, session_id)["scoreBreakdown"] is None
    assert response.json()["scoring"]["status"] == "pending"
    again = await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())
    assert again.status_code == 202  # already queued: nothing changes
    assert stored(sync_db, session_id)["scoring"] == scoring
    events = [event["type"] for event in stored(sync_db, session_id)["events"]]
    assert events.count("scoring.requeued") == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "in_progress", "consent": CONSENT}, "SESSION_NOT_COMPLETED"),
        ({"scoring": {"status": "not_consented"}}, "SCORING_NOT_REQUEUEABLE"),
        ({"scoring": {"status": "scored", "attempts": 1}}, "SCORING_NOT_REQUEUEABLE"),  # no consent field
        ({"scoring": {"status": "running"}, "consent": CONSENT}, "SCORING_NOT_REQUEUEABLE"),
        ({"erased": {"at": CONSENT["at"], "by": "x"}, "consent": CONSENT}, "SCORING_NOT_REQUEUEABLE"),
    ],
)
async def test_rescore_refusals(client, sync_db, fields, code):
    session_id = insert_session(sync_db, **fields)
    before = stored(sync_db, session_id)
    response = await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())
    assert response.status_code == 409
    assert response.json()["code"] == code
    assert stored(sync_db, session_id).get("scoring") == before.get("scoring")


async def test_an_unscored_session_can_be_queued(client, sync_db):
    session_id = insert_session(sync_db, consent=CONSENT)
    response = await client.post(session_url(paths.REVIEW_RESCORE, session_id), headers=reviewer())
    assert response.status_code == 202
    assert stored(sync_db, session_id)["scoring"]["history"] == []
