"""The candidate's credentials as the page holds them: plain functions the page state calls (no Reflex).

Three things live here:

* the **call token**'s renewal: a session token lives ``INTERVIEW_SESSION_TOKEN_SECONDS``
  (configurable); it is renewed :data:`TOKEN_REFRESH_BEFORE` before it expires, or a third of its
  life before when that is shorter;
* the tab's **saved session** (sessionStorage under :func:`saved_session_key`: id, token, expiry,
  start): written after each start-session, and recalled after this backend lost the page state
  (a restart without Redis) only when its token verifies for this application;
* **offline grants**: an offline call token minted here, in the backend, when the API is down,
  under the rule of ``domain/offline.py`` and counted outside the tab (``storage/offline_grants``).

The candidate token itself is read once from the invite link and kept in the tab's sessionStorage
(``InterviewState.candidate_token``); it never leaves the page's own server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from interview_app.config import get_settings
from interview_app.domain import offline, tokens
from interview_app.storage import offline_grants

TOKEN_REFRESH_BEFORE = timedelta(minutes=5)  # or a third of the token's life, when that is shorter
MIN_CALL_TOKEN_LIFE = timedelta(minutes=1)  # a kept session token worth placing a call with


def parse_time(value: object) -> datetime | None:
    """An ISO time from the API or the browser (``Z`` or an offset); None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def past_moment(value: object, now: datetime) -> str:
    """A start time the browser kept, as ISO, when it is a zoned moment not in the future; else "".

    Only ever shown (the elapsed time), never trusted further.
    """
    moment = parse_time(value)
    if moment is None or moment.tzinfo is None or moment > now:
        return ""
    return moment.isoformat()


def renewal_time(expires_at: str, now: datetime) -> str:
    """When a token expiring at ``expires_at`` is renewed ("" when the expiry is unknown)."""
    expires = parse_time(expires_at)
    if expires is None:
        return ""
    return (expires - min(TOKEN_REFRESH_BEFORE, (expires - now) / 3)).isoformat()


def renewal_due(refresh_at: str, now: datetime) -> bool:
    renew_at = parse_time(refresh_at)
    return renew_at is not None and now >= renew_at


def saved_session_key(application_id: str) -> str:
    """The browser's sessionStorage key for this application's saved session."""
    return f"interview:{application_id}"


def saved_session(session_id: str, token: str, expires_at: str, started_at: str) -> str:
    """The saved session as the component keeps it in sessionStorage."""
    return json.dumps({"sessionId": session_id, "token": token, "expiresAt": expires_at, "startedAt": started_at})


@dataclass(frozen=True)
class Recalled:
    """A saved session whose token verified: the session it names, its token, expiry and start."""

    session_id: str
    token: str
    expires_at: str
    started_at: str  # "" unless a past zoned moment


def recall_saved_session(value: object, application_id: str, now: datetime) -> Recalled | None:
    """The session a saved copy names, when its token verifies as a session token of this application."""
    if not isinstance(value, str):
        return None
    try:
        copy = json.loads(value)
        token = copy["token"]
        claims = tokens.verify_session_token(get_settings().session_secret, token)
    except (ValueError, TypeError, KeyError, tokens.TokenError):
        return None
    if claims["applicationId"] != application_id:
        return None
    expires_at = datetime.fromtimestamp(claims["exp"], UTC).isoformat()
    return Recalled(str(claims["sessionId"]), token, expires_at, past_moment(copy.get("startedAt"), now))


def lasting_call_token(held: Iterable[str], application_id: str, now: datetime) -> str:
    """The first held call token of this application with :data:`MIN_CALL_TOKEN_LIFE` left at least
    (a refresh does not use up another offline grant); "" when none."""
    secret = get_settings().session_secret
    for token in held:
        try:
            grant = tokens.verify_call_token(secret, token)
        except tokens.TokenError:
            continue
        if grant.application_id == application_id and grant.expires_at - now.timestamp() >= (
            MIN_CALL_TOKEN_LIFE.total_seconds()
        ):
            return token
    return ""


def grant_offline_token(
    candidate_token: str | None, application_id: str, tab_grants: list[datetime], now: datetime
) -> tuple[str, list[datetime]]:
    """An offline call token and the tab's grants counting now.

    Raises ``Unauthorized``/``Forbidden`` when the candidate may not go on offline, and
    ``RateLimitExceeded`` past the quota, per (candidate, application) outside this tab or per tab.
    """
    settings = get_settings()
    identity = offline.authorize_offline(
        candidate_token, application_id, settings.candidate_secret, settings.require_auth
    )
    offline_grants.grant_ledger(settings.redis_url).take(offline.grant_key(identity, application_id), now)
    counting = offline.take_grant(tab_grants, now)
    token, _ = tokens.mint_offline_token(settings.session_secret, application_id, now)
    return token, counting
