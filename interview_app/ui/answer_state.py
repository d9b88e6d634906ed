"""Answering without the microphone's pause: a typed answer, and "I'm done answering".

``AnswerMixin`` is mixed into ``InterviewState`` (one Reflex state, one job per module). Both say
OpenAI's client events into the call through the component's ``outbox`` (the same events reach the
local interviewer on its data channel and OpenAI in its call, contract A1):

* a typed answer: ``conversation.item.create`` (a user message of ``input_text``, with the page's
  item id) then ``response.create``. The page shows it as the candidate's turn at once and keeps it
  for the transcript API under the same id: the interviewer's record of it (``provider``) wins, the
  page's copy is what an offline interview uploads;
* "I'm done answering": ``input_audio_buffer.commit`` then ``response.create``. The interviewer
  ends the spoken answer now and reports it as usual (``speech_stopped``), then asks on.

Typed answers are an accommodation (candidates who cannot or prefer not to speak) and give the local
interviewer, which does not transcribe, the candidate's real words.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import reflex as rx

from interview_app.ui import feed
from interview_app.ui.feed import FeedKind, Turn

TYPED_ANSWER_MAX_CHARS = feed.TEXT_MAX_CHARS  # 2,000: what the feed and the local interviewer keep
DONE_ANSWERING_KEYS = "Alt+Shift+D"  # as aria-keyshortcuts says it; bound by key code (any layout)
DONE_ANSWERING_COMBO = "Alt+Shift+KeyD"
SEND_ANSWER_KEYS = "Control+Enter"  # in the answer box
SEND_ANSWER_COMBO = "Control+Enter"


class AnswerMixin(rx.State, mixin=True):
    typed_answer: str = ""
    call_outbox: str = ""  # JSON {seq, events}: what the component says into the call, once per seq
    _outbox_seq: int = 0

    if TYPE_CHECKING:  # InterviewState's (and TranscriptMixin's)
        phase: str
        closing_heard: bool
        speaking: bool
        listening: bool

        def _post(self, kind: FeedKind, text: str, item_id: str | None = None) -> None: ...

        def _record(self, item: Turn) -> None: ...

        def _iso_now(self) -> str: ...

    @rx.var
    def can_answer(self) -> bool:
        """The call is up and the interviewer has questions left."""
        return self.phase == "live" and not self.closing_heard

    @rx.var
    def typed_answer_count(self) -> str:
        return f"{len(self.typed_answer):,} / {TYPED_ANSWER_MAX_CHARS:,} characters"

    @rx.event
    def set_typed_answer(self, text: str):
        if isinstance(text, str):
            self.typed_answer = text[:TYPED_ANSWER_MAX_CHARS]

    @rx.event
    def send_typed_answer(self, form: dict):
        """The answer box's form, as the browser holds it when sent (the counter's copy may lag a
        keystroke behind): into the call and into the feed, as the candidate's turn."""
        typed = form.get("answer") if isinstance(form, dict) else None
        text = typed[:TYPED_ANSWER_MAX_CHARS].strip() if isinstance(typed, str) else ""
        if not (self.can_answer and text):
            return
        item_id = f"item_{uuid.uuid4().hex[:16]}"
        self._post("candidate", text, item_id=item_id)
        self._record({"id": item_id, "role": "candidate", "text": text, "at": self._iso_now()})
        self.typed_answer, self.listening = "", False
        message = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        self._say_into_call(
            {"type": "conversation.item.create", "item": {"id": item_id, **message}}, {"type": "response.create"}
        )

    @rx.event
    def done_answering(self):
        """The spoken answer ends now (a noisy room never gives the interviewer its pause)."""
        if not self.can_answer or self.speaking:
            return
        self.listening = False
        self._say_into_call({"type": "input_audio_buffer.commit"}, {"type": "response.create"})

    def _say_into_call(self, *events: dict) -> None:
        self._outbox_seq += 1
        self.call_outbox = json.dumps({"seq": self._outbox_seq, "events": list(events)})
