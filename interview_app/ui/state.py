"""``InterviewState``: the interview's phase machine, the preview before Start, and the session.

Phases: ``idle`` → ``starting`` (session registered through the API) → ``connecting`` (the
WebRTC call is placed by the ``InterviewCall`` component) → ``live`` ⇄ ``reconnecting`` →
``ended``; ``error`` when the candidate must act. When the API is unreachable or fails (5xx) the
interview goes on in offline mode with an offline token minted here, in the backend, without the
database; the transcript is kept and reconciled once the API answers again.

One Reflex state, one job per module: the feed and transcript are ``TranscriptMixin``
(``transcript_state.py``), the sync is ``SyncMixin`` (``sync_state.py``), the credentials' rules
are plain functions (``credentials.py``), the component's reports are read in ``reports.py``, and
the completion screen's figures are ``CompletionState`` (``completion_state.py``).

Decisions:

* Every lifecycle call (start-session, transcript, heartbeat, end) leaves from this backend state
  through ``api_client``, so the candidate token never travels further than the page's own server.
  The browser makes one kind of call itself: it signals the WebRTC call (offer and hang-up) with
  the call token (a session or offline token, never the candidate token).
* A refresh mid-call keeps this state (Reflex keys it by the tab) but kills the call: the
  component's device report after a fresh mount is the signal to offer Resume. The interview
  this tab holds (its session and token, or its offline grant, the transcript, what is still
  unsent, the end) survives the refresh, so an offline interview is never lost to it; only what
  the page shows is reset. A new application in the tab, and only that, drops it.
* Call tokens are renewed through start-session before they expire; the component reads the
  newest one whenever it places the call again, so a long interview can still reconnect.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Literal, get_args

import reflex as rx

from interview_app import observability
from interview_app.api import paths
from interview_app.config import get_settings
from interview_app.domain import errors
from interview_app.domain.clock import utcnow
from interview_app.domain.device import is_header_safe
from interview_app.domain.model import END_REASONS, ApplicationStatus
from interview_app.ui import api_client, credentials, feed, kept, reports
from interview_app.ui.answer_state import AnswerMixin
from interview_app.ui.completion_state import CompletionState
from interview_app.ui.consent_state import ConsentMixin
from interview_app.ui.credentials import parse_time
from interview_app.ui.preview_state import PreviewMixin
from interview_app.ui.reports import DeviceReport, MicState, SavedSession
from interview_app.ui.sync import api_base_url, backend_api_url, candidate_address, start_or_reuse
from interview_app.ui.sync_state import SyncMixin
from interview_app.ui.transcript_state import TranscriptMixin
from interview_app.ui.words import (
    INVALID_LINK_MESSAGE,
    NOT_YOURS_MESSAGE,
    SUBMITTED_MESSAGE,
    offline_wait_message,
    refusal_message,
    says_submitted,
)

log = logging.getLogger(__name__)

Phase = Literal["idle", "starting", "connecting", "live", "reconnecting", "ended", "error"]
PreviewStatus = Literal["unknown", ApplicationStatus]  # the API's statuses, or not known yet
CALL_PHASES: tuple[Phase, ...] = ("connecting", "live", "reconnecting")


class InterviewState(PreviewMixin, ConsentMixin, TranscriptMixin, SyncMixin, AnswerMixin, rx.State):
    if TYPE_CHECKING:
        application_id: str  # the dynamic route arg of /interview/[application_id], added by Reflex

    phase: Phase = "idle"
    mic: MicState = "checking"
    mic_message: str = ""
    offline: bool = False
    back_online: bool = False
    error_message: str = ""
    retryable: bool = False
    confirming_end: bool = False
    session_id: str = ""
    call_token: str = ""
    started_at: str = ""
    job_title: str = ""
    candidate_name: str = ""
    application_status: PreviewStatus = "unknown"
    resumable: bool = False
    saved_session: str = ""  # JSON the component keeps in sessionStorage under ``saved_session_key``
    hide_token: bool = False  # the component takes the token out of the address bar
    candidate_token: str = rx.SessionStorage("", name="interview_candidate_token")
    token_application: str = rx.SessionStorage("", name="interview_candidate_application")
    _device: dict = {}
    _offline_grants: list[datetime] = []
    _api_session_id: str = ""
    _api_token: str = ""
    _api_expires_at: str = ""
    _api_refresh_at: str = ""
    _interview_application: str = ""  # whose interview the fields from session_id on hold
    _end_reason: str = ""
    _end_pending: bool = False
    _offline_grant: str = ""  # the offline call token of the interview run offline, until it is reconciled
    _ran_offline: bool = False  # its call runs (or ran) on an offline grant: nobody else records its turns
    _unstorable: bool = False  # the API refused this interview for good (reported): nothing more to send
    kept_interview: str = ""  # JSON the component keeps in localStorage under ``kept_interview_key``

    @rx.var
    def saved_session_key(self) -> str:
        """The browser's sessionStorage key for this application's session (kept for a resume)."""
        return credentials.saved_session_key(self.application_id)

    @rx.var
    def kept_interview_key(self) -> str:
        """The browser's localStorage key for what the API does not have yet (see :mod:`kept`)."""
        return kept.key(self.application_id)

    @rx.var
    def can_start(self) -> bool:
        """Start is enabled once the link is not known bad, the microphone works and the candidate agreed
        to the notice, and only once per attempt."""
        if self.mic != "ready" or self.application_status == "completed" or not self.consented or self._bad_link():
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
    def page_title(self) -> str:
        return f"Interview: {self.job_title}" if self.job_title else self.problem_title or "Your interview"

    async def _reset_view(self) -> None:
        """A fresh page: the phase and what it shows, not the interview this tab holds."""
        self.phase, self.error_message, self.retryable = "idle", "", False
        self.job_title = self.candidate_name = ""
        self.listening = self.speaking = self.closing_heard = self.confirming_end = self.resumable = False
        self.application_status, self.feed, self.hide_token = "unknown", [], False
        self.status_note = self.announcement = self.typed_answer = ""
        (await self.get_state(CompletionState))._clear()

    def _hold_interview_of(self, application_id: str) -> None:
        """From now on this tab's interview is ``application_id``'s: another application's is dropped."""
        if self._interview_application == application_id:
            return
        if self._interview_application:
            self._forget_consent()
        if self._unsent or self._end_pending:  # rare: two applications' interviews in one tab
            log.warning("dropping %d unsent turns of application %s", len(self._unsent), self._interview_application)
        self._interview_application, self.offline, self.back_online = application_id, False, False
        self.session_id = self.call_token = self.started_at = self.saved_session = ""
        self._api_session_id = self._api_token = self._api_expires_at = self._api_refresh_at = ""
        self._end_reason, self._end_pending, self._sync_id = "", False, ""
        self._offline_grant, self._unstorable, self.unsaved_answers, self.unsaved_turns = "", False, 0, 0
        self._ran_offline = False
        self.kept_interview = ""
        self._transcript, self._unsent, self._speech_starts = {}, [], {}

    def _offline_only(self) -> bool:
        """An interview run offline that no session holds yet: its reconciliation presents its grant."""
        return (self.offline or bool(self._offline_grant)) and not self._api_token

    def _posts_interviewer_turns(self) -> bool:
        """An offline interview: the page is the only record of its interviewer's turns (T5)."""
        return self._ran_offline or self._offline_only()

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
        await self._reset_view()
        query_token = self.router.url.query_parameters.get("token")
        if query_token is not None:
            self.candidate_token, self.token_application = query_token, self.application_id
        elif self.token_application != self.application_id:
            self.candidate_token = ""
        self._check_link(self.application_id, self.candidate_token)
        if query_token is not None:
            self.hide_token = True  # done by the component: rx.call_script needs eval, which the CSP refuses
            yield
        await self._load_preview()
        if self._end_reason:  # this tab ended it: submitted whatever the API says, and nothing starts again
            self.phase, self.application_status, self.error_message = "ended", "completed", SUBMITTED_MESSAGE
        elif self._holds_interview():
            self._show_transcript(self._transcript.values())
            self.resumable = self.application_status != "completed"

    async def _load_preview(self) -> dict | None:
        """The link's verdict, and the preview's body when it answered. A refusal is a bad link (the
        problem screen); an outage changes nothing (Start explains then, or the interview runs offline)."""
        token = self.candidate_token or None
        outcome = (
            await api_client.get_application(backend_api_url(), self.application_id, candidate_token=token)
            if is_header_safe(token)
            else api_client.Invalid(reason="token")
        )
        self._judge_link(self.application_id, self.candidate_token, outcome)
        if not isinstance(outcome, api_client.Answered):
            return None
        body = outcome.body
        self._read_notice(body)
        self.job_title = feed.clip(body.get("jobTitle") or "")[:200]
        self.candidate_name = feed.clip(body.get("candidateName") or "")[:200]
        status = body.get("status")
        self.application_status = next((known for known in get_args(ApplicationStatus) if known == status), "unknown")
        self.resumable = isinstance(body.get("activeSession"), dict) and status != "completed"
        if status == "completed":
            self.error_message = SUBMITTED_MESSAGE
        return body

    @rx.event
    def set_device(self, report: DeviceReport):
        """The component's device check, sent once per mount."""
        if not isinstance(report, dict) or feed.too_large(report):
            return None
        check = reports.read_device_report(report)
        self._device, self._tz_offset_min = check.device, check.tz_offset_min
        self.mic, self.mic_message = check.mic, check.mic_message
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
        if self._holds_interview() or self._end_reason:
            return
        recalled = credentials.recall_saved_session(saved.get("value"), self.application_id, utcnow())
        if recalled is None:
            return
        self.started_at = recalled.started_at or self.started_at
        self._adopt_session(recalled.session_id, recalled.token, recalled.expires_at)
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
            self._offline_grant, self._ran_offline = found.grant, True
            self.started_at = self.started_at or credentials.past_moment(found.started_at, utcnow())
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
            consent=self._consent(),
        )
        if isinstance(outcome, api_client.Refused) and says_submitted(outcome):  # in another tab, meanwhile
            self.phase, self.application_status, self.error_message = "idle", "completed", SUBMITTED_MESSAGE
            return
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
        return reports.session_metadata(self._device, offline_interview, self.started_at)

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
            self._note("Session started")

    def _adopt_session(self, session_id: str, token: str, expires_at: str) -> None:
        """The interview's session and its newest token, from start-session (or the tab's saved session).

        A session other than the one known so far (an offline interview's first, or a new one after
        the old went stale) is sent everything kept. The token becomes the call token at once: the
        component uses it the next time it places the call, without dropping the live one.
        """
        if session_id != self._api_session_id:
            self._unsent = [i for i, turn in self._transcript.items() if self._sends(turn)]
        self.session_id = self._api_session_id = session_id
        self.call_token = self._api_token = token
        self._api_expires_at, self._api_refresh_at = expires_at, credentials.renewal_time(expires_at, utcnow())
        self._save_session()
        self._keep()

    def _save_session(self) -> None:
        """The tab's saved session (sessionStorage), for a Resume after this state is lost."""
        if self._api_token and not self._end_reason:  # an ended interview leaves nothing to resume
            self.saved_session = credentials.saved_session(
                self._api_session_id, self._api_token, self._api_expires_at, self.started_at
            )

    async def _refill_feed(self) -> None:
        """A resumed session: the feed comes back from the stored transcript and what this tab still
        holds (not sent yet, or said offline), the clock from ``startedAt``."""
        outcome = await api_client.get_session(backend_api_url(), self._api_session_id, session_token=self._api_token)
        stored: list = []
        if isinstance(outcome, api_client.Answered):
            started = parse_time(outcome.body.get("startedAt"))
            if started is not None:
                self.started_at = started.isoformat()
            stored = outcome.body.get("transcript") or []
        turns = {item["id"]: item for item in stored if isinstance(item, dict) and isinstance(item.get("id"), str)}
        self._show_transcript({**turns, **self._transcript}.values())
        self._note("Session resumed")

    def _refuse(self, message: str, retryable: bool = False) -> None:
        self.phase, self.error_message, self.retryable = "error", message, retryable

    def _go_offline(self, outage: api_client.Unavailable, candidate_token: str | None) -> bool:
        """The API is down: go on in the session this tab holds while its token lasts, or else with an
        offline call token if the offline rule allows one; otherwise explain why not."""
        now = utcnow()
        fields = {"applicationId": self.application_id, "reason": outage.reason, "status": outage.status}
        observability.track(observability.SESSION_API_FAILED, fields)
        held = credentials.lasting_call_token((self._api_token, self.call_token), self.application_id, now)
        if held:  # its session's (the turns go to that session once the API is back), or its offline grant's
            self.call_token = held
        elif self._grant_offline_token(candidate_token, now):
            # presented with the reconciliation (contracts.md item 1); one kept from an earlier visit comes first
            self._offline_grant, self._ran_offline = self._offline_grant or self.call_token, True
            observability.track(observability.SESSION_OFFLINE_MODE, {"applicationId": self.application_id})
        else:
            return False
        self.offline = True
        self.started_at = self.started_at or now.isoformat()
        self._keep()  # the grant, before any turn: a closed tab still leaves an interview to reconcile
        self._note("Running in offline mode: your interview continues")
        return True

    def _grant_offline_token(self, candidate_token: str | None, now: datetime) -> bool:
        try:
            self.call_token, self._offline_grants = credentials.grant_offline_token(
                candidate_token, self.application_id, self._offline_grants, now
            )
        except errors.RateLimitExceeded as exc:
            self._refuse(offline_wait_message(exc.retry_after_seconds), retryable=True)
            return False
        except errors.DomainError:
            self._refuse(NOT_YOURS_MESSAGE)
            return False
        return True

    @rx.event
    def call_status(self, status: str):
        if status == "connected" and self.phase in ("connecting", "reconnecting"):
            self._note("Connected to your interviewer" if self.phase == "connecting" else "Reconnected")
            self.phase = "live"
        elif status == "reconnecting" and self.phase in ("connecting", "live"):
            self._keep_cut_turn()
            self.phase, self.listening, self.speaking = "reconnecting", False, False

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
    async def end_interview(self, reason: str = "candidate_ended"):
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
        (await self.get_state(CompletionState))._record_end(self._elapsed_label(), self._answers_kept())
        return [InterviewState.sync_with_api, rx.redirect(f"/interview/{self.application_id}/complete")]

    def _elapsed_label(self) -> str:
        started = parse_time(self.started_at)
        return feed.mm_ss((utcnow() - started).total_seconds()) if started else ""

    @rx.event
    async def load_completion(self):
        """The completion screen: what the API stored, never a made-up score."""
        completion = await self.get_state(CompletionState)
        if self.phase == "ended":  # this tab ended it: the sync fills in what the API stores
            completion._confirm(self._answers_kept())
            if not self._end_pending and self._api_token:
                outcome = await api_client.get_session(
                    backend_api_url(), self._api_session_id, session_token=self._api_token
                )
                if isinstance(outcome, api_client.Answered):
                    completion._show(outcome.body, self.offline)
            return
        self._hold_interview_of(self.application_id)
        await self._reset_view()  # a fresh tab on the completion link: only the application's status is known
        if self.token_application != self.application_id:
            self.candidate_token = ""
        preview = await self._load_preview()
        completion.submitted, self.error_message = self.application_status == "completed", ""
        if preview is not None:  # the server's figures, not this tab's memory (gone by now)
            completion._show_submitted(preview)
