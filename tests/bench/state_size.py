"""``make bench`` (part 6): the page state's size per client after a simulated 30-minute interview.

Drives ``InterviewState.call_event`` as the interview's call would (15 questions of about 350
characters streamed as word deltas, 15 answers of about a minute), then a flood (a client sending
max-size events as fast as it can for 30 simulated minutes). Prints what Reflex keeps and re-sends
for one client: the JSON of the state's vars, and of the feed alone (the var a feed change
re-sends). The old code's bounds (300 items of 2,000 characters, no rate limit) made every feed
change of a flooded client send about 625 KB.
"""

from __future__ import annotations

import json
import logging
import sys

from interview_app.ui import rate_limit
from interview_app.ui.state import InterviewState
from tests.support.ui_state import interview_state, send

QUESTIONS = 15
QUESTION = ("Tell me about a system you built, the trade-offs you made and what you would change. " * 4)[:350]


def size_kb(value: object) -> float:
    return len(json.dumps(value, default=str, separators=(",", ":")).encode()) / 1024


def simulated_clock() -> list[float]:
    """A clock the connection's rate limit reads, moved by the simulation instead of waiting."""
    clock = [0.0]
    rate_limit.call_events = rate_limit.RateLimiter(clock=lambda: clock[0])
    return clock


def interview(state: InterviewState) -> None:
    clock = simulated_clock()
    for n in range(QUESTIONS):
        clock[0] = n * 120.0  # a question every two minutes
        response = f"resp_{n}"
        send(state, InterviewState.call_event, {"type": "response.created", "id": response})
        for word in QUESTION.split(" "):
            send(
                state,
                InterviewState.call_event,
                {"type": "response.output_audio_transcript.delta", "id": response, "delta": word + " "},
            )
        send(
            state,
            InterviewState.call_event,
            {"type": "response.output_audio_transcript.done", "id": response, "transcript": QUESTION},
        )
        send(state, InterviewState.call_event, {"type": "response.done", "id": response})
        item = f"item_{n}"
        send(state, InterviewState.call_event, {"type": "input_audio_buffer.speech_started", "id": item, "startMs": 0})
        send(
            state, InterviewState.call_event, {"type": "input_audio_buffer.speech_stopped", "id": item, "endMs": 60_000}
        )


def flood(state: InterviewState, seconds: int) -> int:
    """Max-size events at full speed for ``seconds`` simulated seconds; returns how many were taken."""
    clock = simulated_clock()
    taken = 0
    for second in range(seconds):
        clock[0] = float(second)
        for n in range(100):
            event_id = f"flood_{second}_{n}"
            send(
                state,
                InterviewState.call_event,
                {"type": "response.output_audio_transcript.done", "id": event_id, "transcript": "w" * 4_000},
            )
            taken += state.feed[-1]["id"] == event_id
    return taken


def sizes(state: InterviewState) -> str:
    return f"state {size_kb(state.dict()):7.1f} KB   feed {size_kb(state.feed):7.1f} KB"


def main() -> int:
    logging.getLogger(rate_limit.__name__).setLevel(logging.ERROR)  # the flood's warning is expected
    state = interview_state("live")
    interview(state)
    print("page state per client (InterviewState, JSON)")
    print(f"after a 30-minute interview ({QUESTIONS} questions):  {sizes(state)}")
    flooded = interview_state("live")
    taken = flood(flooded, 30 * 60)
    print(f"after a 30-minute flood (100 max-size events/s): {sizes(flooded)}   ({taken} of {30 * 60 * 100} taken)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
