"""When the page may mint an offline call token: the rule that closes the "offline for anyone" hole.

Offline mode exists for one reason: the interview API is down or unreachable, yet a real
candidate must be able to go on. So an offline token is granted only

* after a genuine outage (connect/read errors, timeouts, 5xx: decided by the API client),
* to a candidate whose token verifies locally (signature, expiry, and an ``applicationId``
  claim equal to the page's application) whenever auth is required: ownership needs the
  database, which is exactly what is missing, so the signed claim is the check, and a token
  that names no application grants nothing offline (it would fit any application id),
* at most :data:`GRANTS_PER_WINDOW` times per :data:`GRANT_WINDOW` per (candidate, application),
  counted outside the tab by a :class:`GrantLedger` (``storage/offline_grants.py``), and as many
  per browser session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from interview_app.domain import errors, quota
from interview_app.domain.identity import authorize
from interview_app.domain.tokens import CandidateIdentity

GRANTS_PER_WINDOW = 3
GRANT_WINDOW = timedelta(minutes=10)


def authorize_offline(
    candidate_token: str | None, application_id: str, candidate_secret: str, require_auth: bool
) -> CandidateIdentity | None:
    """The candidate (None: anonymous, allowed); raises ``Unauthorized``/``Forbidden`` unless they may go
    on offline."""
    identity = authorize(candidate_token, candidate_secret, require_auth)
    if identity is None:
        return None
    if identity.application_id != application_id and (require_auth or identity.application_id is not None):
        raise errors.Forbidden("An offline interview needs a candidate token that names this application")
    return identity


def take_grant(recent: list[datetime], now: datetime) -> list[datetime]:
    """The grants still counting plus this one; raises ``RateLimitExceeded`` past the quota."""
    retry_after = quota.seconds_until_free(recent, now, GRANTS_PER_WINDOW, GRANT_WINDOW)
    if retry_after is not None:
        raise errors.RateLimitExceeded(retry_after)
    return [*quota.counting(recent, now, GRANT_WINDOW), now]


class GrantLedger(Protocol):
    """Where offline grants are counted, outside any one tab (issue 15 C9)."""

    def take(self, key: str, now: datetime) -> None:
        """Count one grant for ``key``; raises ``RateLimitExceeded`` past the quota."""
        ...


def grant_key(identity: CandidateIdentity | None, application_id: str) -> str:
    """Grants are counted per (candidate, application); anonymous candidates share the application's."""
    return f"{identity.user_id if identity else ''}\x1f{application_id}"
