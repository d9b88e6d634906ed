"""The turns of a call, read from what OpenAI Realtime reports on the sideband (issue 16).

:class:`TurnReader` turns server events into the :class:`TranscriptItem` s our server vouches for
(contract S2), each at most once:

- the candidate's spoken answer from ``conversation.item.input_audio_transcription.completed``
  (``input="voice"``; ``…failed`` gives the answer with empty text, as the local interviewer
  stores an answer it cannot transcribe), its duration from ``input_audio_buffer.speech_started``
  / ``speech_stopped``;
- a typed answer from ``conversation.item.added`` (beta: ``.created``) of a user message with
  ``input_text`` (``input="text"``), except the history items our own server sent;
- the interviewer's turn from ``response.output_audio_transcript.done`` (beta:
  ``response.audio_transcript.done``; text-only: ``response.output_text.done``), or from the
  assistant messages of ``response.done`` when no transcript event came.

Ids are OpenAI's item ids, for both roles: the page keys a candidate turn by the same item id, so
its copy merges with ours. A turn's ``at`` is when it began to exist for the conversation: the end
of the candidate's speech, the creation of the interviewer's response, the arrival of a typed
answer; so a transcription that completes while the interviewer already speaks still sorts first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem

INTERVIEWER_DONE = frozenset(
    {"response.output_audio_transcript.done", "response.audio_transcript.done", "response.output_text.done"}
)
ITEM_ADDED = frozenset({"conversation.item.added", "conversation.item.created"})
TRANSCRIBED = "conversation.item.input_audio_transcription.completed"
NOT_TRANSCRIBED = "conversation.item.input_audio_transcription.failed"
MAX_TRACKED = 2_000  # ids remembered per call: far more turns than a 60-minute interview has


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _id(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class TurnReader:
    """Reads one call's events; ``read(event)`` returns the turns to store now (usually none)."""

    def __init__(self, ignored_ids: Iterable[str] = (), clock: Callable[[], datetime] = utcnow):
        self.ignored = set(ignored_ids)  # the history items our server sent: not the candidate's words
        self.clock = clock
        self.recorded: dict[str, str] = {}  # item id -> the text stored
        self.started_ms: dict[str, int] = {}
        self.durations: dict[str, int] = {}
        self.began: dict[str, datetime] = {}  # item or response id -> when its turn began

    def read(self, event: dict) -> list[TranscriptItem]:
        kind = event.get("type")
        if kind == "input_audio_buffer.speech_started":
            self._speech_started(event)
        elif kind == "input_audio_buffer.speech_stopped":
            self._speech_stopped(event)
        elif kind == "response.created":
            response_id = _id((event.get("response") or {}).get("id"))
            if response_id:
                self._began(response_id)
        elif kind in (TRANSCRIBED, NOT_TRANSCRIBED):
            return self._spoken_answer(event, _text(event.get("transcript")) if kind == TRANSCRIBED else "")
        elif kind in ITEM_ADDED:
            return self._typed_answer(event.get("item"))
        elif kind in INTERVIEWER_DONE:
            text = _text(event.get("transcript")) or _text(event.get("text"))
            return self._interviewer(_id(event.get("item_id")), _id(event.get("response_id")), text)
        elif kind == "response.done":
            return self._response_done(event.get("response"))
        return []

    def _began(self, key: str) -> None:
        if key not in self.began and len(self.began) < MAX_TRACKED:
            self.began[key] = self.clock()

    def _speech_started(self, event: dict) -> None:
        item_id, start = _id(event.get("item_id")), event.get("audio_start_ms")
        if item_id and isinstance(start, int) and len(self.started_ms) < MAX_TRACKED:
            self.started_ms[item_id] = start

    def _speech_stopped(self, event: dict) -> None:
        item_id, end = _id(event.get("item_id")), event.get("audio_end_ms")
        if item_id is None:
            return
        self._began(item_id)
        start = self.started_ms.get(item_id)
        if isinstance(end, int) and start is not None and end >= start and len(self.durations) < MAX_TRACKED:
            self.durations[item_id] = end - start

    def _new(self, item_id: str, text: str) -> bool:
        """Whether this turn (with this text) was not stored yet; remembers it."""
        if self.recorded.get(item_id) == text or len(self.recorded) >= MAX_TRACKED:
            return False
        self.recorded[item_id] = text
        return True

    def _spoken_answer(self, event: dict, text: str) -> list[TranscriptItem]:
        item_id = _id(event.get("item_id"))
        if item_id is None or item_id in self.ignored or not self._new(item_id, text):
            return []
        at = self.began.get(item_id) or self.clock()
        duration = self.durations.get(item_id)
        return [TranscriptItem(item_id, "candidate", text, at=at, duration_ms=duration, input="voice")]

    def _typed_answer(self, item: object) -> list[TranscriptItem]:
        if not isinstance(item, dict) or item.get("type") != "message" or item.get("role") != "user":
            return []
        item_id = _id(item.get("id"))
        typed = [part for part in item.get("content") or [] if isinstance(part, dict)]
        text = " ".join(_text(part.get("text")) for part in typed if part.get("type") == "input_text").strip()
        if item_id is None or item_id in self.ignored or not text or not self._new(item_id, text):
            return []
        return [TranscriptItem(item_id, "candidate", text, at=self.clock(), input="text")]

    def _interviewer(self, item_id: str | None, response_id: str | None, text: str) -> list[TranscriptItem]:
        if item_id is None or item_id in self.ignored or not text or not self._new(item_id, text):
            return []
        at = (response_id and self.began.get(response_id)) or self.clock()
        return [TranscriptItem(item_id, "interviewer", text, at=at)]

    def _response_done(self, response: object) -> list[TranscriptItem]:
        """The assistant messages of a finished response that no transcript event reported."""
        if not isinstance(response, dict):
            return []
        turns: list[TranscriptItem] = []
        for item in response.get("output") or []:
            if not isinstance(item, dict) or item.get("type") != "message" or item.get("role") != "assistant":
                continue
            item_id = _id(item.get("id"))
            if item_id is None or item_id in self.recorded:
                continue
            parts = [part for part in item.get("content") or [] if isinstance(part, dict)]
            text = " ".join(_text(part.get("transcript")) or _text(part.get("text")) for part in parts).strip()
            turns += self._interviewer(item_id, _id(response.get("id")), text)
        return turns
