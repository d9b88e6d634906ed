"""``InterviewState`` handlers without a browser: refusals in plain words, turns merged by id, transcript kept."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from interview_app.config import get_settings
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.realtime.script import CLOSING
from interview_app.ui import api_client, feed
from interview_app.ui.feed import Turn
from interview_app.ui.state import InterviewState
from interview_app.ui.sync import SyncResult
from interview_app.ui.words import refusal_message
from tests.support.ui_state import interview_state, send


@pytest.mark.parametrize(
    ("refused", "expected"),
    [
        (api_client.Refused(404, "INVALID_APPLICATION", "", None), "We couldn't find this interview"),
        (api_client.Refused(400, "INVALID_APPLICATION", "", None), "Interview already submitted"),
        (api_client.Refused(429, "RATE_LIMITED", "", 61), "Too many attempts, try again in 2 minutes."),
        (api_client.Refused(429, "RATE_LIMITED", "", 30), "Too many attempts, try again in 1 minute."),
        (api_client.Refused(429, "RATE_LIMITED", "", None), "Too many attempts, try again in 1 minute."),
        (api_client.Refused(401, "UNAUTHORIZED", "", None), "isn't valid for you"),
        (api_client.Refused(403, "FORBIDDEN", "", None), "isn't valid for you"),
        (api_client.Refused(400, "INVALID_REQUEST", "", None), "looks incomplete"),
    ],
)
def test_refusal_message(refused, expected):
    assert expected in refusal_message(refused)


def interviewer_turn(state, turn_id: str, words: list[str], final: str | None = None) -> None:
    send(state, InterviewState.call_event, {"type": "response.created", "id": turn_id})
    for word in words:
        send(
            state,
            InterviewState.call_event,
            {"type": "response.output_audio_transcript.delta", "id": turn_id, "delta": word},
        )
    if final is not None:
        send(
            state,
            InterviewState.call_event,
            {"type": "response.output_audio_transcript.done", "id": turn_id, "transcript": final},
        )


def test_deltas_merge_into_one_turn_and_the_final_text_wins():
    state = interview_state()
    interviewer_turn(state, "resp_1", ["Hello ", "there"])
    assert [(i["id"], i["kind"], i["text"]) for i in state.feed] == [("resp_1", "interviewer", "Hello there")]
    assert state.speaking and state._unsent == []  # not final yet: nothing to store
    send(
        state,
        InterviewState.call_event,
        {"type": "response.output_audio_transcript.done", "id": "resp_1", "transcript": "Hello there."},
    )
    assert [i["text"] for i in state.feed] == ["Hello there."]
    assert state._transcript["resp_1"]["role"] == "interviewer"
    assert state._transcript["resp_1"]["text"] == "Hello there."
    assert state._unsent == ["resp_1"]


def test_two_turns_stay_apart_and_a_replayed_done_does_not_duplicate():
    state = interview_state()
    interviewer_turn(state, "resp_1", ["One"], final="One.")
    interviewer_turn(state, "resp_2", ["Two"], final="Two.")
    send(
        state,
        InterviewState.call_event,
        {"type": "response.output_audio_transcript.done", "id": "resp_1", "transcript": "One."},
    )
    assert [i["text"] for i in state.feed] == ["One.", "Two."]
    assert state._unsent == ["resp_1", "resp_2"]


def test_a_local_answer_is_recorded_with_its_duration():
    state = interview_state()
    send(
        state, InterviewState.call_event, {"type": "input_audio_buffer.speech_started", "id": "item_a", "startMs": 1000}
    )
    assert state.listening
    send(
        state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": "item_a", "endMs": 43000}
    )
    assert not state.listening
    assert state.feed[-1] == {**state.feed[-1], "kind": "candidate", "text": "Answer recorded · 0:42"}
    assert state._transcript["item_a"] == {
        **state._transcript["item_a"],
        "role": "candidate",
        "text": "",
        "durationMs": 42000,
    }


def test_a_transcribed_answer_shows_the_candidates_words_and_keeps_the_duration():
    state = interview_state()
    send(state, InterviewState.call_event, {"type": "input_audio_buffer.speech_started", "id": "item_b", "startMs": 0})
    send(state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": "item_b", "endMs": 5000})
    send(
        state,
        InterviewState.call_event,
        {
            "type": "conversation.item.input_audio_transcription.completed",
            "id": "item_b",
            "transcript": "I built a queue.",
        },
    )
    candidate = [i for i in state.feed if i["kind"] == "candidate"]
    assert [i["text"] for i in candidate] == ["I built a queue."]
    assert state._transcript["item_b"]["text"] == "I built a queue."
    assert state._transcript["item_b"].get("durationMs") == 5000


def test_the_closing_line_offers_finish():
    state = interview_state()
    interviewer_turn(state, "resp_1", ["Tell me about yourself."], final="Tell me about yourself.")
    assert not state.closing_heard
    interviewer_turn(state, "resp_9", [], final=CLOSING)
    assert state.closing_heard


def test_an_error_event_is_posted_as_a_notice():
    state = interview_state()
    send(state, InterviewState.call_event, {"type": "error", "id": None, "message": "boom"})
    assert state.feed[-1]["kind"] == "error" and state.feed[-1]["text"] == "boom"


def test_reconnecting_then_connected_goes_live_again():
    state = interview_state("live")
    send(state, InterviewState.call_status, "reconnecting")
    assert state.phase == "reconnecting" and state.in_call
    send(state, InterviewState.call_status, "connected")
    assert state.phase == "live" and state.feed[-1]["text"] == "Reconnected"


def test_end_needs_a_call_and_a_known_reason():
    state = interview_state("idle")
    assert send(state, InterviewState.end_interview, "candidate_ended") is None and state.phase == "idle"
    state = interview_state("live")
    assert send(state, InterviewState.end_interview, "because") is None and state.phase == "live"
    send(state, InterviewState.end_interview, "interview_complete")
    assert state.phase == "ended" and state.released and state._end_reason == "interview_complete"


def test_feed_helpers():
    assert feed.answer_label(42_000) == "Answer recorded · 0:42"
    assert feed.answer_label(None) == "Answer recorded · 0:00"
    assert feed.mm_ss(605) == "10:05"
    assert feed.mm_ss(303) == "05:03"  # as the page's clock shows it


def test_the_pump_plans_unsent_turns_and_a_heartbeat_with_the_session_token():
    state = interview_state("live")
    state._api_session_id, state._api_token = "s1", "tok"
    assert state._plan(heartbeat=False) is None  # nothing to do
    interviewer_turn(state, "resp_1", [], final="Hello.")
    job = state._plan(heartbeat=True)
    assert job is not None
    assert (job.session_id, job.token, job.heartbeat, job.end_reason, job.start) == ("s1", "tok", True, "", None)
    assert [item["id"] for item in job.items] == ["resp_1"]
    state._apply(SyncResult(sent=("resp_1",)), job)
    assert state._unsent == [] and state._plan(heartbeat=False) is None


def test_the_pump_ends_the_session_once_the_call_is_down():
    state = interview_state("live")
    state._api_session_id, state._api_token = "s1", "tok"
    send(state, InterviewState.end_interview, "candidate_ended")
    job = state._plan(heartbeat=True)
    assert job is not None and job.end_reason == "candidate_ended" and not job.heartbeat
    state._apply(
        SyncResult(
            ended={
                "status": "completed",
                "duration": 125,
                "transcript": [{"id": "a", "role": "candidate"}, {"id": "b", "role": "interviewer"}],
                "finalScore": 7.5,
                "scoreBreakdown": {"clarity": 8},
            }
        ),
        job,
    )
    assert not state._end_pending
    assert (state.duration_label, state.answered, state.final_score) == ("02:05", 1, "7.5")
    assert state.score_lines == [{"label": "clarity", "value": "8"}]


def test_an_offline_interview_is_reconciled_with_a_new_offline_session():
    state = interview_state("live")
    state.offline, state.candidate_token = True, "cand"
    interviewer_turn(state, "resp_1", [], final="Hello.")
    job = state._plan(heartbeat=True)
    assert job is not None and job.start is not None
    assert job.start["metadata"]["offline"] is True and job.start["candidate_token"] == "cand"
    assert not job.heartbeat and [item["id"] for item in job.items] == ["resp_1"]
    state._apply(SyncResult(sent=("resp_1",), session_id="s9", token="tok9"), job)
    assert (state._api_session_id, state._api_token, state._unsent) == ("s9", "tok9", [])
    assert state.back_online and state.feed[-1]["text"] == "Back online: your interview is saved"


def renewal_lead(state) -> timedelta:
    return datetime.fromisoformat(state._api_expires_at) - datetime.fromisoformat(state._api_refresh_at)


def test_a_token_is_renewed_5_minutes_or_a_third_of_its_life_before_it_expires():
    state = interview_state("live")
    state._adopt_session("s1", "tok", (utcnow() + timedelta(minutes=30)).isoformat())
    assert renewal_lead(state) == timedelta(minutes=5) and not state._token_expiring()
    state._adopt_session("s1", "tok", (utcnow() + timedelta(seconds=30)).isoformat())
    assert timedelta(seconds=9) <= renewal_lead(state) <= timedelta(seconds=10) and not state._token_expiring()


def test_a_token_close_to_expiry_is_refreshed_through_start_session_and_a_heartbeat():
    state = interview_state("live")
    state.candidate_token = "cand"
    state._adopt_session("s1", "old", (utcnow() + timedelta(minutes=20)).isoformat())
    assert state._plan(heartbeat=False) is None
    state._api_refresh_at = (utcnow() - timedelta(seconds=1)).isoformat()  # the renewal time has come
    job = state._plan(heartbeat=False)
    assert job is not None and job.heartbeat and job.start is not None
    assert "offline" not in job.start["metadata"]
    interviewer_turn(state, "resp_1", [], final="Hello.")
    state._apply(SyncResult(session_id="s1", token="new", expires_at="2030-01-01T00:00:00Z"), job)
    assert (state._api_session_id, state._api_token, state._unsent) == ("s1", "new", ["resp_1"])  # no re-upload
    # the component places the call with it next time (a reconnect); the live call is not re-placed
    assert state.call_token == "new" and json.loads(state.saved_session)["token"] == "new"


def test_a_turn_that_changed_while_its_batch_was_in_flight_is_sent_again():
    state = interview_state("live")
    state._api_session_id, state._api_token = "s1", "tok"
    answer: Turn = {
        "id": "item_1",
        "role": "candidate",
        "text": "",
        "at": "2026-11-28T10:00:00Z",
        "durationMs": 4200,
    }
    state._record(answer)
    job = state._plan(heartbeat=False)
    assert job is not None
    state._record({**answer, "text": "I built a pipeline."})
    state._apply(SyncResult(sent=("item_1",)), job)  # the empty answer was stored, not the transcription
    assert state._unsent == ["item_1"]
    again = state._plan(heartbeat=False)
    assert again is not None and again.items[0]["text"] == "I built a pipeline."


def test_an_end_waiting_for_the_api_gets_a_fresh_token_first():
    state = interview_state("live")
    state.candidate_token = "cand"
    state._adopt_session("s1", "old", (utcnow() + timedelta(seconds=30)).isoformat())
    send(state, InterviewState.end_interview, "candidate_ended")
    state._api_refresh_at = utcnow().isoformat()
    job = state._plan(heartbeat=False)
    assert job is not None and job.end_reason == "candidate_ended" and job.start is not None
    assert not job.heartbeat  # the call is over: only the token and the end


def saved_copy(token: str, key: str = "interview:app-1") -> dict:
    return {"key": key, "value": json.dumps({"sessionId": "ignored", "token": token, "expiresAt": ""})}


def test_the_tabs_copy_of_its_session_is_recalled_only_when_its_token_verifies():
    secret, now = get_settings().session_secret, utcnow()
    good, _ = tokens.mint_session_token(secret, "s1", "app-1", now)
    refused = [
        saved_copy(good, key="interview:app-2"),  # another page's copy
        saved_copy(tokens.mint_session_token("another-secret-0123456789abcdef0123456789", "s1", "app-1", now)[0]),
        saved_copy(tokens.mint_session_token(secret, "s1", "app-2", now)[0]),  # another application's session
        saved_copy(tokens.mint_session_token(secret, "s1", "app-1", now - timedelta(hours=1))[0]),  # expired
        saved_copy(tokens.mint_offline_token(secret, "app-1", now)[0]),  # not a session token
        {"key": "interview:app-1", "value": "not json"},
        {"key": "interview:app-1", "value": "[1]"},
        {"key": "interview:app-1", "value": None},
        "not an object",
    ]
    state = interview_state("idle", application_id="app-1")
    for copy in refused:
        send(state, InterviewState.recall_saved_session, copy)
        assert (state._api_session_id, state.call_token, state.resumable) == ("", "", False), copy
    send(state, InterviewState.recall_saved_session, saved_copy(good))
    assert (state._api_session_id, state.session_id, state.call_token, state.resumable) == ("s1", "s1", good, True)


def test_the_api_down_the_session_this_tab_holds_goes_on_while_its_token_lasts():
    outage, secret, now = api_client.Unavailable("ConnectError"), get_settings().session_secret, utcnow()
    state = interview_state("error", application_id="app-1")
    token, expires = tokens.mint_session_token(secret, "s1", "app-1", now)
    state._adopt_session("s1", token, expires.isoformat())
    assert state._go_offline(outage, None)
    assert (state.call_token, state.offline, state._offline_grants) == (token, True, [])  # no offline grant used

    state = interview_state("error", application_id="app-1")
    token, expires = tokens.mint_session_token(secret, "s1", "app-1", now, ttl=timedelta(seconds=30))
    state._adopt_session("s1", token, expires.isoformat())  # too short for a call
    assert state._go_offline(outage, None)
    assert tokens.verify_call_token(secret, state.call_token).offline
    assert len(state._offline_grants) == 1


def test_another_offline_start_of_the_same_interview_keeps_its_offline_grant():
    outage = api_client.Unavailable("ConnectError")
    state = interview_state("error", application_id="app-1")
    assert state._go_offline(outage, None)
    granted = state.call_token
    assert state._go_offline(outage, None)  # Resume or Try again, the API still down
    assert state.call_token == granted and len(state._offline_grants) == 1


def test_nothing_is_sent_for_an_interview_while_the_tab_shows_another_application():
    state = interview_state("live", application_id="app-2")
    state._interview_application = "app-1"  # the tab has just opened app-2: its load has not run yet
    state._record({"id": "resp_1", "role": "interviewer", "text": "Hello.", "at": "2026-11-28T10:00:00Z"})
    assert state._plan(heartbeat=True) is None


def test_back_online_stays_with_the_interview_through_a_refresh():
    state = interview_state("idle", application_id="app-1")
    state._hold_interview_of("app-1")
    state.offline, state.back_online = True, True
    state._reset_view()
    assert state.back_online


def test_a_turn_cut_short_by_the_end_of_the_call_is_kept_as_far_as_it_was_shown():
    state = interview_state("live")
    interviewer_turn(state, "resp_1", [], final="Hello.")
    interviewer_turn(state, "resp_2", ["Tell ", "me "])  # still speaking
    send(state, InterviewState.call_status, "reconnecting")
    assert state._transcript["resp_2"]["text"] == "Tell me " and state._unsent == ["resp_1", "resp_2"]
    send(state, InterviewState.call_error, "lost")  # no longer speaking: nothing more to keep
    assert list(state._transcript) == ["resp_1", "resp_2"]


def test_another_application_in_the_tab_drops_the_interview_held_and_the_same_one_keeps_it():
    state = interview_state("idle", application_id="app-1")
    state._hold_interview_of("app-1")
    state.offline = True
    state._record({"id": "resp_1", "role": "interviewer", "text": "Hello.", "at": "2026-11-28T10:00:00Z"})
    state._hold_interview_of("app-1")
    assert state._holds_interview() and state._unsent == ["resp_1"]
    state._hold_interview_of("app-2")
    assert (state.offline, state._transcript, state._unsent) == (False, {}, [])


def test_a_refused_end_keeps_the_count_of_answers_kept_here():
    state = interview_state("live")
    state._record({"id": "a1", "role": "candidate", "text": "", "at": "2026-11-28T10:00:00Z", "durationMs": 1})
    send(state, InterviewState.end_interview, "candidate_ended")
    state._show_completion({})
    assert state.answered == 1


@pytest.mark.parametrize(
    ("answers", "turns", "words"),
    [
        (0, 0, ""),
        (1, 0, "1 answer could not be saved."),
        (2, 1, "2 answers and 1 interviewer turn could not be saved."),
        (0, 3, "3 interviewer turns could not be saved."),
    ],
)
def test_turns_the_api_refused_for_good_are_said_in_plain_words(answers, turns, words):
    state = interview_state("live")
    state.unsaved_answers, state.unsaved_turns = answers, turns
    assert state.unsaved_note == words
