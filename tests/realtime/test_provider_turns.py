"""Reading a call's turns from OpenAI's events (``realtime/provider_turns.py``): the cases the
scripted conversation of the sideband tests does not walk through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_app.domain.model import TranscriptItem
from interview_app.realtime.openai_sideband import history_events
from interview_app.realtime.provider_turns import TurnReader


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def added(item_id: str, role: str, *content: dict, kind: str = "conversation.item.added") -> dict:
    return {"type": kind, "item": {"id": item_id, "type": "message", "role": role, "content": list(content)}}


def typed(text: str) -> dict:
    return {"type": "input_text", "text": text}


TRANSCRIBED = "conversation.item.input_audio_transcription.completed"


def read(reader: TurnReader, *events: dict) -> list[TranscriptItem]:
    return [turn for event in events for turn in reader.read(event)]


def test_an_answer_that_could_not_be_transcribed_is_stored_with_its_duration_and_no_text():
    reader = TurnReader(clock=Clock())
    (turn,) = read(
        reader,
        {"type": "input_audio_buffer.speech_started", "item_id": "a", "audio_start_ms": 500},
        {"type": "input_audio_buffer.speech_stopped", "item_id": "a", "audio_end_ms": 2500},
        {"type": "conversation.item.input_audio_transcription.failed", "item_id": "a", "error": {}},
    )
    assert (turn.id, turn.role, turn.text, turn.duration_ms, turn.input) == ("a", "candidate", "", 2000, "voice")
    # A transcription that arrives later still gives the answer its words (same id, once more).
    (later,) = read(reader, {"type": TRANSCRIBED, "item_id": "a", "transcript": "Yes."})
    assert (later.id, later.text, later.duration_ms, later.at) == ("a", "Yes.", 2000, turn.at)


def test_beta_event_names_and_text_responses_are_read_too():
    reader = TurnReader(clock=Clock())
    turns = read(
        reader,
        {"type": "response.audio_transcript.done", "response_id": "r1", "item_id": "q1", "transcript": "First?"},
        {"type": "response.output_text.done", "response_id": "r2", "item_id": "q2", "text": "Second?"},
        added("t1", "user", typed("Typed."), kind="conversation.item.created"),
    )
    assert [(t.id, t.role, t.text, t.input) for t in turns] == [
        ("q1", "interviewer", "First?", None),
        ("q2", "interviewer", "Second?", None),
        ("t1", "candidate", "Typed.", "text"),
    ]


def test_turns_sort_by_when_they_began_not_when_their_text_arrived():
    reader = TurnReader(clock=Clock())
    turns = read(
        reader,
        {"type": "input_audio_buffer.speech_started", "item_id": "a", "audio_start_ms": 0},
        {"type": "input_audio_buffer.speech_stopped", "item_id": "a", "audio_end_ms": 900},
        {"type": "response.created", "response": {"id": "r1"}},
        {"type": "response.output_audio_transcript.done", "response_id": "r1", "item_id": "q", "transcript": "Next?"},
        {"type": TRANSCRIBED, "item_id": "a", "transcript": "Late text."},
    )
    question, answer = turns
    assert answer.at is not None and question.at is not None
    assert answer.at < question.at  # the answer was given before the question that followed it


def test_what_is_not_a_turn_is_ignored():
    reader = TurnReader(ignored_ids=["hist_0"], clock=Clock())
    assert not read(
        reader,
        added("hist_0", "user", typed("Echo")),
        added("v", "user", {"type": "input_audio"}),
        added("s", "system", typed("x")),
        {"type": "response.done", "response": {"id": "r", "output": [{"id": "f", "type": "function_call"}]}},
        {"type": "response.output_audio_transcript.done", "item_id": "q", "transcript": ""},
        {"type": TRANSCRIBED, "transcript": "no item id"},
        {"type": "response.done", "response": "not an object"},
        {"type": "conversation.item.added", "item": None},
    )


def test_history_items_carry_no_text_as_instructions_and_skip_empty_interviewer_turns():
    history = [
        TranscriptItem("q1", "interviewer", "Tell me about a pipeline."),
        TranscriptItem("q2", "interviewer", ""),
        TranscriptItem("a1", "candidate", ""),
    ]
    events = history_events(history, "hist1")
    assert [e["item"]["id"] for e in events] == ["hist1_0", "hist1_2"]
    assert events[1]["item"]["content"] == [{"type": "input_text", "text": "(spoken answer, not transcribed)"}]
    assert {e["type"] for e in events} == {"conversation.item.create"}
