"""The sync's plan from a snapshot of the page state, and what is left once a round is in (``ui/sync_plan.py``)."""

from __future__ import annotations

from dataclasses import replace

from interview_app.ui.feed import Turn
from interview_app.ui.sync import Dropped, SyncResult
from interview_app.ui.sync_plan import Holding, plan, still_unsent

ANSWER: Turn = {"id": "item_1", "role": "candidate", "text": "", "at": "2026-11-28T10:00:00Z", "durationMs": 4200}
GREETING: Turn = {"id": "resp_1", "role": "interviewer", "text": "Hello.", "at": "2026-11-28T09:59:00Z"}
START = {"candidate_token": "cand", "metadata": {}, "user_agent": "Mozilla/5.0", "client_ip": None}
LIVE = Holding(
    base_url="http://api.test",
    application_id="app-1",
    transcript={"resp_1": GREETING},
    unsent=[],
    offline_only=False,
    in_call=True,
    end_reason="",
    session_id="s1",
    token="tok",
    renewal_due=False,
    offline_grant="",
    start=START,
)


def test_nothing_to_send_and_no_heartbeat_due_plans_nothing():
    assert plan(LIVE, heartbeat=False) is None


def test_unsent_turns_and_a_heartbeat_go_with_the_session_token():
    job = plan(replace(LIVE, unsent=["resp_1"]), heartbeat=True)
    assert job is not None and (job.session_id, job.token, job.heartbeat, job.start) == ("s1", "tok", True, None)
    assert job.items == [GREETING]


def test_a_renewal_due_or_no_token_asks_start_session_first_and_heartbeats_while_in_call():
    for holding in (replace(LIVE, renewal_due=True), replace(LIVE, token="", session_id="")):
        job = plan(holding, heartbeat=False)
        assert job is not None and job.start == START and job.heartbeat


def test_the_end_goes_once_the_call_is_down_and_an_offline_interview_sends_everything_with_its_grant():
    assert plan(replace(LIVE, end_reason="candidate_ended"), heartbeat=False) is None  # the call is still up
    job = plan(replace(LIVE, end_reason="candidate_ended", in_call=False), heartbeat=True)
    assert job is not None and job.end_reason == "candidate_ended" and not job.heartbeat
    offline = replace(LIVE, offline_only=True, token="", session_id="", offline_grant="grant")
    job = plan(offline, heartbeat=True)
    assert job is not None and job.items == [GREETING] and job.offline_grant == "grant" and not job.heartbeat
    assert job.start == START


def test_a_turn_that_changed_while_its_batch_was_in_flight_is_sent_again():
    holding = replace(LIVE, transcript={"item_1": ANSWER}, unsent=["item_1"])
    job = plan(holding, heartbeat=False)
    assert job is not None
    transcribed: Turn = {**ANSWER, "text": "I built a pipeline."}
    # the empty answer was stored, not the transcription
    assert still_unsent(["item_1"], {"item_1": transcribed}, job, SyncResult(sent=("item_1",))) == ["item_1"]
    assert still_unsent(["item_1"], {"item_1": ANSWER}, job, SyncResult(sent=("item_1",))) == []
    dropped = SyncResult(dropped=(Dropped("item_1", "candidate", "INVALID_REQUEST"),))
    assert still_unsent(["item_1"], {"item_1": ANSWER}, job, dropped) == []  # reported, not retried
