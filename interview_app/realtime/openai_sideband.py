"""The server's own WebSocket to an OpenAI call: OpenAI's documented "sideband" (issue 16).

Once the registry keeps an OpenAI call, :class:`OpenAISideband` connects to
``{OPENAI_BASE_URL with http->ws, https->wss}/realtime?call_id=<OpenAI's call id>`` with the
server's key, and:

- **controls the call**: sends ``session.update`` (the fixed instructions of
  :func:`script.instructions`, the candidate's transcription on) and, for a resumed interview, the
  conversation so far as ``conversation.item.create`` items (``provider`` turns only, capped by
  :func:`call_context.resume_history`): data the model reads, never instructions;
- **keeps the plan's time**: when the plan's ``durationMinutes`` are up (counted from the session's
  start), it adds :data:`script.TIME_UP` as a system item (fixed text): no new question, the
  current answer is heard out, then the closing line;
- **records the turns** the provider heard and said (:mod:`~interview_app.realtime.provider_turns`)
  through ``listener.turn``, which stores them as ``provider`` items;
- **knows when the call is gone**: ``session.closed``, an error that ends the session
  (:data:`ENDING_ERRORS`) or the provider closing the socket cleanly call ``gone(reason)``, which
  hangs the call up and frees its slot.

Decision (drops): an abnormal drop (no close frame, a network error, a refused reconnect) is
retried at most three times, after :data:`RETRY_DELAYS_S`; each successful reconnect gives the
next drop three tries again. When the tries run out the sideband stops recording and says so (log
and Sentry), but the call goes on: its media never passed through here, the page's turns keep the
record (stored as ``client``), and the heartbeat watch still ends a call whose browser died.

A sideband fault never holds up or ends a call: :meth:`open` returns at once, and every failure
inside is logged and sent to Sentry.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

import sentry_sdk
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidHandshake

from interview_app.config import Settings
from interview_app.domain.clock import utcnow
from interview_app.domain.model import TranscriptItem
from interview_app.realtime import script
from interview_app.realtime.call_context import CallContext
from interview_app.realtime.interviewer import CallListener
from interview_app.realtime.provider_turns import TurnReader

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (0.5, 1.0, 2.0)  # at most three tries after a drop, backing off
OPEN_TIMEOUT_S = 5.0
MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # a long response.done fits; audio never comes this way on WebRTC
ENDING_ERRORS = frozenset({"session_expired"})  # the provider's 60 minutes are up
SPOKEN_ANSWER = "(spoken answer, not transcribed)"  # a history answer without text still says one was given

Gone = Callable[[str], Awaitable[None]]


def sideband_url(base_url: str, call_id: str) -> str:
    """``{base}/realtime?call_id=…`` on the WebSocket scheme of the base URL."""
    parts = urlsplit(base_url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, f"{parts.path.rstrip('/')}/realtime", urlencode({"call_id": call_id}), ""))


def session_update(settings: Settings, context: CallContext) -> dict:
    """The call's fixed instructions and the candidate's transcription (no voice: it cannot change
    once the model has spoken)."""
    return {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "instructions": script.instructions(context.job_title, resumed=context.resumed, plan=context.plan),
            "audio": {"input": {"transcription": {"model": settings.openai_transcription_model}}},
        },
    }


def history_events(history: Sequence[TranscriptItem], prefix: str) -> list[dict]:
    """The conversation so far as conversation items: the interviewer's turns as assistant messages
    (``output_text``), the candidate's as user messages (``input_text``). Each gets an id of ours
    (``{prefix}_{n}``, short enough for OpenAI's 32 characters), so their echoes are not recorded
    as new answers."""
    events = []
    for index, item in enumerate(history):
        if item.role == "interviewer":
            if not item.text:
                continue
            role, content = "assistant", {"type": "output_text", "text": item.text}
        else:
            role, content = "user", {"type": "input_text", "text": item.text or SPOKEN_ANSWER}
        events.append(
            {
                "type": "conversation.item.create",
                "item": {"id": f"{prefix}_{index}", "type": "message", "role": role, "content": [content]},
            }
        )
    return events


def time_up_event() -> dict:
    """The plan's time is up: a system item of fixed text (the model closes after the current answer)."""
    return {
        "type": "conversation.item.create",
        "item": {"type": "message", "role": "system", "content": [{"type": "input_text", "text": script.TIME_UP}]},
    }


class ProviderEnded(Exception):
    """The provider says the call is over (``reason`` is what ``gone`` gets)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OpenAISideband:
    """One call's sideband (implements ``openai_relay.Sideband``)."""

    def __init__(
        self,
        settings: Settings,
        context: CallContext,
        retry_delays: Sequence[float] = RETRY_DELAYS_S,
        open_timeout: float = OPEN_TIMEOUT_S,
    ):
        self.settings, self.context = settings, context
        self.retry_delays, self.open_timeout = tuple(retry_delays), open_timeout
        self.history = history_events(context.history, f"hist{secrets.token_hex(6)}")
        self.reader = TurnReader(ignored_ids=(event["item"]["id"] for event in self.history))
        self.connections = 0
        self.recording = False  # connected and reading the call's events
        self._task: asyncio.Task | None = None
        self._closed = False
        self._configured = False
        self.told_time_up = False

    async def open(self, remote_call_id: str, listener: CallListener, gone: Gone) -> None:
        """Start in the background: the call's answer never waits for the sideband."""
        if self._task is None and not self._closed:
            self._task = asyncio.ensure_future(self._run(remote_call_id, listener, gone))

    async def close(self) -> None:
        """Stop for good; safe from within ``gone`` (the run then ends by itself)."""
        self._closed = True
        task = self._task
        if task is None or task.done() or task is asyncio.current_task():
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self, call_id: str, listener: CallListener, gone: Gone) -> None:
        url = sideband_url(self.settings.openai_base_url, call_id)
        failures = 0
        while not self._closed:
            try:
                await self._connection(url, listener)
                reason = None if self._closed else "sideband_closed"  # the provider closed it cleanly
            except ProviderEnded as ended:
                reason = ended.reason
            except (ConnectionClosedError, InvalidHandshake, OSError, TimeoutError) as exc:
                if self.recording:  # a live connection dropped: this drop gets its own three tries
                    failures = 0
                self.recording = False
                if failures >= len(self.retry_delays):
                    self._lost(call_id, exc)
                    return
                log.info("sideband of call %s dropped (%s); try %d", call_id, exc, failures + 1)
                await asyncio.sleep(self.retry_delays[failures])
                failures += 1
                continue
            except Exception as exc:  # a bug here must never take the call down
                log.exception("sideband of call %s failed", call_id)
                sentry_sdk.capture_exception(exc)
                return
            self.recording = False
            if reason is not None:
                log.info("call %s ended at the provider: %s", call_id, reason)
                try:
                    await gone(reason)
                except Exception as exc:
                    log.exception("sideband: ending call %s failed", call_id)
                    sentry_sdk.capture_exception(exc)
            return

    async def _connection(self, url: str, listener: CallListener) -> None:
        """One connection: set the call up (first time only), then read until it closes."""
        headers = {"Authorization": f"Bearer {self.settings.openai_api_key}"}
        async with connect(
            url, additional_headers=headers, open_timeout=self.open_timeout, max_size=MAX_MESSAGE_BYTES
        ) as socket:
            self.connections += 1
            if not self._configured:  # once per call: the provider keeps the session across reconnects
                await self._set_up(socket)
                self._configured = True
            self.recording = True
            clock = asyncio.ensure_future(self._tell_time_up(socket))
            try:
                async for message in socket:
                    await self._handle(message, listener)
            finally:
                clock.cancel()

    async def _tell_time_up(self, socket: ClientConnection) -> None:
        """Once per call, when the plan's time is up (at once for a call resumed after it)."""
        at = self.context.time_up_at
        if at is None or self.told_time_up:
            return
        await asyncio.sleep(max(0.0, (at - utcnow()).total_seconds()))
        with contextlib.suppress(ConnectionClosed, OSError):
            await socket.send(json.dumps(time_up_event()))
            self.told_time_up = True

    async def _set_up(self, socket: ClientConnection) -> None:
        await socket.send(json.dumps(session_update(self.settings, self.context)))
        for event in self.history:
            await socket.send(json.dumps(event))

    async def _handle(self, message: str | bytes, listener: CallListener) -> None:
        try:
            event = json.loads(message)
        except ValueError:
            log.warning("sideband: a message that is not JSON was ignored")
            return
        if not isinstance(event, dict):
            return
        kind = event.get("type")
        if kind == "session.closed":
            raise ProviderEnded("provider_ended")
        if kind == "error":
            error = event.get("error")
            error = error if isinstance(error, dict) else {}
            if error.get("code") in ENDING_ERRORS:
                raise ProviderEnded("provider_error")
            log.warning("sideband: the provider reported %s: %s", error.get("code"), error.get("message"))
            sentry_sdk.capture_message(f"realtime provider error {error.get('code')}", level="warning")
            return
        for turn in self.reader.read(event):
            try:
                await listener.turn(turn)
            except Exception as exc:  # the journal is best effort already; anything else is a bug
                log.exception("sideband: turn %s was not stored", turn.id)
                sentry_sdk.capture_exception(exc)

    def _lost(self, call_id: str, exc: BaseException) -> None:
        """The tries ran out: stop recording, and say so (the page's turns keep the record)."""
        log.warning(
            "sideband of call %s lost after %d tries (%s): turns are no longer recorded",
            call_id,
            len(self.retry_delays),
            exc,
        )
        sentry_sdk.capture_message(f"realtime sideband lost: {type(exc).__name__}", level="warning")
