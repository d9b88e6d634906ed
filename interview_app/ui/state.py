"""``InterviewState``: the one state class that owns the interview phase.

Phases: ``idle`` → ``starting`` (session registered through the API) → ``connecting`` (the
WebRTC call is placed by the ``InterviewCall`` component) → ``live`` ⇄ ``reconnecting`` →
``ended``; ``error`` when the candidate must act. When the API is unreachable or fails (5xx) the
interview goes on in offline mode with an offline token minted here, in the backend, without the
database; the transcript is kept and reconciled once the API answers again.

Decisions:

* Every HTTP call leaves from this backend state through ``api_client`` (never from the browser),
  so the candidate token never travels further than the page's own server.
* The candidate token is read once from the invite link, kept in the tab's sessionStorage
  (``candidate_token``) and removed from the address bar, so a refresh still works.
* A refresh mid-call keeps this state (Reflex keys it by the tab) but kills the call: the
  component's device report after a fresh mount is the signal to offer Resume. The interview
  this tab holds (its session and token, or its offline grant, the transcript, what is still
  unsent, the end) survives the refresh, so an offline interview is never lost to it; only what
  the page shows is reset. A new application in the tab, and only that, drops it.
* The tab's sessionStorage keeps a copy of the session (id, token, expiry). When this state was
  lost (a backend restart without Redis), the copy, once its token verifies, names the session
  again: Resume then goes on in that session even while the API is down.
* Call tokens are renewed through start-session before they expire; the component reads the
  newest one whenever it places the call again, so a long interview can still reconnect.
* Heartbeats, transcript batches and offline reconciliation run in one background task
  (:meth:`InterviewState.pump`), started with the call; it never blocks the candidate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, TypedDict, get_args

import reflex as rx

from interview_app import observability
from interview_app.api import paths
from interview_app.api.schemas import MAX_TRANSCRIPT_BATCH
from interview_app.config import get_settings, local_backend_url
from interview_app.domain import errors, offline, tokens
from interview_app.domain.clock import utcnow
from interview_app.domain.device import USER_AGENT_MAX_CHARS, client_address, is_header_safe
from interview_app.domain.model import END_REASONS, ApplicationStatus
from interview_app.domain.rules import MAX_TRANSCRIPT_ITEMS
from interview_app.realtime import script
from interview_app.storage import offline_grants
from interview_app.ui import api_client, feed
from interview_app.ui.feed import FeedItem, TranscriptItem

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
PUMP_TICK_S = 1.0


class DeviceReport(TypedDict, total=False):
    """What the component reports once it has checked the devices (untrusted, like any event)."""

    userAgent: str
    deviceType: str
    networkQuality: str | None
    tzOffset: int
    mic: MicState
    message: str


class SavedCopy(TypedDict, total=False):
    """The tab's sessionStorage copy of the session under ``key`` (untrusted, like any event)."""

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


class ScoreLine(TypedDict):
    label: str
    value: str


INVALID_LINK_MESSAGE = "This interview link looks incomplete. Please open the link from your invitation again."
NOT_YOURS_MESSAGE = "This interview link isn't valid for you. Please open the link from your own invitation."
SUBMITTED_MESSAGE = "Interview already submitted. Thank you, there is nothing more to do."


def refusal_message(refused: api_client.Refused) -> str:
    """What the candidate reads for each refusal (the API's codes mapped to plain words)."""
    if refused.status == 404:
        return "We couldn't find this interview. Please check the link in your invitation."
    if refused.status == 400 and refused.code == "INVALID_APPLICATION":
        return SUBMITTED_MESSAGE
    if refused.status == 429:
        minutes = max(1, math.ceil((refused.retry_after_seconds or 60) / 60))
        return f"Too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}."
    if refused.status in (401, 403):
        return NOT_YOURS_MESSAGE
    return INVALID_LINK_MESSAGE


def api_base_url() -> str:
    """Where browsers reach the API in dev (the backend's own port), or ``INTERVIEW_API_URL``."""
    settings = get_settings()
    return settings.api_url or rx.config.get_config().api_url.rstrip("/")


