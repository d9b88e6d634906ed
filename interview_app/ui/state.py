"""``InterviewState``: the one state class that owns the interview phase.

Phases: ``idle`` → ``starting`` (session registered through the API) → ``connecting`` (the
WebRTC call is placed by the ``InterviewCall`` component) → ``live`` → ``ended``; ``error``
when the candidate must act. When the API is unreachable or fails (5xx) the interview goes on
in offline mode with an offline token minted here, in the backend, without the database.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TypedDict
from urllib.parse import unquote

import reflex as rx

from interview_app import observability
from interview_app.config import get_settings, local_backend_url
from interview_app.domain import errors, offline, tokens
from interview_app.domain.device import USER_AGENT_MAX_CHARS, client_address, is_control_free
from interview_app.ui import api_client
from interview_app.domain.clock import utcnow

SIGNALING_PATH = "/api/interview/realtime/calls"
TRANSCRIPT_DELTAS = {"response.output_audio_transcript.delta", "response.audio_transcript.delta"}
TRANSCRIPT_DONE = {"response.output_audio_transcript.done", "response.audio_transcript.done"}


class FeedItem(TypedDict):
    id: str
    time: str
    kind: str  # system | interviewer | error
    text: str


INVALID_LINK_MESSAGE = "This interview link looks incomplete. Please open the link from your invitation again."
NOT_YOURS_MESSAGE = "This interview link isn't valid for you. Please open the link from your own invitation."


def refusal_message(refused: api_client.Refused) -> str:
    """What the candidate reads for each refusal (the API's codes mapped to plain words)."""
    if refused.status == 404:
        return "We couldn't find this interview. Please check the link in your invitation."
    if refused.status == 400 and refused.code == "INVALID_APPLICATION":
        return "Interview already submitted. Thank you, there is nothing more to do."
    if refused.status == 429:
        minutes = max(1, math.ceil((refused.retry_after_seconds or 60) / 60))
        return f"Too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}."
    if refused.status in (401, 403):
        return NOT_YOURS_MESSAGE
    return INVALID_LINK_MESSAGE


def _parse(raw: str) -> dict | None:
    """A JSON object sent by the component, or None for anything else."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


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


class InterviewState(rx.State):
    phase: str = "idle"
    mic: str = "checking"  # checking | ready | denied | unavailable
    mic_message: str = ""
    offline: bool = False
    error_message: str = ""
    retryable: bool = False
    listening: bool = False
    session_id: str = ""
    call_token: str = ""
    expires_at: str = ""
    stored_session: str = ""
    job_title: str = ""
    candidate_name: str = ""
    call_active: bool = False
    feed: list[FeedItem] = []
    _device: dict = {}
    _offline_grants: list[datetime] = []
    _tz_offset_min: int = 0

    @rx.var
    def application_id(self) -> str:
        """From the route ``/interview/[application_id]``."""
        return unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])

    @rx.var
    def storage_key(self) -> str:
        """The browser's sessionStorage key for this application's session (kept for a resume)."""
        return f"interview:{self.application_id}"

    @rx.var
    def can_start(self) -> bool:
        """Start is enabled once the microphone works, and only once per attempt."""
        return self.mic == "ready" and (self.phase == "idle" or (self.phase == "error" and self.retryable))

    @rx.var
    def signaling_url(self) -> str:
        """Where the browser posts its offer: the page's own origin in prod (one port serves
        everything), the backend's URL in dev (its own port), or ``INTERVIEW_API_URL``."""
        settings = get_settings()
        return SIGNALING_PATH if settings.prod and not settings.api_url else api_base_url() + SIGNALING_PATH

    @rx.var
    def in_call(self) -> bool:
        return self.phase in ("connecting", "live")

    def _now_label(self) -> str:
        return (utcnow() + timedelta(minutes=self._tz_offset_min)).strftime("%H:%M:%S")

    def _post(self, kind: str, text: str, item_id: str | None = None) -> None:
        self.feed.append({"id": item_id or uuid.uuid4().hex, "time": self._now_label(), "kind": kind, "text": text})

    @rx.event
    def load(self):
        """A fresh page for each visit (state survives client-side navigation otherwise)."""
        if self.phase == "starting" or self.in_call:
            return
        self.phase, self.offline, self.error_message, self.retryable = "idle", False, "", False
        self.session_id = self.call_token = self.expires_at = self.job_title = self.candidate_name = ""
        self.call_active, self.listening, self.feed = False, False, []

    def _finish(self) -> None:
        self.phase, self.call_active, self.listening = "ended", False, False
        self._post("system", "Interview ended. Thank you for your time.")

    @rx.event
    def set_device(self, raw: str):
        info = _parse(raw)
        if info is None:
            return
        self._device = {k: info.get(k) for k in ("userAgent", "deviceType", "networkQuality")}
        offset = info.get("tzOffset")
        self._tz_offset_min = offset if isinstance(offset, int) and abs(offset) <= 14 * 60 else 0
        self.mic = info.get("mic", "unavailable")
        self.mic_message = info.get("message", "")

    @rx.event
    async def start(self):
        """Register the session with the API, then let the component place the call."""
        if not self.can_start:
            return
        self.phase, self.error_message, self.retryable, self.offline = "starting", "", False, False
        yield
        candidate_token = self.router.url.query_parameters.get("token") or None
        user_agent = self._device.get("userAgent") or self.router.headers.user_agent
        if not (is_control_free(candidate_token) and is_control_free(user_agent)):
            self._refuse(INVALID_LINK_MESSAGE)
            return
        metadata = {k: v for k, v in self._device.items() if v}
        if "userAgent" in metadata:
            metadata["userAgent"] = metadata["userAgent"][:USER_AGENT_MAX_CHARS]
        outcome = await api_client.start_session(
            backend_api_url(), self.application_id, candidate_token=candidate_token, metadata=metadata,
            user_agent=user_agent,
            client_ip=candidate_address(self.router.headers.raw_headers, self.router.session.client_ip or None))
        if isinstance(outcome, api_client.Refused):
            self._refuse(refusal_message(outcome), retryable=outcome.status == 429)
            return
        if isinstance(outcome, api_client.Invalid):
            self._refuse(INVALID_LINK_MESSAGE)
            return
        if isinstance(outcome, api_client.Started):
            body = outcome.body
            self.session_id, self.call_token, self.expires_at = body["sessionId"], body["token"], body["expiresAt"]
            application = body.get("application") or {}
            self.job_title = application.get("jobTitle") or ""
            self.candidate_name = application.get("candidateName") or ""
            self._post("system", "Session resumed" if outcome.reused else "Session started")
            # Written to sessionStorage by the component: rx.call_script needs eval, which the CSP forbids.
            self.stored_session = json.dumps({"sessionId": self.session_id, "token": self.call_token,
                                              "expiresAt": self.expires_at})
        elif not self._go_offline(outcome, candidate_token):
            return
        self.phase, self.call_active = "connecting", True

    def _refuse(self, message: str, retryable: bool = False) -> None:
        self.phase, self.error_message, self.retryable = "error", message, retryable

    def _go_offline(self, outage: api_client.Unavailable, candidate_token: str | None) -> bool:
        """Mint an offline call token if the offline rule allows it; otherwise explain why not."""
        settings, now = get_settings(), utcnow()
        fields = {"applicationId": self.application_id, "reason": outage.reason, "status": outage.status}
        observability.track(observability.SESSION_API_FAILED, fields)
        try:
            offline.authorize_offline(candidate_token, self.application_id, settings.candidate_secret,
                                      settings.require_auth)
            self._offline_grants = offline.take_grant(self._offline_grants, now)
        except errors.RateLimitExceeded as exc:
            minutes = max(1, math.ceil(exc.retry_after_seconds / 60))
            self._refuse(f"We can't reach the interview service right now. Please try again in {minutes} "
                         f"minute{'s' if minutes != 1 else ''}.", retryable=True)
            return False
        except errors.DomainError:
            self._refuse(NOT_YOURS_MESSAGE)
            return False
        observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": self.application_id})
        self.offline = True
        self.call_token, _ = tokens.mint_offline_token(settings.session_secret, self.application_id, now)
        self._post("system", "Running in offline mode: your interview continues")
        return True

    @rx.event
    def call_status(self, status: str):
        if status == "connected" and self.phase == "connecting":
            self.phase = "live"
            self._post("system", "Connected to your interviewer")
        elif status == "ended" and self.in_call:
            self._finish()

    @rx.event
    def call_event(self, raw: str):
        event = _parse(raw)
        if event is None:
            return
        kind, turn_id = event.get("type", ""), event.get("id") or "turn"
        if kind == "response.created":
            self._post("interviewer", "", item_id=turn_id)
        elif kind in TRANSCRIPT_DELTAS or kind in TRANSCRIPT_DONE:
            index = next((i for i in range(len(self.feed) - 1, -1, -1) if self.feed[i]["id"] == turn_id), None)
            if index is None:
                self._post("interviewer", "", item_id=turn_id)
                index = len(self.feed) - 1
            text = self.feed[index]["text"]
            text = (event.get("transcript") or text) if kind in TRANSCRIPT_DONE else text + (event.get("delta") or "")
            self.feed[index] = {**self.feed[index], "text": text}  # item assignment: Reflex sees the change
        elif kind == "input_audio_buffer.speech_started":
            self.listening = True
        elif kind == "input_audio_buffer.speech_stopped":
            self.listening = False
        elif kind == "error":
            self._post("error", event.get("message") or "The interviewer reported an error.")

    @rx.event
    def call_error(self, message: str):
        if self.phase in ("ended",):
            return
        self.phase, self.call_active, self.retryable = "error", False, True
        self.error_message = message or "The call could not be started."

    @rx.event
    def end_interview(self):
        """Hang up: the component closes the call when ``call_active`` turns false."""
        if self.in_call:
            self._finish()
