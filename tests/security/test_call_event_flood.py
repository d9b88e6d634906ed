"""Regression (issue 15 item 14): a flood of call events is bounded per connection.

On the old code any client could call ``call_event`` without limit, and with 300 feed items of
2,000 characters every feed change re-sent about 625 KB to the browser.
"""

from __future__ import annotations

import json

from interview_app.ui import feed, rate_limit
from interview_app.ui.state import InterviewState
from tests.support.ui_state import interview_state, send

FEED_BOUND_BYTES = 200 * 1024


def big_turn(n: int) -> dict:
    return {"type": "response.output_audio_transcript.done", "id": f"resp_{n}", "transcript": "w" * 3_000}


def test_a_flood_of_call_events_is_cut_at_the_burst_and_the_feed_stays_small(monkeypatch):
    # The flood arrives at one instant (the limiter's clock stands still): on a loaded machine the
    # 1,000 events took over a second of real time, and the refill let more through.
    monkeypatch.setattr(rate_limit, "call_events", rate_limit.RateLimiter(clock=lambda: 0.0))
    state = interview_state("live")
    taken = 0
    for n in range(1_000):
        send(state, InterviewState.call_event, big_turn(n))
        taken += state.feed[-1]["id"] == f"resp_{n}"
    assert taken == rate_limit.BURST
    assert len(state.feed) == feed.MAX_ITEMS
    assert len(json.dumps(state.feed).encode()) < FEED_BOUND_BYTES


def test_another_connection_is_not_limited_by_a_flooding_one():
    flooding, other = interview_state("live"), interview_state("live")
    for n in range(400):
        send(flooding, InterviewState.call_event, big_turn(n))
    send(other, InterviewState.call_event, big_turn(0))
    assert [item["id"] for item in other.feed] == ["resp_0"]


def test_the_bucket_refills_at_its_rate():
    now = [0.0]
    limiter = rate_limit.RateLimiter(rate=50, burst=200, clock=lambda: now[0])
    assert sum(limiter.allow("tab") for _ in range(300)) == 200
    now[0] += 1.0
    assert sum(limiter.allow("tab") for _ in range(300)) == 50
