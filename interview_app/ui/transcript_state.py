"""The interview feed and its transcript: what the component reports of the call, turn by turn.

``TranscriptMixin`` is mixed into ``InterviewState`` (one Reflex state, one job per module): the
feed is what the candidate sees, the transcript what the API gets. A turn is kept (upserted by
id) once it is final, or when the call goes down while it was being said (as far as it was shown);
the sync (``sync_state.py``) sends what is unsent.

The interviewer's turns are the interviewer's to store (contract T5): the local interviewer and the
OpenAI sideband write them as ``provider`` items, and the API refuses them from a page. The page keeps
them (to show them again after a refresh) but sends them only for an offline interview, whose call
nobody else records; its reconciliation uploads both roles.

The feed holds the conversation only: notes about the connection ("Session started", "Connected")
are the status line's (``status_note``). Each finished interviewer turn is also put in
``announcement``, a polite live region, so a screen reader says it once and whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import reflex as rx

from interview_app.domain.clock import utcnow
from interview_app.domain.rules import MAX_TRANSCRIPT_ITEMS
from interview_app.realtime import script
from interview_app.ui import feed, rate_limit, reports
from interview_app.ui.credentials import parse_time
from interview_app.ui.feed import FeedItem, Turn
from interview_app.ui.question import question_in
from interview_app.ui.reports import CANDIDATE_TRANSCRIBED, TRANSCRIPT_DELTAS, TRANSCRIPT_DONE, CallEvent

# Refusals of a "done answering" that came too early or late (nothing heard yet, a reply already under
# way): harmless, so not shown as the interviewer's error.
HARMLESS_ERROR_CODES = frozenset(
    {"input_audio_buffer_commit_empty", "conversation_already_has_active_response", "response_cancel_not_active"}
)


class TranscriptMixin(rx.State, mixin=True):
    if TYPE_CHECKING:  # InterviewState's
        job_title: str

        @property
        def in_call(self) -> bool: ...

        def _keep(self) -> None: ...

        def _posts_interviewer_turns(self) -> bool: ...

    listening: bool = False
    speaking: bool = False
    closing_heard: bool = False
    status_note: str = ""  # the latest note about the connection, shown in the status line
    announcement: str = ""  # the interviewer's latest finished turn, for screen readers
    feed: list[FeedItem] = []
    _tz_offset_min: int = 0
    _transcript: dict[str, Turn] = {}
    _unsent: list[str] = []
    _speech_starts: dict[str, int] = {}

    @rx.var
    def current_question(self) -> str:
        """The interviewer's latest question, shown above the fold on a phone: without a greeting in
        front of it, and a greeting alone is no question (``ui/question.py``)."""
        asked = (item["text"] for item in reversed(self.feed) if item["kind"] == "interviewer")
        return next((question for text in asked if (question := question_in(text, self.job_title))), "")

    @rx.var
    def has_turns(self) -> bool:
        return bool(self.feed)

    @rx.var
    def feed_version(self) -> str:
        """Changes with every new turn or longer text: the feed scrolls to its end on it."""
        return f"{len(self.feed)}:{len(self.feed[-1]['text'])}" if self.feed else "0"

    def _now_label(self, at: datetime | None = None) -> str:
        return ((at or utcnow()) + timedelta(minutes=self._tz_offset_min)).strftime("%H:%M:%S")

    def _note(self, text: str) -> None:
        """A note about the connection: for the status line, not the conversation."""
        self.status_note = text

    def _post(self, kind: feed.FeedKind, text: str, item_id: str | None = None, at: datetime | None = None) -> None:
        self.feed = feed.upsert(
            self.feed, {"id": item_id or uuid.uuid4().hex, "time": self._now_label(at), "kind": kind, "text": text}
        )

    @rx.event
    def call_event(self, event: CallEvent):
        """One interviewer event: ignored unless a call is up, when larger than 8 KiB, and past the
        connection's rate limit (``ui/rate_limit.py``)."""
        if not rate_limit.call_events.allow(self.router.session.client_token):
            return
        if not self.in_call or not isinstance(event, dict) or feed.too_large(event):
            return
        kind, item_id = event.get("type"), reports.turn_id(event.get("id"))
        if kind == "response.created":
            self.speaking, self.listening = True, False
            if feed.find(self.feed, item_id) is None:
                self._post("interviewer", "", item_id=item_id)
        elif kind in TRANSCRIPT_DELTAS or kind in TRANSCRIPT_DONE:
            self._merge_interviewer(item_id, event, done=kind in TRANSCRIPT_DONE)
        elif kind == "response.done":
            self.speaking = False
        elif kind == "input_audio_buffer.speech_started":
            self.listening = True
            start = event.get("startMs")
            if isinstance(start, int) and len(self._speech_starts) < feed.MAX_ITEMS:
                self._speech_starts = {**self._speech_starts, item_id: start}
        elif kind == "input_audio_buffer.speech_stopped":
            self.listening = False
            self._candidate_answered(item_id, event)
        elif kind == CANDIDATE_TRANSCRIBED:
            self._candidate_transcribed(item_id, event)
        elif kind == "error" and event.get("code") not in HARMLESS_ERROR_CODES:
            self._post("error", feed.clip(event.get("message")) or "The interviewer reported an error.")

    def _merge_interviewer(self, item_id: str, event: CallEvent, done: bool) -> None:
        index = feed.find(self.feed, item_id)
        text = self.feed[index]["text"] if index is not None else ""
        if done:
            text = feed.clip(event.get("transcript")) or text
        else:
            text += feed.clip(event.get("delta"))
        self._post("interviewer", text, item_id=item_id)
        if done:
            self._record({"id": item_id, "role": "interviewer", "text": feed.clip(text), "at": self._iso_now()})
            self.closing_heard = self.closing_heard or script.is_closing_line(text)
            self.announcement = text

    def _candidate_answered(self, item_id: str, event: CallEvent) -> None:
        start, end = self._speech_starts.get(item_id), event.get("endMs")
        duration = end - start if isinstance(end, int) and isinstance(start, int) and end >= start else 0
        known = self._transcript.get(item_id)
        text = known["text"] if known else ""
        self._post("candidate", text or feed.answer_label(duration), item_id=item_id)
        self._record({"id": item_id, "role": "candidate", "text": text, "at": self._iso_now(), "durationMs": duration})

    def _candidate_transcribed(self, item_id: str, event: CallEvent) -> None:
        text = feed.clip(event.get("transcript"))
        known = self._transcript.get(item_id)
        item: Turn = {"id": item_id, "role": "candidate", "text": text, "at": self._iso_now()}
        if known and "durationMs" in known:
            item["durationMs"] = known["durationMs"]
        if text:
            self._post("candidate", text, item_id=item_id)
        self._record(item)

    def _iso_now(self) -> str:
        return utcnow().isoformat().replace("+00:00", "Z")

    def _keep_cut_turn(self) -> None:
        """The call went down while the interviewer spoke: what the candidate was shown of that turn
        goes to the transcript too (a finished turn is there already)."""
        latest = next((item for item in reversed(self.feed) if item["kind"] == "interviewer"), None)
        if self.speaking and latest and latest["text"] and latest["id"] not in self._transcript:
            self._record({"id": latest["id"], "role": "interviewer", "text": latest["text"], "at": self._iso_now()})

    def _record(self, item: Turn) -> None:
        """Keep the turn (upsert by id); the sync sends it in batches when it is the page's to send."""
        if item["id"] not in self._transcript and len(self._transcript) >= MAX_TRANSCRIPT_ITEMS:
            return
        self._transcript = {**self._transcript, item["id"]: item}
        if item["id"] not in self._unsent and self._sends(item):
            self._unsent = [*self._unsent, item["id"]]
        self._keep()

    def _sends(self, item: Turn) -> bool:
        """The page sends its candidate's turns; the interviewer's only for an offline interview (T5)."""
        return item["role"] == "candidate" or self._posts_interviewer_turns()

    def _show_transcript(self, items: Iterable[Mapping]) -> None:
        """The feed as these turns, in the order they were said (the newest :data:`feed.MAX_ITEMS`)."""

        def said_at(item: Mapping) -> datetime:
            at = parse_time(item.get("at"))
            return at if at is not None and at.tzinfo is not None else datetime.min.replace(tzinfo=UTC)

        ordered = sorted(items, key=said_at)
        self.feed = []
        for item in ordered[-feed.MAX_ITEMS :]:
            self._show_turn(item)

    def _show_turn(self, item: Mapping) -> None:
        role = "candidate" if item.get("role") == "candidate" else "interviewer"
        text = feed.clip(item.get("text"))
        if role == "candidate" and not text:
            text = feed.answer_label(item.get("durationMs"))
        self.closing_heard = self.closing_heard or (role == "interviewer" and script.is_closing_line(text))
        self._post(role, text, item_id=item["id"], at=parse_time(item.get("at")))

    def _answers_kept(self) -> int:
        return sum(1 for item in self._transcript.values() if item["role"] == "candidate")
