"""Regression (security item 4): what a client sends cannot grow the state without bound.

Any client can call ``call_event`` over the event websocket with any payload. On the old code
40 events with 400 KB messages grew memory by 53 MB, and every update re-sent the whole feed.
Now: events are ignored unless a call is in progress, payloads over 8 KiB are ignored, and the
feed is capped (2,000 characters per item, 300 items, oldest dropped).
"""

from __future__ import annotations

import pytest

from interview_app.ui import feed
from interview_app.ui.state import InterviewState
from tests.support.ui_state import interview_state, send


def error_event(message: str) -> dict:
    return {"type": "error", "id": None, "message": message}


@pytest.mark.parametrize("phase", ["idle", "starting", "ended", "error"])
def test_call_events_are_ignored_unless_a_call_is_in_progress(phase):
    state = interview_state(phase)
    send(state, InterviewState.call_event, error_event("not now"))
    send(state, InterviewState.call_event, {"type": "response.created", "id": "resp_1"})
    assert state.feed == []


def test_a_payload_over_8_kib_is_ignored():
    state = interview_state("live")
    send(state, InterviewState.call_event, error_event("x" * 7_000))  # under the limit: taken
    assert len(state.feed) == 1
    send(state, InterviewState.call_event, error_event("x" * 400_000))
    send(
        state,
        InterviewState.call_event,
        {"type": "response.output_audio_transcript.delta", "id": "resp_1", "delta": "y" * (feed.EVENT_MAX_BYTES + 1)},
    )
    assert len(state.feed) == 1


def test_feed_items_are_clipped_and_the_oldest_dropped():
    state = interview_state("live")
    for n in range(feed.MAX_ITEMS + 40):
        send(state, InterviewState.call_event, error_event(f"{n} " + "z" * 7_000))
    assert len(state.feed) == feed.MAX_ITEMS
    assert all(len(item["text"]) <= feed.TEXT_MAX_CHARS for item in state.feed)
    assert state.feed[0]["text"].startswith("40 ")  # the first 40 went first
    assert state.feed[-1]["text"].startswith(f"{feed.MAX_ITEMS + 39} ")


def test_a_turn_grown_by_deltas_stays_clipped():
    state = interview_state("live")
    send(state, InterviewState.call_event, {"type": "response.created", "id": "resp_1"})
    for _ in range(10):
        send(
            state,
            InterviewState.call_event,
            {"type": "response.output_audio_transcript.delta", "id": "resp_1", "delta": "w" * 1_000},
        )
    assert len(state.feed) == 1 and len(state.feed[0]["text"]) == feed.TEXT_MAX_CHARS


def test_the_device_report_is_bounded_too():
    state = interview_state("idle")
    send(state, InterviewState.set_device, {"mic": "ready", "message": "m" * 9_000, "userAgent": "Mozilla/5.0"})
    assert state.mic == "checking" and state.mic_message == ""
