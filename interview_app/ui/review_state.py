"""The review console's states: the reviewer's token (``ReviewState``) and the list of sessions.

The token arrives once in the link (``/review?token=…``, minted by ``make reviewer-link``); the
page moves it to the tab's sessionStorage (``interview_reviewer_token``, contract R1) and takes it
out of the address bar, as the candidate page does with its token. Every read and decision goes
from this backend to the review API (``review_client``) with that token as bearer: the console has
no rights the API would not give any other client holding the token. The detail page's state is
``ReviewDetailState`` (``review_detail_state.py``); what is shown is computed in ``review_view.py``.
"""

from __future__ import annotations

import jwt
import reflex as rx

from interview_app.domain.device import is_header_safe
from interview_app.ui import review_client, review_view
from interview_app.ui.sync import backend_api_url

REFRESH_MS = 5000  # in-progress rows refresh this often, so a recruiter sees who is interviewing now
PAGE_SIZE = 25
NO_TOKEN_MESSAGE = "This page needs a reviewer link. Ask your administrator for one (make reviewer-link)."
EXPIRED_MESSAGE = "This link has expired. Ask your administrator for a new reviewer link."
INVALID_MESSAGE = "This link is not valid. Ask your administrator for a new reviewer link."
WRONG_TOKEN_MESSAGE = "This link is not a reviewer link. Ask your administrator for a reviewer link."
UNAVAILABLE_MESSAGE = "The review service is not answering. Try again in a moment."
DISABLED_MESSAGE = "The review console is switched off on this server (no INTERVIEW_REVIEWER_SECRET is set)."


def looks_expired(token: str) -> bool:
    """Whether the token's ``exp`` has passed: only to choose the words of a 401 (the API verified it)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False, "verify_exp": True})
    except jwt.ExpiredSignatureError:
        return True
    except jwt.PyJWTError:
        return False
    return not isinstance(claims, dict)


def problem_message(problem: review_client.Problem, token: str = "") -> str:
    """A refusal in words a recruiter understands; the API's own message for anything specific."""
    if problem.status in (401, 403) and looks_expired(token):  # the API answers either for an expired token
        return EXPIRED_MESSAGE
    if problem.status == 401:
        return INVALID_MESSAGE
    if problem.status == 403:
        return WRONG_TOKEN_MESSAGE
    if problem.code == "REVIEW_DISABLED":
        return DISABLED_MESSAGE
    if problem.code == review_client.UNAVAILABLE or (problem.status or 0) >= 500:
        return UNAVAILABLE_MESSAGE
    return problem.message or f"The request was refused ({problem.code or problem.status})."


class ReviewState(rx.State):
    """The reviewer's token, kept in the tab's sessionStorage, and the page's error in words."""

    reviewer_token: str = rx.SessionStorage("", name="interview_reviewer_token")
    hide_token: bool = False  # the component takes the token out of the address bar
    error_message: str = ""

    def _take_token_from_link(self) -> bool:
        """Move ``?token=`` into sessionStorage; False (with the message set) when there is no usable token."""
        query_token = self.router.url.query_parameters.get("token")
        if isinstance(query_token, str) and query_token:
            self.reviewer_token, self.hide_token = query_token, True
        if not self.reviewer_token:
            self.error_message = NO_TOKEN_MESSAGE
            return False
        if not is_header_safe(self.reviewer_token):
            self.error_message = WRONG_TOKEN_MESSAGE
            return False
        return True


class ReviewListState(ReviewState):
    """``/review``: one page of sessions with the filters, and the counts of the whole filter."""

    rows: list[review_view.ListRow] = []
    counts: dict[str, str] = {}
    loaded: bool = False
    status_filter: str = ""
    scoring_filter: str = ""
    decision_filter: str = ""
    query: str = ""
    from_date: str = ""
    to_date: str = ""
    next_cursor: str = ""
    cursors: list[str] = []  # the cursor of each page before the current one ("" is the first)
    _shown_cursor: str = ""

    @rx.var
    def has_live_rows(self) -> bool:
        """The list refreshes while it shows an interview in progress."""
        return any(row["live"] for row in self.rows)

    @rx.var
    def filtered(self) -> bool:
        return any(
            (self.status_filter, self.scoring_filter, self.decision_filter, self.query, self.from_date, self.to_date)
        )

    @rx.var
    def has_newer(self) -> bool:
        return bool(self.cursors)

    def _filters(self) -> dict[str, str]:
        return {
            "status": self.status_filter,
            "scoring": self.scoring_filter,
            "decision": self.decision_filter,
            "q": self.query,
            "from": f"{self.from_date}T00:00:00Z" if self.from_date else "",
            "to": f"{self.to_date}T23:59:59Z" if self.to_date else "",
            "limit": str(PAGE_SIZE),
        }

    async def _fetch(self, cursor: str) -> None:
        if not self._take_token_from_link():
            self.loaded = True
            return
        outcome = await review_client.list_sessions(
            backend_api_url(), self.reviewer_token, {**self._filters(), "cursor": cursor}
        )
        self.loaded = True
        if isinstance(outcome, review_client.Problem):
            self.error_message = problem_message(outcome, self.reviewer_token)
            return
        self.error_message = ""
        items = outcome.body.get("items")
        self.rows = (
            [review_view.list_row(item) for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        )
        self.counts = review_view.counts(outcome.body)
        next_cursor = outcome.body.get("nextCursor")
        self.next_cursor = next_cursor if isinstance(next_cursor, str) else ""

    @rx.event
    async def load(self):
        """Each visit: the first page (the filters chosen in this tab stay)."""
        self.cursors, self._shown_cursor = [], ""
        await self._fetch("")
        if self.hide_token:
            yield

    @rx.event
    async def refresh(self):
        """The ticker's call while in-progress rows are shown: the same page again."""
        await self._fetch(self._shown_cursor)

    @rx.event
    async def apply_filters(self, form: dict):
        """The filter form (Enter or the Apply button): back to the first page."""
        form = form if isinstance(form, dict) else {}  # any client may call any handler with anything
        self.status_filter = _choice(form.get("status"), review_view.STATUS_FILTER)
        self.scoring_filter = _choice(form.get("scoring"), review_view.SCORING_FILTER)
        self.decision_filter = _choice(form.get("decision"), review_view.DECISION_FILTER)
        self.query = str(form.get("q") or "").strip()[:200]
        self.from_date = _date(form.get("from"))
        self.to_date = _date(form.get("to"))
        self.cursors, self._shown_cursor = [], ""
        await self._fetch("")

    @rx.event
    async def clear_filters(self):
        self.status_filter = self.scoring_filter = self.decision_filter = ""
        self.query = self.from_date = self.to_date = ""
        self.cursors, self._shown_cursor = [], ""
        await self._fetch("")

    @rx.event
    async def older(self):
        if not self.next_cursor:
            return
        self.cursors = [*self.cursors, self._shown_cursor]
        self._shown_cursor = self.next_cursor
        await self._fetch(self._shown_cursor)

    @rx.event
    async def newer(self):
        if not self.cursors:
            return
        self._shown_cursor, self.cursors = self.cursors[-1], self.cursors[:-1]
        await self._fetch(self._shown_cursor)


def _choice(value: object, choices: tuple[tuple[str, str], ...]) -> str:
    """A filter value from the form, only when it is one of the offered choices (else "any")."""
    return value if isinstance(value, str) and value in dict(choices) else ""


def _date(value: object) -> str:
    """A ``YYYY-MM-DD`` from a date input, else "" (the browser sends exactly that or nothing)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        digits = value.replace("-", "")
        if digits.isdigit():
            return value
    return ""
