"""``InterviewState``: the one state class that owns the interview phase.

Phases: ``idle`` → ``starting`` (session registered through the API) → ``connecting`` (the
WebRTC call is placed by the ``InterviewCall`` component) → ``live`` ⇄ ``reconnecting`` →
``ended``; ``error`` when the candidate must act. When the API is unreachable or fails (5xx) the
interview goes on in offline mode with an offline token minted here, in the backend, without the
database; the transcript is kept and reconciled once the API answers again.

Decisions:

* Every lifecycle call (start-session, transcript, heartbeat, end) leaves from this backend state
  through ``api_client``, so the candidate token never travels further than the page's own server.
  The browser makes one kind of call itself: it signals the WebRTC call (offer and hang-up) with
  the call token (a session or offline token, never the candidate token).
* The candidate token is read once from the invite link, kept in the tab's sessionStorage
  (``candidate_token``) and removed from the address bar, so a refresh still works.
* A refresh mid-call keeps this state (Reflex keys it by the tab) but kills the call: the
  component's device report after a fresh mount is the signal to offer Resume. The interview
  this tab holds (its session and token, or its offline grant, the transcript, what is still
  unsent, the end) survives the refresh, so an offline interview is never lost to it; only what
  the page shows is reset. A new application in the tab, and only that, drops it.
* The tab's *saved session* (sessionStorage: id, token, expiry) outlives this state. When this
  state was lost (a backend restart without Redis), the saved session, once its token verifies,
  names the session again: Resume then goes on in that session even while the API is down.
* Call tokens are renewed through start-session before they expire; the component reads the
  newest one whenever it places the call again, so a long interview can still reconnect.
* Heartbeats, transcript batches and offline reconciliation run in one background task
  (:meth:`InterviewState.sync_with_api`), started with the call; it never blocks the candidate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, TypedDict, get_args

import reflex as rx

from interview_app import observability
from interview_app.api import paths
from interview_app.config import get_settings
from interview_app.domain import errors, offline, tokens
from interview_app.domain.clock import utcnow
from interview_app.domain.device import USER_AGENT_MAX_CHARS, is_header_safe
from interview_app.domain.model import END_REASONS, ApplicationStatus
from interview_app.domain.rules import MAX_TRANSCRIPT_ITEMS
from interview_app.realtime import script
from interview_app.storage import offline_grants
from interview_app.ui import api_client, completion, feed, kept, rate_limit
from interview_app.ui.completion import ScoreLine
from interview_app.ui.feed import FeedItem, Turn
from interview_app.ui.sync import (
    Backoff,
    Dropped,
    SyncJob,
    SyncResult,
    api_base_url,
    backend_api_url,
    candidate_address,
    start_or_reuse,
)
from interview_app.ui.words import (
    INVALID_LINK_MESSAGE,
    NOT_YOURS_MESSAGE,
    SUBMITTED_MESSAGE,
    refusal_message,
    unsaved_note,
)

log = logging.getLogger(__name__)

Phase = Literal["idle", "starting", "connecting", "live", "reconnecting", "ended", "error"]
MicState = Literal["checking", "ready", "denied", "unavailable"]
PreviewStatus = Literal["unknown", ApplicationStatus]  # the API's statuses, or not known yet
CALL_PHASES: tuple[Phase, ...] = ("connecting", "live", "reconnecting")

TRANSCRIPT_DELTAS = {"response.output_audio_transcript.delta", "response.audio_transcript.delta"}
TRANSCRIPT_DONE = {"response.output_audio_transcript.done", "response.audio_transcript.done"}
CANDIDATE_TRANSCRIBED = "conversation.item.input_audio_transcription.completed"

HEARTBEAT_EVERY_S = 30
TOKEN_REFRESH_BEFORE = timedelta(minutes=5)  # or a third of the token's life, when that is shorter
MIN_CALL_TOKEN_LIFE = timedelta(minutes=1)  # a kept session token worth placing a call with
RETRY_AFTER_OUTAGE_S = 30  # also the offline interview's reconciliation period
SYNC_TICK_S = 1.0


class DeviceReport(TypedDict, total=False):
    """What the component reports once it has checked the devices (untrusted, like any event)."""

    userAgent: str
    deviceType: str
    networkQuality: str | None
    tzOffset: int
    mic: MicState
    message: str


class SavedSession(TypedDict, total=False):
    """The tab's saved session (sessionStorage) under ``key`` (untrusted, like any event)."""

    key: str
    value: str | None