def backend_api_url() -> str:
    """Where this backend calls start-session: ``INTERVIEW_API_URL``, else itself directly, never
    through the public URL's proxy (which would add a hop and hide the candidate's address)."""
    reflex_config = rx.config.get_config()
    return get_settings().api_url or local_backend_url(reflex_config.backend_host, reflex_config.backend_port)


def candidate_address(router_headers: Mapping[str, str], fallback: str | None) -> str | None:
    """The browser's address: ``X-Forwarded-For`` believed only from ``INTERVIEW_TRUSTED_PROXIES``."""
    peer = router_headers.get("asgi-scope-client") or fallback
    return client_address(peer, router_headers.get("x-forwarded-for"), get_settings().trusted_proxies)


def _number_label(value: object) -> str:
    """A stored score as the candidate reads it (``82``, ``7.5``); empty when there is none."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class SyncResult:
    sent: tuple[str, ...] = ()
    session_id: str = ""
    token: str = ""
    expires_at: str = ""
    ended: dict | None = None
    gave_up: bool = False
    outage: bool = False


@dataclass(frozen=True)
class SyncJob:
    """One round of the pump's HTTP work, planned from a snapshot of the state (no state access here)."""

    application_id: str
    session_id: str
    token: str
    items: list[TranscriptItem]
    heartbeat: bool
    end_reason: str
    start: dict | None  # start-session first: to create an offline interview's session, or for a fresh token

    async def run(self) -> SyncResult:
        base, session_id, token, expires_at = backend_api_url(), self.session_id, self.token, ""
        if self.start is not None:
            started = await api_client.start_session(base, self.application_id, **self.start)
            if isinstance(started, api_client.Started):
                session_id, token = str(started.body.get("sessionId", "")), str(started.body.get("token", ""))
                expires_at = str(started.body.get("expiresAt", ""))
            elif not self.session_id:  # offline so far, and still no session: nothing else can be sent
                refused = isinstance(started, api_client.Refused)
                return SyncResult(gave_up=refused, outage=not refused)
        fresh = (session_id, token, expires_at) if expires_at else ("", "", "")
        sent: list[str] = []
        for first in range(0, len(self.items), MAX_TRANSCRIPT_BATCH):
            batch = self.items[first : first + MAX_TRANSCRIPT_BATCH]
            outcome = await api_client.append_transcript(base, session_id, batch, session_token=token)
            if isinstance(outcome, api_client.Unavailable):
                return SyncResult(tuple(sent), *fresh, outage=True)
            sent.extend(item["id"] for item in batch)  # stored, or refused for good: a retry would not help
        if self.heartbeat and isinstance(
            await api_client.heartbeat(base, session_id, session_token=token), api_client.Unavailable
        ):
            return SyncResult(tuple(sent), *fresh, outage=True)
        if not self.end_reason:
            return SyncResult(tuple(sent), *fresh)
        ended = await api_client.end_session(base, session_id, self.end_reason, session_token=token)
        if isinstance(ended, api_client.Unavailable):
            return SyncResult(tuple(sent), *fresh, outage=True)
        if not isinstance(ended, api_client.Answered):  # refused: a retry would be refused too
            return SyncResult(tuple(sent), *fresh, ended={})
        stored = await api_client.get_session(base, session_id, session_token=token)
        body = stored.body if isinstance(stored, api_client.Answered) else ended.body
        return SyncResult(tuple(sent), *fresh, ended=body)


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
    stored_session: str = ""  # JSON the component keeps in sessionStorage under ``storage_key``
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
    _transcript: dict[str, TranscriptItem] = {}
    _unsent: list[str] = []
    _speech_starts: dict[str, int] = {}
    _end_reason: str = ""
    _end_pending: bool = False
    _pump_id: str = ""

    @rx.var
    def storage_key(self) -> str:
        """The browser's sessionStorage key for this application's session (kept for a resume)."""
        return f"interview:{self.application_id}"

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
        self.session_id = self.call_token = self.started_at = self.stored_session = ""
        self._api_session_id = self._api_token = self._api_expires_at = self._api_refresh_at = ""
        self._end_reason, self._end_pending, self._pump_id = "", False, ""
        self._transcript, self._unsent, self._speech_starts = {}, [], {}

    def _holds_interview(self) -> bool:
        """This tab began (or, from its sessionStorage copy, knows) an interview of this application."""
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
    def recall_session(self, saved: SavedCopy):
        """This state was lost (a restart) but the tab kept a copy of its session: a token that
        verifies names that session again, and Resume goes on with it."""
        if not isinstance(saved, dict) or saved.get("key") != self.storage_key or feed.too_large(saved):
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
        outcome = await api_client.start_session(
            backend_api_url(),
            self.application_id,
            candidate_token=candidate_token,
            metadata=self._metadata(offline_interview=self.offline and not self._api_token),
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
        self._save_copy()  # with the interview's start, known by now
        self.phase = "connecting"
        yield InterviewState.pump

    def _metadata(self, offline_interview: bool = False) -> dict:
        metadata = {k: v for k, v in self._device.items() if v}
        if "userAgent" in metadata:
            metadata["userAgent"] = metadata["userAgent"][:USER_AGENT_MAX_CHARS]
        if offline_interview:
            metadata["offline"] = True
            if self.started_at:  # so the stored duration is the interview's, not the reconciliation's
                metadata["startedAt"] = self.started_at
        return metadata

    def _accept_session(self, outcome: api_client.Started) -> None:
        """Keep the session for the call and the lifecycle calls (a copy goes to sessionStorage)."""
        body = outcome.body
        self._adopt_session(str(body.get("sessionId", "")), str(body.get("token", "")), str(body.get("expiresAt", "")))
        application = body.get("application") or {}
        self.job_title = feed.clip(application.get("jobTitle") or self.job_title)[:200]
        self.candidate_name = feed.clip(application.get("candidateName") or self.candidate_name)[:200]
        self.started_at = self.started_at or utcnow().isoformat()
        if not (outcome.reused or self._transcript):
            self._post("system", "Session started")

    def _adopt_session(self, session_id: str, token: str, expires_at: str) -> None:
        """The interview's session and its newest token, from start-session (or the tab's copy).

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
        self._save_copy()

    def _save_copy(self) -> None:
        """The tab's copy of its session (sessionStorage), for a Resume after this state is lost."""
        if self._api_token and not self._end_reason:  # an ended interview leaves nothing to resume
            copy = {"sessionId": self._api_session_id, "token": self._api_token, "expiresAt": self._api_expires_at}
            self.stored_session = json.dumps({**copy, "startedAt": self.started_at})

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
            observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": self.application_id})
        else:
            return False
        self.offline = True
        self.started_at = self.started_at or now.isoformat()
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
        """One interviewer event: ignored unless a call is up, and when larger than 8 KiB."""
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
        item: TranscriptItem = {"id": item_id, "role": "candidate", "text": text, "at": self._iso_now()}
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

    def _record(self, item: TranscriptItem) -> None:
        """Keep the turn for the transcript API (upsert by id); the pump sends it in batches."""
        if item["id"] not in self._transcript and len(self._transcript) >= MAX_TRANSCRIPT_ITEMS:
            return
        self._transcript = {**self._transcript, item["id"]: item}
        if item["id"] not in self._unsent:
            self._unsent = [*self._unsent, item["id"]]

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

        The API hears about it from the pump a moment later (transcript first, then end), so a
        slow or absent API never keeps the candidate waiting.
        """
        if reason not in END_REASONS or not self.in_call:
            return None
        self._keep_cut_turn()
        self.phase, self.confirming_end, self.listening, self.speaking = "ended", False, False, False
        self._end_reason, self._end_pending, self.stored_session = reason, True, ""
        self.application_status = "completed"  # for this tab it is: its interview page starts nothing again
        self.submitted, self.duration_label = True, self._elapsed_label()
        self.answered = self._answers_kept()
        return [InterviewState.pump, rx.redirect(f"/interview/{self.application_id}/complete")]

    def _answers_kept(self) -> int:
        return sum(1 for item in self._transcript.values() if item["role"] == "candidate")

    def _elapsed_label(self) -> str:
        started = _parse_time(self.started_at)
        return feed.mm_ss((utcnow() - started).total_seconds()) if started else ""

    @rx.event(background=True)
    async def pump(self):
        """Heartbeats every 30 s, transcript batches, the end, offline reconciliation: one pump at a time.

        The work is planned under the state lock, done over HTTP without it (so the candidate's
        own events never wait on the API), and its result applied under the lock again.
        """
        async with self:
            pump_id = self._pump_id = uuid.uuid4().hex
            # An offline interview without a session yet: the first reconciliation 30 s in, or at once
            # when the candidate has just ended. With a session, at once (an outage then waits 30 s).
            offline_only = self.offline and not self._api_token and not self._end_pending
            quiet_until = time.monotonic() + (RETRY_AFTER_OUTAGE_S if offline_only else 0)
        last_beat = time.monotonic()
        while True:
            await asyncio.sleep(PUMP_TICK_S)
            now = time.monotonic()
            async with self:
                if self._pump_id != pump_id or not (self.in_call or self._end_pending or self._unsent):
                    return
                job = None if now < quiet_until else self._plan(heartbeat=now - last_beat >= HEARTBEAT_EVERY_S)
            if job is None:
                continue
            if job.heartbeat:
                last_beat = now
            result = await job.run()
            if result.outage or (job.start is not None and not result.token):
                # the API is down, or refused a new token: leave it alone for a while, the candidate goes on
                quiet_until = time.monotonic() + RETRY_AFTER_OUTAGE_S
            async with self:
                if self._pump_id == pump_id:
                    self._apply(result, job)

    def _plan(self, heartbeat: bool) -> SyncJob | None:
        if self.application_id != self._interview_application:
            return None  # the tab has just opened another application: its load drops this interview
        offline_only = self.offline and not self._api_token
        items = [self._transcript[i] for i in (list(self._transcript) if offline_only else self._unsent)]
        end_reason = self._end_reason if self._end_pending and not self.in_call else ""
        # A session token lives 30 minutes: a start-session (which reuses the session) gets a fresh one,
        # and the heartbeat presents it, so a long interview's call outlives the first token.
        # Whatever is still to be sent (turns, the end) needs a valid token too, or it would be refused.
        refresh = not offline_only and self._token_expiring()
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
        # An item changed while its batch was in flight (a transcription after the answer) goes again.
        planned = {item["id"]: item for item in job.items}
        sent = {i for i in result.sent if self._transcript.get(i) == planned.get(i)}
        self._unsent = [i for i in self._unsent if i not in sent]
        if result.gave_up:
            self._end_pending, self._unsent = False, []
        if result.ended is not None:
            self._end_pending = False
            self._show_completion(result.ended)
        if self.offline and self._api_token and not (self._unsent or result.outage or self.back_online):
            self.back_online = True
            self._post("system", "Back online: your interview is saved")

    @rx.event
    async def load_completion(self):
        """The completion screen: what the API stored, never a made-up score."""
        if self.phase == "ended":  # this tab ended it: the pump fills in what the API stores
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
        self.submitted = self.submitted or body.get("status") == "completed"
        duration = body.get("duration")
        if isinstance(duration, int) and not self.offline:  # offline: the server only saw the upload
            self.duration_label = feed.mm_ss(duration)
        transcript = body.get("transcript")
        if isinstance(transcript, list):  # a refused end answers nothing: the count kept here stays
            self.answered = sum(1 for item in transcript if isinstance(item, dict) and item.get("role") == "candidate")
        score = body.get("finalScore")
        self.final_score = _number_label(score)
        breakdown = body.get("scoreBreakdown")
        if not (self.final_score and isinstance(breakdown, dict)):
            self.score_lines = []
            return
        self.score_lines = [
            {"label": feed.clip(str(k))[:80], "value": feed.clip(str(v))[:80]} for k, v in list(breakdown.items())[:20]
        ]
