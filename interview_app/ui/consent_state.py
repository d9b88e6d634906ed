"""``ConsentMixin``: the notice before Start, the consent checkbox, and the accommodation request.

Mixed into ``InterviewState``. The notice's text and version come from the API's preview (they
live in ``domain/notice.py``, which also gives them while the API is unreachable). Start stays
disabled until the candidate ticks ``#consent``; every start-session then carries
``consent: {noticeVersion}``. The tick is kept in the tab's sessionStorage for this application
and notice version, so it survives a refresh and a backend that lost the tab's state.

An accommodation request is recorded on a session (the contract's
``POST /sessions/{id}/accommodation``): the tab's session when it holds one, otherwise a session
registered for it without consent (the candidate has not agreed to the AI interview), which a later
Start resumes within 5 minutes (and records consent on) or which goes stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import reflex as rx

from interview_app.api.schemas import MAX_ACCOMMODATION_NOTE_CHARS
from interview_app.domain import notice
from interview_app.domain.clock import utcnow
from interview_app.domain.device import is_header_safe
from interview_app.domain.text import unsafe_character
from interview_app.ui import api_client, credentials
from interview_app.ui.sync import backend_api_url, candidate_address, start_or_reuse

AccommodationStatus = Literal["closed", "open", "sending", "sent", "failed"]
ACCOMMODATION_SENT = (
    "Your request was sent to the hiring team. A person will contact you, using the details in your "
    "application, to arrange another format or the adjustment you need. You don't have to take the AI "
    "interview now; if you prefer, you can still start it."
)
ACCOMMODATION_FAILED = "Your request could not be sent just now. Please try again in a moment."


class ConsentMixin(rx.State, mixin=True):
    if TYPE_CHECKING:  # InterviewState's
        application_id: str
        candidate_token: str
        _api_session_id: str
        _api_token: str
        _api_expires_at: str
        _device: dict

        def _metadata(self, offline_interview: bool = False) -> dict: ...

    # "<application id> <notice version>" once ticked, in the tab's sessionStorage: the tab's answer
    # survives a refresh and a backend that lost this state (a restart), never another application.
    consent_given: str = rx.SessionStorage("", name="interview_consent")
    # The API's notice replaces these; they are the same text, here for an API that cannot be reached
    # (the interview then runs offline, and the candidate must still read what they agree to).
    notice_version: str = notice.NOTICE_VERSION
    notice_paragraphs: list[str] = list(notice.NOTICE_PARAGRAPHS)
    accommodation: AccommodationStatus = "closed"
    accommodation_note: str = ""

    def _read_notice(self, body: dict) -> None:
        """The preview's ``notice``; a version the API did not give is never sent as consent."""
        found = body.get("notice")
        if not isinstance(found, dict) or not isinstance(found.get("version"), str):
            return
        raw = found.get("text")
        text = raw if isinstance(raw, str) else ""
        self.notice_version = found["version"][:32]
        self.notice_paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()][:12]

    @rx.var
    def consented(self) -> bool:
        """The candidate ticked ``#consent`` for this application and this version of the notice."""
        return self.consent_given == f"{self.application_id} {self.notice_version}"

    def _consent_key(self) -> str:
        return f"{self.application_id} {self.notice_version}"

    def _forget_consent(self) -> None:
        """Another application in this tab: its notice is its own, and so is any request."""
        self.notice_version, self.notice_paragraphs = notice.NOTICE_VERSION, list(notice.NOTICE_PARAGRAPHS)
        self.accommodation, self.accommodation_note = "closed", ""

    def _consent(self) -> str | None:
        """The notice version to send with start-session, when the candidate agreed."""
        return self.notice_version if self.consented and self.notice_version else None

    @rx.event
    def set_consent(self, checked: bool):
        self.consent_given = self._consent_key() if checked is True else ""

    @rx.event
    def open_accommodation(self):
        if self.accommodation in ("closed", "failed"):
            self.accommodation = "open"

    @rx.event
    def close_accommodation(self):
        if self.accommodation == "open":
            self.accommodation = "closed"

    @rx.event
    def set_accommodation_note(self, note: str):
        if isinstance(note, str):
            self.accommodation_note = note[:MAX_ACCOMMODATION_NOTE_CHARS]

    @rx.event
    async def send_accommodation(self):
        if self.accommodation not in ("open", "failed"):
            return
        note = self.accommodation_note.strip()
        note = "".join(char for char in note if unsafe_character(char, multiline=True) is None)
        self.accommodation = "sending"
        yield
        session_id, token = await self._accommodation_session()
        outcome = None
        if token:
            outcome = await api_client.request_accommodation(backend_api_url(), session_id, note, session_token=token)
        self.accommodation = "sent" if isinstance(outcome, api_client.Answered) else "failed"

    async def _accommodation_session(self) -> tuple[str, str]:
        """The tab's session while its token lasts, or one registered for the request."""
        if self._api_token and not _expired(self._api_expires_at):
            return self._api_session_id, self._api_token
        candidate_token = self.candidate_token or None
        user_agent = self._device.get("userAgent") or self.router.headers.user_agent
        if not (is_header_safe(candidate_token) and is_header_safe(user_agent)):
            return "", ""
        outcome = await start_or_reuse(
            backend_api_url(),
            self.application_id,
            candidate_token=candidate_token,
            metadata=self._metadata(),
            user_agent=user_agent,
            client_ip=candidate_address(self.router.headers.raw_headers, self.router.session.client_ip or None),
            consent=self._consent(),
        )
        if not isinstance(outcome, api_client.Started):
            return "", ""
        return str(outcome.body.get("sessionId", "")), str(outcome.body.get("token", ""))


def _expired(expires_at: str) -> bool:
    moment = credentials.parse_time(expires_at)
    return moment is None or moment <= utcnow()
