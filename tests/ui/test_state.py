"""``InterviewState`` without a browser, driven through its events and read through its public vars:
refusals in plain words, turns merged by id, the transcript kept, the sync's rounds, the credentials.

What the API has not had yet is read where the browser reads it (``kept_interview``); the sync is the
state's real background task, its HTTP side answered by a script (``tests/support/ui_state.py``)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from interview_app.config import get_settings
from interview_app.domain import errors, tokens
from interview_app.domain.clock import utcnow
from interview_app.realtime import script
from interview_app.realtime.script import CLOSING
from interview_app.ui import api_client, credentials, feed
from interview_app.ui import state as state_module
from interview_app.ui.state import InterviewState
from interview_app.ui.sync import SyncResult
from interview_app.ui.words import refusal_message
from tests.support.ui_state import (
    completion_of,
    interview_state,
    kept_grant,
    open_application,
    run_sync,
    send,
    unsent_turns,
)


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
    # issue 20 item 10: a note about the connection is the status line's, not the conversation's
    assert state.phase == "live" and state.status_note == "Reconnected" and state.feed == []


def test_feed_helpers():
    assert feed.answer_label(42_000) == "Answer recorded · 0:42"
    assert feed.answer_label(None) == "Answer recorded · 0:00"
    assert feed.mm_ss(605) == "10:05"
    assert feed.mm_ss(303) == "05:03"  # as the page's clock shows it


def holding_session(state, session_id: str = "s1", ttl: timedelta = timedelta(minutes=30)) -> str:
    """The tab recalls its saved session (a session token of its application): the public way in."""
    token, _ = tokens.mint_session_token(
        get_settings().session_secret, session_id, state.application_id, utcnow(), ttl=ttl
    )
    send(
        state,
        InterviewState.recall_saved_session,
        {"key": state.saved_session_key, "value": json.dumps({"token": token})},
    )
    assert state.session_id == session_id
    return token


def app_id() -> str:
    """An application of its own: offline grants are counted per application in this process."""
    return f"app-{uuid.uuid4().hex[:8]}"


def spoken_answer(state, item_id: str, end_ms: int = 1000) -> None:
    send(
        state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": item_id, "endMs": end_ms}
    )


def test_deltas_merge_into_one_turn_and_the_final_text_wins():
    state = interview_state()
    state.offline = True  # an offline interview: the page is the record of its interviewer's turns (T5)
    interviewer_turn(state, "resp_1", ["Hello ", "there"])
    assert [(i["id"], i["kind"], i["text"]) for i in state.feed] == [("resp_1", "interviewer", "Hello there")]
    assert state.speaking and unsent_turns(state) == {}  # not final yet: nothing to store
    send(
        state,
        InterviewState.call_event,
        {"type": "response.output_audio_transcript.done", "id": "resp_1", "transcript": "Hello there."},
    )
    assert [i["text"] for i in state.feed] == ["Hello there."]
    turn = unsent_turns(state)["resp_1"]
    assert (turn["role"], turn["text"]) == ("interviewer", "Hello there.")
    assert list(unsent_turns(state)) == ["resp_1"]


def test_two_turns_stay_apart_and_a_replayed_done_does_not_duplicate():
    state = interview_state()
    state.offline = True
    interviewer_turn(state, "resp_1", ["One"], final="One.")
    interviewer_turn(state, "resp_2", ["Two"], final="Two.")
    send(
        state,
        InterviewState.call_event,
        {"type": "response.output_audio_transcript.done", "id": "resp_1", "transcript": "One."},
    )
    assert [i["text"] for i in state.feed] == ["One.", "Two."]
    assert list(unsent_turns(state)) == ["resp_1", "resp_2"]


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
    answer = unsent_turns(state)["item_a"]
    assert answer == {**answer, "role": "candidate", "text": "", "durationMs": 42000}


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
    answer = unsent_turns(state)["item_b"]
    assert answer["text"] == "I built a queue." and answer.get("durationMs") == 5000


def test_end_needs_a_call_and_a_known_reason(monkeypatch):
    state = interview_state("idle")
    assert send(state, InterviewState.end_interview, "candidate_ended") is None and state.phase == "idle"
    state = interview_state("live", application_id=app_id())
    assert send(state, InterviewState.end_interview, "because") is None and state.phase == "live"
    assert not completion_of(state).submitted
    holding_session(state)
    send(state, InterviewState.end_interview, "interview_complete")
    assert state.phase == "ended" and state.released and completion_of(state).submitted
    jobs = run_sync(state, monkeypatch, SyncResult(ended={"status": "completed"}))
    assert [job.end_reason for job in jobs] == ["interview_complete"]


def test_the_sync_sends_unsent_turns_and_a_heartbeat_with_the_session_token(monkeypatch):
    state = interview_state("live", application_id=app_id())
    token = holding_session(state)
    assert run_sync(state, monkeypatch) == []  # nothing to do
    spoken_answer(state, "item_1")
    jobs = run_sync(state, monkeypatch, SyncResult(sent=("item_1",)), heartbeat=True)
    job = jobs[0]
    assert (job.session_id, job.token, job.heartbeat, job.end_reason, job.start) == ("s1", token, True, "", None)
    assert [item["id"] for item in job.items] == ["item_1"]
    assert unsent_turns(state) == {}
    assert [job.items for job in jobs[1:]] == [[]]  # then heartbeats only: the turn is not sent again


def test_the_sync_ends_the_session_once_the_call_is_down(monkeypatch):
    state = interview_state("live", application_id=app_id())
    holding_session(state)
    send(state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": "a", "endMs": 1})
    send(state, InterviewState.end_interview, "candidate_ended")
    ended = {
        "status": "completed",
        "duration": 125,
        "transcript": [{"id": "a", "role": "candidate"}, {"id": "b", "role": "interviewer"}],
        "finalScore": 7.5,
        "scoreBreakdown": {"clarity": 8},
    }
    jobs = run_sync(state, monkeypatch, SyncResult(sent=("a",), ended=ended), heartbeat=True)
    assert len(jobs) == 1  # the end is stored: the sync stops by itself
    assert jobs[0].end_reason == "candidate_ended" and not jobs[0].heartbeat
    completion = completion_of(state)
    assert (completion.duration_label, completion.answered, completion.final_score) == ("02:05", 1, "7.5")
    assert completion.score_lines == [{"label": "clarity", "value": "8"}]


def test_an_offline_interview_is_reconciled_with_a_new_offline_session(monkeypatch):
    state = interview_state("live")
    state.offline, state.candidate_token = True, "cand"
    interviewer_turn(state, "resp_1", [], final="Hello.")
    job = run_sync(state, monkeypatch, SyncResult(sent=("resp_1",), session_id="s9", token="tok9"))[0]
    assert job.start is not None
    assert job.start["metadata"]["offline"] is True and job.start["candidate_token"] == "cand"
    assert not job.heartbeat and [item["id"] for item in job.items] == ["resp_1"]
    assert (state.session_id, state.call_token, unsent_turns(state)) == ("s9", "tok9", {})
    assert state.back_online and state.status_note == "Back online: your interview is saved"


def test_a_token_is_renewed_5_minutes_or_a_third_of_its_life_before_it_expires():
    now = utcnow()
    expires = now + timedelta(minutes=30)
    renewal = credentials.renewal_time(expires.isoformat(), now)
    assert expires - credentials.parse_time(renewal) == timedelta(minutes=5)  # pyright: ignore[reportOperatorIssue]
    assert not credentials.renewal_due(renewal, now)
    expires = now + timedelta(seconds=30)
    renewal = credentials.renewal_time(expires.isoformat(), now)
    assert expires - credentials.parse_time(renewal) == timedelta(seconds=10)  # pyright: ignore[reportOperatorIssue]
    assert not credentials.renewal_due(renewal, now) and credentials.renewal_due(renewal, now + timedelta(seconds=20))
    assert credentials.renewal_time("", now) == "" and not credentials.renewal_due("", now)


def test_a_token_close_to_expiry_is_refreshed_through_start_session_and_a_heartbeat(monkeypatch):
    state = interview_state("live", application_id=app_id())
    state.candidate_token = "cand"
    holding_session(state, ttl=timedelta(minutes=20))
    spoken_answer(state, "item_0")
    assert run_sync(state, monkeypatch, SyncResult(sent=("item_0",)))[0].start is None  # not due yet
    monkeypatch.setattr(credentials, "renewal_due", lambda *_: True)  # the renewal time has come
    spoken_answer(state, "item_1")
    job = run_sync(state, monkeypatch, SyncResult(session_id="s1", token="new", expires_at="2030-01-01T00:00:00Z"))[0]
    assert job.heartbeat and job.start is not None and "offline" not in job.start["metadata"]
    assert (state.session_id, state.call_token, list(unsent_turns(state))) == ("s1", "new", ["item_1"])  # no re-upload
    # the component places the call with it next time (a reconnect); the live call is not re-placed
    assert json.loads(state.saved_session)["token"] == "new"


def test_an_end_waiting_for_the_api_gets_a_fresh_token_first(monkeypatch):
    state = interview_state("live", application_id=app_id())
    state.candidate_token = "cand"
    holding_session(state, ttl=timedelta(seconds=30))
    send(state, InterviewState.end_interview, "candidate_ended")
    monkeypatch.setattr(credentials, "renewal_due", lambda *_: True)
    job = run_sync(state, monkeypatch)[0]
    assert job.end_reason == "candidate_ended" and job.start is not None
    assert not job.heartbeat  # the call is over: only the token and the end


def saved_session(token: str, key: str = "interview:app-1") -> dict:
    return {"key": key, "value": json.dumps({"sessionId": "ignored", "token": token, "expiresAt": ""})}


def test_the_saved_session_is_recalled_only_when_its_token_verifies():
    secret, now = get_settings().session_secret, utcnow()
    good, _ = tokens.mint_session_token(secret, "s1", "app-1", now)
    refused = [
        saved_session(good, key="interview:app-2"),  # another page's copy
        saved_session(tokens.mint_session_token("another-secret-0123456789abcdef0123456789", "s1", "app-1", now)[0]),
        saved_session(tokens.mint_session_token(secret, "s1", "app-2", now)[0]),  # another application's session
        saved_session(tokens.mint_session_token(secret, "s1", "app-1", now - timedelta(hours=1))[0]),  # expired
        saved_session(tokens.mint_offline_token(secret, "app-1", now)[0]),  # not a session token
        {"key": "interview:app-1", "value": "not json"},
        {"key": "interview:app-1", "value": "[1]"},
        {"key": "interview:app-1", "value": None},
        "not an object",
    ]
    state = interview_state("idle", application_id="app-1")
    for copy in refused:
        send(state, InterviewState.recall_saved_session, copy)
        assert (state.session_id, state.call_token, state.resumable) == ("", "", False), copy
    send(state, InterviewState.recall_saved_session, saved_session(good))
    assert (state.session_id, state.call_token, state.resumable) == ("s1", good, True)


def start_with_the_api_down(state, monkeypatch) -> None:
    """Start (or Resume, or Try again) while the API cannot be reached."""

    async def unreachable(*_args, **_kwargs):
        return api_client.Unavailable("ConnectError")

    monkeypatch.setattr(state_module, "start_or_reuse", unreachable)
    send(state, InterviewState.set_device, {"mic": "ready", "userAgent": "Mozilla/5.0"})
    send(state, InterviewState.set_consent, True)  # issue 17 §4: Start waits for the notice's consent
    send(state, InterviewState.start)


def test_the_api_down_the_session_this_tab_holds_goes_on_while_its_token_lasts(monkeypatch):
    secret = get_settings().session_secret
    state = interview_state("idle", application_id=app_id())
    token = holding_session(state)
    start_with_the_api_down(state, monkeypatch)
    assert (state.phase, state.call_token, state.offline) == ("connecting", token, True)  # no offline grant used

    state = interview_state("idle", application_id=app_id())
    holding_session(state, ttl=timedelta(seconds=30))  # too short for a call
    start_with_the_api_down(state, monkeypatch)
    assert state.phase == "connecting" and tokens.verify_call_token(secret, state.call_token).offline


def test_another_offline_start_of_the_same_interview_keeps_its_offline_grant(monkeypatch):
    state = interview_state("idle", application_id=app_id())
    start_with_the_api_down(state, monkeypatch)
    granted = state.call_token
    assert state.offline and kept_grant(state) == granted  # kept for the reconciliation, even if the tab closes
    send(state, InterviewState.call_error, "lost")  # the call fails: Try again, the API still down
    start_with_the_api_down(state, monkeypatch)
    assert state.phase == "connecting" and state.call_token == granted


def test_offline_grants_are_counted_per_tab_and_per_candidate_and_application():
    now, application = utcnow(), app_id()
    token, counting = credentials.grant_offline_token(None, application, [], now)
    assert tokens.verify_call_token(get_settings().session_secret, token).offline and counting == [now]
    with pytest.raises(errors.RateLimitExceeded):  # this tab has had its three
        credentials.grant_offline_token(None, app_id(), [now, now, now], now)
    for _ in range(2):
        credentials.grant_offline_token(None, application, [], now)
    with pytest.raises(errors.RateLimitExceeded):  # the application's three, counted outside the tab
        credentials.grant_offline_token(None, application, [], now)


def test_nothing_is_sent_for_an_interview_while_the_tab_shows_another_application(monkeypatch):
    state = interview_state("live", application_id="app-1")
    holding_session(state)
    spoken_answer(state, "item_1")
    open_application(state, "app-2")  # the tab has just opened app-2: its load has not run yet
    assert run_sync(state, monkeypatch, SyncResult(sent=("item_1",))) == []


def preview_unavailable(monkeypatch) -> None:
    async def unreachable(*_args, **_kwargs):
        return api_client.Unavailable("ConnectError")

    monkeypatch.setattr(api_client, "get_application", unreachable)


def test_back_online_stays_with_the_interview_through_a_refresh(monkeypatch):
    preview_unavailable(monkeypatch)
    state = interview_state("idle", application_id="app-1")
    holding_session(state)
    state.offline, state.back_online = True, True
    send(state, InterviewState.load)
    assert state.back_online and state.resumable


def test_a_turn_cut_short_by_the_end_of_the_call_is_kept_as_far_as_it_was_shown():
    state = interview_state("live")
    state.offline = True  # an offline interview: the page is the record of its interviewer's turns (T5)
    interviewer_turn(state, "resp_1", [], final="Hello.")
    interviewer_turn(state, "resp_2", ["Tell ", "me "])  # still speaking
    send(state, InterviewState.call_status, "reconnecting")
    assert unsent_turns(state)["resp_2"]["text"] == "Tell me " and list(unsent_turns(state)) == ["resp_1", "resp_2"]
    send(state, InterviewState.call_error, "lost")  # no longer speaking: nothing more to keep
    assert list(unsent_turns(state)) == ["resp_1", "resp_2"]


def test_another_application_in_the_tab_drops_the_interview_held_and_the_same_one_keeps_it(monkeypatch):
    preview_unavailable(monkeypatch)
    state = interview_state("idle", application_id="app-1")
    send(state, InterviewState.load)
    state.offline, state.phase = True, "live"
    interviewer_turn(state, "resp_1", [], final="Hello.")
    state.phase = "idle"  # a refresh
    send(state, InterviewState.load)
    assert state.resumable and list(unsent_turns(state)) == ["resp_1"]
    assert [item["id"] for item in state.feed] == ["resp_1"]  # shown again at once
    open_application(state, "app-2")
    send(state, InterviewState.load)
    assert (state.offline, state.feed, unsent_turns(state), state.resumable) == (False, [], {}, False)


def test_a_refused_end_keeps_the_count_of_answers_kept_here(monkeypatch):
    state = interview_state("live", application_id=app_id())
    holding_session(state)
    send(state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": "a1", "endMs": 1})
    send(state, InterviewState.end_interview, "candidate_ended")
    run_sync(state, monkeypatch, SyncResult(sent=("a1",), ended={}))
    assert completion_of(state).answered == 1


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


def test_the_page_leaves_the_interviewers_turns_to_the_interviewer_unless_the_interview_is_offline(monkeypatch):
    """Contract T5: with a session, the interviewer's turns are shown (and kept for a refresh) but only
    the candidate's are sent; the provider stores the interviewer's, which the API refuses from a page."""
    state = interview_state("live", application_id=app_id())
    holding_session(state)
    interviewer_turn(state, "resp_1", [], final="Tell me about yourself.")
    spoken_answer(state, "item_1")
    assert [item["id"] for item in state.feed] == ["resp_1", "item_1"]
    assert list(unsent_turns(state)) == ["item_1"]
    job = run_sync(state, monkeypatch, SyncResult(sent=("item_1",)))[0]
    assert [item["id"] for item in job.items] == ["item_1"]

    preview_unavailable(monkeypatch)
    offline = interview_state("idle", application_id=app_id())
    send(offline, InterviewState.load)
    start_with_the_api_down(offline, monkeypatch)  # an offline grant: nobody else records this call
    send(offline, InterviewState.call_status, "connected")
    interviewer_turn(offline, "resp_1", [], final="Tell me about yourself.")
    spoken_answer(offline, "item_1")
    assert list(unsent_turns(offline)) == ["resp_1", "item_1"]
    reconciled = SyncResult(sent=("resp_1", "item_1"), session_id="s9", token="tok9")
    assert [item["id"] for item in run_sync(offline, monkeypatch, reconciled)[0].items] == ["resp_1", "item_1"]
    interviewer_turn(offline, "resp_2", [], final="Next.")  # the same call, still on its offline grant
    assert list(unsent_turns(offline)) == ["resp_2"]


def test_a_typed_answer_goes_into_the_call_and_the_feed_as_the_candidates_turn():
    """Issue 16 section 5 / contract A1: conversation.item.create (input_text) then response.create."""
    state = interview_state("live")
    send(state, InterviewState.send_typed_answer, {"answer": "  "})
    assert state.call_outbox == "" and state.feed == []  # nothing typed: nothing sent
    send(state, InterviewState.set_typed_answer, "  I built a queue.\nWith back-pressure.  ")
    assert state.typed_answer_count == "40 / 2,000 characters"
    send(state, InterviewState.send_typed_answer, {"answer": "  I built a queue.\nWith back-pressure.  "})
    said = json.loads(state.call_outbox)
    create, respond = said["events"]
    item_id = create["item"]["id"]
    assert create == {
        "type": "conversation.item.create",
        "item": {
            "id": item_id,
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "I built a queue.\nWith back-pressure."}],
        },
    }
    assert respond == {"type": "response.create"}
    assert state.feed[-1] == {
        **state.feed[-1],
        "id": item_id,
        "kind": "candidate",
        "text": create["item"]["content"][0]["text"],
    }
    assert unsent_turns(state)[item_id]["role"] == "candidate" and state.typed_answer == ""
    send(state, InterviewState.set_typed_answer, "x" * 2500)
    assert len(state.typed_answer) == 2000  # the box's limit, whatever a client sends
    send(state, InterviewState.send_typed_answer, {"answer": "x" * 2500})
    again = json.loads(state.call_outbox)
    assert again["seq"] == said["seq"] + 1  # each answer is said once
    assert again["events"][0]["item"]["content"][0]["text"] == "x" * 2000
    send(state, InterviewState.send_typed_answer, "not a form")
    assert json.loads(state.call_outbox)["seq"] == again["seq"]

    interviewer_turn(state, "resp_9", [], final=CLOSING)
    before = state.call_outbox
    send(state, InterviewState.send_typed_answer, {"answer": "too late"})
    assert state.call_outbox == before and not state.can_answer  # the interview is complete


def test_done_answering_commits_the_spoken_answer_and_asks_for_the_next_question():
    """Issue 20 item 3: input_audio_buffer.commit then response.create; not while the interviewer speaks."""
    state = interview_state("live")
    interviewer_turn(state, "resp_1", ["Tell "])  # still speaking
    send(state, InterviewState.done_answering)
    assert state.call_outbox == ""
    interviewer_turn(state, "resp_1", [], final="Tell me about yourself.")
    send(state, InterviewState.call_event, {"type": "response.done", "id": "resp_1"})
    send(state, InterviewState.done_answering)
    assert json.loads(state.call_outbox)["events"] == [
        {"type": "input_audio_buffer.commit"},
        {"type": "response.create"},
    ]
    idle = interview_state("idle")
    send(idle, InterviewState.done_answering)
    assert idle.call_outbox == ""


def test_the_current_question_is_the_question_without_the_greeting_and_is_announced():
    """Issue 20 item 10: the greeting is no question; a screen reader hears each finished turn once."""
    state = interview_state("live")
    state.job_title = "Backend Developer"
    hello, first = script.greeting("Backend Developer"), script.questions("Backend Developer")[0]
    interviewer_turn(state, "resp_1", [], final=hello)
    assert state.current_question == "" and state.announcement == hello
    interviewer_turn(state, "resp_2", [], final=first)
    assert state.current_question == first and state.announcement == first
    interviewer_turn(state, "resp_3", [], final=f"{script.WELCOME_BACK} {first}")
    assert state.current_question == first
    interviewer_turn(state, "resp_4", [], final=f"{hello} {first}")  # a greeting and a question in one turn
    assert state.current_question == first
    interviewer_turn(state, "resp_5", ["Describe "])  # streaming: shown as it comes, announced once done
    assert state.current_question == "Describe" and state.announcement == f"{hello} {first}"


def test_a_harmless_refusal_of_done_answering_is_not_shown_as_an_error():
    state = interview_state("live")
    send(
        state,
        InterviewState.call_event,
        {"type": "error", "id": None, "code": "input_audio_buffer_commit_empty", "message": "empty"},
    )
    assert state.feed == []