class CallEvent(TypedDict, total=False):
    """The component's digest of one ``oai-events`` message (untrusted, like any event)."""

    type: str
    id: str | None
    delta: str
    transcript: str
    message: str
    startMs: int
    endMs: int


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class InterviewState(rx.State):
    if TYPE_CHECKING:
        application_id: str  # the dynamic route arg of /interview/[application_id], added by Reflex

    phase: Phase = "idle"
    mic: MicState = "checking"
    mic_message: str = ""
    offline: bool = False
    back_online: bool = False
    error_message: str = ""
    retryable: bool = False
    listening: bool = False
    speaking: bool = False
    closing_heard: bool = False
    confirming_end: bool = False
    session_id: str = ""
    call_token: str = ""
    started_at: str = ""
    job_title: str = ""
    candidate_name: str = ""
    application_status: PreviewStatus = "unknown"
    resumable: bool = False
    feed: list[FeedItem] = []
    submitted: bool = False
    duration_label: str = ""
    answered: int = 0
    final_score: str = ""
    score_lines: list[ScoreLine] = []
    saved_session: str = ""  # JSON the component keeps in sessionStorage under ``saved_session_key``
    hide_token: bool = False  # the component takes the token out of the address bar
    candidate_token: str = rx.SessionStorage("", name="interview_candidate_token")
    token_application: str = rx.SessionStorage("", name="interview_candidate_application")
    _device: dict = {}
    _offline_grants: list[datetime] = []
    _tz_offset_min: int = 0
    _api_session_id: str = ""
    _api_token: str = ""
    _api_expires_at: str = ""
    _api_refresh_at: str = ""
    _interview_application: str = ""  # whose interview the fields from session_id on hold
    _transcript: dict[str, Turn] = {}
    _unsent: list[str] = []
    _speech_starts: dict[str, int] = {}
    _end_reason: str = ""
    _end_pending: bool = False
    _sync_id: str = ""
    _offline_grant: str = ""  # the offline call token of the interview run offline, until it is reconciled
    _unstorable: bool = False  # the API refused this interview for good (reported): nothing more to send
    kept_interview: str = ""  # JSON the component keeps in localStorage under ``kept_interview_key``
    unsaved_answers: int = 0  # turns the API refused for good: the page says so
    unsaved_turns: int = 0

    @rx.var
    def saved_session_key(self) -> str:
        """The browser's sessionStorage key for this application's session (kept for a resume)."""
        return f"interview:{self.application_id}"

    @rx.var
    def kept_interview_key(self) -> str:
        """The browser's localStorage key for what the API does not have yet (see :mod:`kept`)."""
        return kept.key(self.application_id)

    @rx.var
    def unsaved_note(self) -> str:
        """What the candidate reads when turns could not be saved (``1 answer could not be saved``)."""
        return unsaved_note(self.unsaved_answers, self.unsaved_turns)

    @rx.var
    def can_start(self) -> bool:
        """Start is enabled once the microphone works, and only once per attempt."""
        if self.mic != "ready" or self.application_status == "completed":
            return False
        return self.phase == "idle" or (self.phase == "error" and self.retryable)

    @rx.var
    def signaling_url(self) -> str:
        """Where the browser posts its offer: the page's own origin in prod (one port serves
        everything), the backend's URL in dev (its own port), or ``INTERVIEW_API_URL``."""
        settings = get_settings()
        if settings.prod and not settings.api_url:
            return paths.REALTIME_CALLS
        return api_base_url() + paths.REALTIME_CALLS

    @rx.var
    def in_call(self) -> bool:
        """The component keeps the call up exactly while this holds."""
        return self.phase in CALL_PHASES

    @rx.var
    def released(self) -> bool:
        """After the end the component stops every camera and microphone track."""
        return self.phase == "ended"

    @rx.var
    def current_question(self) -> str:
        """The interviewer's latest turn, shown above the fold on a phone."""
        return next((item["text"] for item in reversed(self.feed) if item["kind"] == "interviewer"), "")

    @rx.var
    def has_turns(self) -> bool:
        return bool(self.feed)

    @rx.var
    def feed_version(self) -> str:
        """Changes with every new turn or longer text: the feed scrolls to its end on it."""
        return f"{len(self.feed)}:{len(self.feed[-1]['text'])}" if self.feed else "0"

    @rx.var
    def page_title(self) -> str:
        return f"Interview: {self.job_title}" if self.job_title else "Your interview"

    def _now_label(self, at: datetime | None = None) -> str:
        return ((at or utcnow()) + timedelta(minutes=self._tz_offset_min)).strftime("%H:%M:%S")

    def _post(self, kind: feed.FeedKind, text: str, item_id: str | None = None, at: datetime | None = None) -> None:
        self.feed = feed.upsert(
            self.feed, {"id": item_id or uuid.uuid4().hex, "time": self._now_label(at), "kind": kind, "text": text}
        )

    def _reset_view(self) -> None:
        """A fresh page: the phase and what it shows, not the interview this tab holds."""
        self.phase, self.error_message, self.retryable = "idle", "", False
        self.job_title = self.candidate_name = ""
        self.listening = self.speaking = self.closing_heard = self.confirming_end = self.resumable = False
        self.application_status, self.feed, self.submitted = "unknown", [], False
        self.duration_label, self.answered, self.final_score, self.score_lines = "", 0, "", []
        self.hide_token = False

    def _hold_interview_of(self, application_id: str) -> None:
        """From now on this tab's interview is ``application_id``'s: another application's is dropped."""
        if self._interview_application == application_id:
            return
        if self._unsent or self._end_pending:  # rare: two applications' interviews in one tab
            log.warning("dropping %d unsent turns of application %s", len(self._unsent), self._interview_application)
        self._interview_application, self.offline, self.back_online = application_id, False, False
        self.session_id = self.call_token = self.started_at = self.saved_session = ""
        self._api_session_id = self._api_token = self._api_expires_at = self._api_refresh_at = ""
        self._end_reason, self._end_pending, self._sync_id = "", False, ""
        self._offline_grant, self._unstorable, self.unsaved_answers, self.unsaved_turns = "", False, 0, 0
        self.kept_interview = ""
        self._transcript, self._unsent, self._speech_starts = {}, [], {}

    def _offline_only(self) -> bool:
        """An interview run offline that no session holds yet: its reconciliation presents its grant."""
        return (self.offline or bool(self._offline_grant)) and not self._api_token

    def _keep(self) -> None:
        """Hand the component what the API does not have yet, for the browser's localStorage."""
        turns = [self._transcript[i] for i in self._unsent if i in self._transcript]
        grant = self._offline_grant if self._offline_only() and not self._unstorable else ""
        value = kept.encode([] if self._unstorable else turns, grant, self.started_at)
        if value != kept.NOTHING or self.kept_interview:  # never wrote anything: nothing to remove either
            self.kept_interview = value

    def _holds_interview(self) -> bool:
        """This tab began (or, from its saved session, knows) an interview of this application."""
        return self._interview_application == self.application_id and bool(
            self._api_session_id or self._transcript or self.offline
        )

    @rx.event
    async def load(self):
        """A fresh page for each visit: the preview (job, status, Resume) before Start.

        The interview this tab holds survives: Resume goes on with it (its turns are shown at
        once), and one this tab ended stays submitted whatever the API says.
        """
        if self.phase == "starting" or self.in_call:  # a websocket reconnect re-runs on_load mid-call
            return
        self._hold_interview_of(self.application_id)
        self._reset_view()
        query_token = self.router.url.query_parameters.get("token")
        if query_token is not None:
            self.candidate_token, self.token_application = query_token, self.application_id
            self.hide_token = True  # done by the component: rx.call_script needs eval, which the CSP refuses
            yield
        elif self.token_application != self.application_id:
            self.candidate_token = ""
        await self._load_preview()
        if self._end_reason:  # this tab ended it: submitted whatever the API says, and nothing starts again
            self.phase, self.application_status, self.error_message = "ended", "completed", SUBMITTED_MESSAGE
        elif self._holds_interview():
            self._show_transcript(self._transcript.values())
            self.resumable = self.application_status != "completed"

    async def _load_preview(self) -> None:
        """Only a 200 changes the page: any refusal is explained when the candidate clicks Start."""
        token = self.candidate_token or None
        if not is_header_safe(token):
            return
        outcome = await api_client.get_application(backend_api_url(), self.application_id, candidate_token=token)
        if not isinstance(outcome, api_client.Answered):
            return
        body = outcome.body
        self.job_title = feed.clip(body.get("jobTitle") or "")[:200]
        self.candidate_name = feed.clip(body.get("candidateName") or "")[:200]
        status = body.get("status")
        self.application_status = next((known for known in get_args(ApplicationStatus) if known == status), "unknown")
        self.resumable = isinstance(body.get("activeSession"), dict) and status != "completed"
        if status == "completed":
            self.error_message = SUBMITTED_MESSAGE

    @rx.event
    def set_device(self, report: DeviceReport):
        """The component's device check, sent once per mount."""
        if not isinstance(report, dict) or feed.too_large(report):
            return None
        self._device = {
            k: report.get(k) if isinstance(report.get(k), str) else None
            for k in ("userAgent", "deviceType", "networkQuality")
        }
        offset = report.get("tzOffset")
        self._tz_offset_min = offset if isinstance(offset, int) and abs(offset) <= 14 * 60 else 0
        mic = report.get("mic")
        self.mic = mic if mic in ("ready", "denied", "unavailable") else "unavailable"
        self.mic_message = feed.clip(report.get("message"))
        if self.phase == "starting" or self.in_call:  # a fresh mount mid-call: the page was reloaded
            self._keep_cut_turn()
            self.phase = "idle"
            return InterviewState.load
        return None

    @rx.event
    def recall_saved_session(self, saved: SavedSession):
        """This state was lost (a restart) but the tab kept its saved session: a token that
        verifies names that session again, and Resume goes on with it."""
        if not isinstance(saved, dict) or saved.get("key") != self.saved_session_key or feed.too_large(saved):
            return
        self._hold_interview_of(self.application_id)
        value = saved.get("value")
        if self._holds_interview() or self._end_reason or not isinstance(value, str):
            return
        try:
            copy = json.loads(value)
            token = copy["token"]
            claims = tokens.verify_session_token(get_settings().session_secret, token)
        except (ValueError, TypeError, KeyError, tokens.TokenError):
            return
        if claims["applicationId"] != self.application_id:
            return
        started = _parse_time(copy.get("startedAt"))  # only shown (the elapsed time), never trusted further
        if started is not None and started.tzinfo is not None and started <= utcnow():
            self.started_at = started.isoformat()
        expires_at = datetime.fromtimestamp(claims["exp"], UTC).isoformat()
        self._adopt_session(str(claims["sessionId"]), token, expires_at)
        self.resumable = self.application_status != "completed"

    @rx.event
    def recall_kept_interview(self, copy: kept.KeptCopy):
        """The same link opened again (another day too): what the API did not have when a tab closed
        is sent now, and an offline interview is reconciled with its grant."""
        if not isinstance(copy, dict) or copy.get("key") != self.kept_interview_key:
            return None
        found = kept.decode(copy.get("value"))
        self._hold_interview_of(self.application_id)
        if found is None or self._end_reason or self._unstorable:
            return None
        adopt_grant = bool(found.grant) and not (self._api_token or self._offline_grant)
        new_turns = [turn for turn in found.turns if turn["id"] not in self._transcript]
        if not (new_turns or adopt_grant):
            return None  # this state holds all of it (a refresh)
        if adopt_grant:
            self._offline_grant = found.grant
            started = _parse_time(found.started_at)  # only shown (the elapsed time), never trusted further
            if not self.started_at and started is not None and started.tzinfo is not None and started <= utcnow():
                self.started_at = started.isoformat()
        for turn in new_turns:
            self._record(turn)
        self._keep()
        if self.in_call:
            return None  # the running sync sends them
        self._show_transcript(self._transcript.values())
        self.resumable = self.application_status != "completed"
        return InterviewState.sync_with_api

    @rx.event
    async def start(self):
        """Start, Resume or Try again: register (or reuse) the session, then let the component call."""
        if not self.can_start:
            return
        self.phase, self.error_message, self.retryable = "starting", "", False
        yield
        candidate_token = self.candidate_token or None
        user_agent = self._device.get("userAgent") or self.router.headers.user_agent
        if not (is_header_safe(candidate_token) and is_header_safe(user_agent)):
            self._refuse(INVALID_LINK_MESSAGE)
            return
        offline_interview = self._offline_only()
        outcome = await start_or_reuse(
            backend_api_url(),
            self.application_id,
            offline_grant=self._offline_grant if offline_interview else None,
            candidate_token=candidate_token,
            metadata=self._metadata(offline_interview),
            user_agent=user_agent,
            client_ip=candidate_address(self.router.headers.raw_headers, self.router.session.client_ip or None),
        )
        if isinstance(outcome, api_client.Refused):
            self._refuse(refusal_message(outcome), retryable=outcome.status == 429)
            return
        if isinstance(outcome, api_client.Invalid):
            self._refuse(INVALID_LINK_MESSAGE)
            return
        if isinstance(outcome, api_client.Started):
            self._accept_session(outcome)
            yield
            if outcome.reused or self._transcript:
                await self._refill_feed()
        elif not self._go_offline(outcome, candidate_token):
            return
        self._save_session()  # with the interview's start, known by now
        self.phase = "connecting"
        yield InterviewState.sync_with_api

    def _metadata(self, offline_interview: bool = False) -> dict:
        metadata = {k: v for k, v in self._device.items() if v}
        if "userAgent" in metadata:
            metadata["userAgent"] = metadata["userAgent"][:USER_AGENT_MAX_CHARS]
        if offline_interview:
            metadata["offline"] = True
            if self.started_at:  # ignored by an API that takes the start from the grant (contracts.md item 1)
                metadata["startedAt"] = self.started_at
        return metadata

    def _accept_session(self, outcome: api_client.Started) -> None:
        """Keep the session for the call and the lifecycle calls (and the saved session)."""
        body = outcome.body
        self._adopt_session(str(body.get("sessionId", "")), str(body.get("token", "")), str(body.get("expiresAt", "")))
        self._offline_grant = ""  # an offline interview's turns go to this session now
        application = body.get("application") or {}
        self.job_title = feed.clip(application.get("jobTitle") or self.job_title)[:200]
        self.candidate_name = feed.clip(application.get("candidateName") or self.candidate_name)[:200]
        self.started_at = self.started_at or utcnow().isoformat()
        if not (outcome.reused or self._transcript):
            self._post("system", "Session started")

    def _adopt_session(self, session_id: str, token: str, expires_at: str) -> None:
        """The interview's session and its newest token, from start-session (or the tab's saved session).

        A session other than the one known so far (an offline interview's first, or a new one after
        the old went stale) is sent everything kept. The token becomes the call token at once: the
        component uses it the next time it places the call, without dropping the live one.
        """
        if session_id != self._api_session_id:
            self._unsent = list(self._transcript)
        self.session_id = self._api_session_id = session_id
        self.call_token = self._api_token = token
        self._api_expires_at = expires_at
        expires, now = _parse_time(expires_at), utcnow()
        renew_before = min(TOKEN_REFRESH_BEFORE, (expires - now) / 3) if expires else timedelta(0)
        self._api_refresh_at = (expires - renew_before).isoformat() if expires else ""
        self._save_session()
        self._keep()

    def _save_session(self) -> None:
        """The tab's saved session (sessionStorage), for a Resume after this state is lost."""
        if self._api_token and not self._end_reason:  # an ended interview leaves nothing to resume
            copy = {"sessionId": self._api_session_id, "token": self._api_token, "expiresAt": self._api_expires_at}
            self.saved_session = json.dumps({**copy, "startedAt": self.started_at})

    async def _refill_feed(self) -> None:
        """A resumed session: the feed comes back from the stored transcript and what this tab still
        holds (not sent yet, or said offline), the clock from ``startedAt``."""
        outcome = await api_client.get_session(backend_api_url(), self._api_session_id, session_token=self._api_token)
        stored: list = []
        if isinstance(outcome, api_client.Answered):
            started = _parse_time(outcome.body.get("startedAt"))
            if started is not None:
                self.started_at = started.isoformat()
            stored = outcome.body.get("transcript") or []
        turns = {item["id"]: item for item in stored if isinstance(item, dict) and isinstance(item.get("id"), str)}
        self._show_transcript({**turns, **self._transcript}.values())
        self._post("system", "Session resumed")

    def _show_transcript(self, items: Iterable[Mapping]) -> None:
        """The feed as these turns, in the order they were said (the newest :data:`feed.MAX_ITEMS`)."""

        def said_at(item: Mapping) -> datetime:
            at = _parse_time(item.get("at"))
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
        self._post(role, text, item_id=item["id"], at=_parse_time(item.get("at")))

    def _refuse(self, message: str, retryable: bool = False) -> None:
        self.phase, self.error_message, self.retryable = "error", message, retryable

    def _go_offline(self, outage: api_client.Unavailable, candidate_token: str | None) -> bool:
        """The API is down: go on in the session this tab holds while its token lasts, or else with an
        offline call token if the offline rule allows one; otherwise explain why not."""
        now = utcnow()
        fields = {"applicationId": self.application_id, "reason": outage.reason, "status": outage.status}
        observability.track(observability.SESSION_API_FAILED, fields)
        held = self._lasting_call_token(now)
        if held:  # its session's (the turns go to that session once the API is back), or its offline grant's
            self.call_token = held
        elif self._grant_offline_token(candidate_token, now):
            # presented with the reconciliation (contracts.md item 1); one kept from an earlier visit comes first
            self._offline_grant = self._offline_grant or self.call_token
            observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": self.application_id})
        else:
            return False
        self.offline = True
        self.started_at = self.started_at or now.isoformat()
        self._keep()  # the grant, before any turn: a closed tab still leaves an interview to reconcile
        self._post("system", "Running in offline mode: your interview continues")
        return True

    def _lasting_call_token(self, now: datetime) -> str:
        """A call token this tab holds for this application with a minute left at least: its session's
        first, else its offline grant's (a refresh does not use up another grant)."""
        secret = get_settings().session_secret
        for token in (self._api_token, self.call_token):
            try:
                grant = tokens.verify_call_token(secret, token)
            except tokens.TokenError:
                continue
            if (
                grant.application_id == self.application_id
                and grant.expires_at - now.timestamp() >= MIN_CALL_TOKEN_LIFE.total_seconds()
            ):
                return token
        return ""

    def _grant_offline_token(self, candidate_token: str | None, now: datetime) -> bool:
        settings = get_settings()
        try:
            identity = offline.authorize_offline(
                candidate_token, self.application_id, settings.candidate_secret, settings.require_auth
            )
            # Counted per (candidate, application) outside this tab, and per tab as before.
            ledger = offline_grants.grant_ledger(settings.redis_url)
            ledger.take(offline.grant_key(identity, self.application_id), now)
            self._offline_grants = offline.take_grant(self._offline_grants, now)
        except errors.RateLimitExceeded as exc:
            minutes = max(1, math.ceil(exc.retry_after_seconds / 60))
            self._refuse(
                f"We can't reach the interview service right now. Please try again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}.",
                retryable=True,
            )
            return False
        except errors.DomainError:
            self._refuse(NOT_YOURS_MESSAGE)
            return False
        self.call_token, _ = tokens.mint_offline_token(settings.session_secret, self.application_id, now)
        return True

    @rx.event
    def call_status(self, status: str):
        if status == "connected" and self.phase in ("connecting", "reconnecting"):
            self._post("system", "Connected to your interviewer" if self.phase == "connecting" else "Reconnected")
            self.phase = "live"
        elif status == "reconnecting" and self.phase in ("connecting", "live"):
            self._keep_cut_turn()
            self.phase, self.listening, self.speaking = "reconnecting", False, False

    @rx.event
    def call_event(self, event: CallEvent):
        """One interviewer event: ignored unless a call is up, when larger than 8 KiB, and past the
        connection's rate limit (``ui/rate_limit.py``)."""
        if not rate_limit.call_events.allow(self.router.session.client_token):
            return
        if not self.in_call or not isinstance(event, dict) or feed.too_large(event):
            return
        kind, item_id = event.get("type"), event.get("id")
        item_id = item_id if isinstance(item_id, str) and 0 < len(item_id) <= 64 else "turn"
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
        elif kind == "error":
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
        """Keep the turn for the transcript API (upsert by id); the sync sends it in batches."""
        if item["id"] not in self._transcript and len(self._transcript) >= MAX_TRANSCRIPT_ITEMS:
            return
        self._transcript = {**self._transcript, item["id"]: item}
        if item["id"] not in self._unsent:
            self._unsent = [*self._unsent, item["id"]]
        self._keep()

    @rx.event
    def call_error(self, message: str):
        """The component gave up on the call (after its reconnect attempts): Try again resumes."""
        if not self.in_call:
            return
        self._keep_cut_turn()
        self.phase, self.retryable, self.listening, self.speaking = "error", True, False, False
        self.error_message = feed.clip(message) or "The call could not be started."

    @rx.event
    def ask_end(self):
        if self.in_call:
            self.confirming_end = True

    @rx.event
    def cancel_end(self):
        self.confirming_end = False

    @rx.event
    def end_interview(self, reason: str = "candidate_ended"):
        """End for good: hang up and release the devices at once, then say thank you.

        The API hears about it from the sync a moment later (transcript first, then end), so a
        slow or absent API never keeps the candidate waiting.
        """
        if reason not in END_REASONS or not self.in_call:
            return None
        self._keep_cut_turn()
        self.phase, self.confirming_end, self.listening, self.speaking = "ended", False, False, False
        self._end_reason, self._end_pending, self.saved_session = reason, True, ""
        self.application_status = "completed"  # for this tab it is: its interview page starts nothing again
        self.submitted, self.duration_label = True, self._elapsed_label()
        self.answered = self._answers_kept()
        return [InterviewState.sync_with_api, rx.redirect(f"/interview/{self.application_id}/complete")]

    def _answers_kept(self) -> int:
        return sum(1 for item in self._transcript.values() if item["role"] == "candidate")

    def _elapsed_label(self) -> str:
        started = _parse_time(self.started_at)
        return feed.mm_ss((utcnow() - started).total_seconds()) if started else ""

    @rx.event(background=True)
    async def sync_with_api(self):
        """Heartbeats every 30 s, transcript batches, the end, offline reconciliation: one sync at a time.

        The work is planned under the state lock, done over HTTP without it (so the candidate's
        own events never wait on the API), and its result applied under the lock again.
        """
        async with self:
            sync_id = self._sync_id = uuid.uuid4().hex
            # An offline interview without a session yet: the first reconciliation 30 s in, or at once
            # when the candidate has just ended. With a session, at once (an outage then waits 30 s).
            offline_only = self.offline and not self._api_token and not self._end_pending
            quiet_until = time.monotonic() + (RETRY_AFTER_OUTAGE_S if offline_only else 0)
        last_beat, backoff = time.monotonic(), Backoff()
        while True:
            await asyncio.sleep(SYNC_TICK_S)
            now = time.monotonic()
            async with self:
                if self._sync_id != sync_id or not (self.in_call or self._end_pending or self._unsent):
                    return
                job = None if now < quiet_until else self._plan(heartbeat=now - last_beat >= HEARTBEAT_EVERY_S)
            if job is None:
                continue
            if job.heartbeat:
                last_beat = now
            result = await job.run()
            if result.retry:  # the API is down, busy or asks us to wait: again after a back-off, never given up
                quiet_until = time.monotonic() + backoff.next_delay(result.retry_after)
            else:
                backoff.reset()
            async with self:
                if self._sync_id == sync_id:
                    self._apply(result, job)

    def _plan(self, heartbeat: bool) -> SyncJob | None:
        if self.application_id != self._interview_application or self._unstorable:
            return None  # another application's page has just opened, or the API refused this interview
        offline_only = self._offline_only()
        items = [self._transcript[i] for i in (list(self._transcript) if offline_only else self._unsent)]
        end_reason = self._end_reason if self._end_pending and not self.in_call else ""
        # A session token lives ``INTERVIEW_SESSION_TOKEN_SECONDS``: a start-session (which reuses the
        # session) gets a fresh one, and the heartbeat presents it, so a long interview's call outlives
        # the first token. Whatever is still to be sent (turns, the end) needs a valid token too, or it
        # would be refused. Turns kept from an earlier visit (localStorage) need a session first.
        refresh = not offline_only and (self._token_expiring() or not self._api_token)
        heartbeat = (heartbeat or refresh) and self.in_call and not offline_only
        if not (offline_only or items or heartbeat or end_reason):
            return None
        start = None
        if offline_only or refresh:
            user_agent = self._device.get("userAgent") or "interview-app"
            start = {
                "candidate_token": self.candidate_token or None,
                "metadata": self._metadata(offline_only),
                "user_agent": user_agent,
                "client_ip": candidate_address(self.router.headers.raw_headers, self.router.session.client_ip or None),
            }
        return SyncJob(
            base_url=backend_api_url(),
            offline_grant=self._offline_grant if offline_only else "",
            application_id=self.application_id,
            session_id=self._api_session_id,
            token=self._api_token,
            items=items,
            heartbeat=heartbeat,
            end_reason=end_reason,
            start=start,
        )

    def _token_expiring(self) -> bool:
        renew_at = _parse_time(self._api_refresh_at)
        return renew_at is not None and utcnow() >= renew_at

    def _apply(self, result: SyncResult, job: SyncJob) -> None:
        if result.token:
            self._adopt_session(result.session_id, result.token, result.expires_at)
            self._offline_grant = ""  # reconciled: the session holds the offline interview now
        # An item changed while its batch was in flight (a transcription after the answer) goes again.
        planned = {item["id"]: item for item in job.items}
        sent = {i for i in result.sent if self._transcript.get(i) == planned.get(i)}
        dropped = {d.item_id for d in result.dropped}
        self._unsent = [i for i in self._unsent if i not in sent and i not in dropped]
        if result.dropped:
            self._report_dropped(result.dropped)
        if result.dropped and not (result.token or job.session_id):  # refused for good: nowhere to go
            self._unstorable, self._end_pending, self._unsent = True, False, []
        if result.renew:
            self._api_refresh_at = utcnow().isoformat()  # a fresh token (or a new session) first, then again
        if result.token and self.phase in ("idle", "error"):  # a kept interview was sent: it can go on
            self.resumable = self.application_status != "completed"
        self._keep()
        if result.ended is not None:
            self._end_pending = False
            self._show_completion(result.ended)
        if self.offline and self._api_token and not (self._unsent or result.outage or self.back_online):
            self.back_online = True
            self._post("system", "Back online: your interview is saved")

    def _report_dropped(self, dropped: Iterable[Dropped]) -> None:
        """Truthful words on the page for turns the API refused for good (sync reported them already)."""
        for item in dropped:
            if item.role == "candidate":
                self.unsaved_answers += 1
            else:
                self.unsaved_turns += 1
        self._post("error", self.unsaved_note)

    @rx.event
    async def load_completion(self):
        """The completion screen: what the API stored, never a made-up score."""
        if self.phase == "ended":  # this tab ended it: the sync fills in what the API stores
            self.submitted, self.answered = True, self.answered or self._answers_kept()
            if not self._end_pending and self._api_token:
                outcome = await api_client.get_session(
                    backend_api_url(), self._api_session_id, session_token=self._api_token
                )
                if isinstance(outcome, api_client.Answered):
                    self._show_completion(outcome.body)
            return
        self._hold_interview_of(self.application_id)
        self._reset_view()  # a fresh tab on the completion link: only the application's status is known
        if self.token_application != self.application_id:
            self.candidate_token = ""
        await self._load_preview()
        self.submitted, self.error_message = self.application_status == "completed", ""

    def _show_completion(self, body: dict) -> None:
        shown = completion.summary(body)
        self.submitted = self.submitted or shown.completed
        if shown.duration_s is not None and not self.offline:  # offline: the server only saw the upload
            self.duration_label = feed.mm_ss(shown.duration_s)
        if shown.answered is not None:  # a refused end answers nothing: the count kept here stays
            self.answered = shown.answered
        self.final_score, self.score_lines = shown.final_score, shown.score_lines
