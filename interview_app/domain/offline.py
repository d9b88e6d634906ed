"""When the page may mint an offline call token: the rule that closes the "offline for anyone" hole.

Offline mode exists for one reason: the interview API is down or unreachable, yet a real
candidate must be able to go on. So an offline token is granted only

* after a genuine outage (connect/read errors, timeouts, 5xx: decided by the API client),
* to a candidate whose token verifies locally (signature, expiry, and an ``applicationId``
  claim equal to the page's application) whenever auth is required: ownership needs the
  database, which is exactly what is missing, so the signed claim is the check, and a token
  that names no application grants nothing offline (it would fit any application id),
* at most :data:`GRANTS_PER_WINDOW` times per browser session per :data:`GRANT_WINDOW`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from interview_app.domain import errors, quota
from interview_app.domain.identity import authorize

GRANTS_PER_WINDOW = 3
GRANT_WINDOW = timedelta(minutes=10)


def authorize_offline(
    candidate_token: str | None, application_id: str, candidate_secret: str, require_auth: bool
) -> None:
    """Raise ``Unauthorized``/``Forbidden`` unless this candidate may go on offline."""
    identity = authorize(candidate_token, candidate_secret, require_auth)
    if identity is None:
        return
    if identity.application_id != application_id and (require_auth or identity.application_id is not None):
        raise errors.Forbidden("An offline interview needs a candidate token that names this application")


def take_grant(recent: list[datetime], now: datetime) -> list[datetime]:
    """The grants still counting plus this one; raises ``RateLimitExceeded`` past the quota."""
    retry_after = quota.seconds_until_free(recent, now, GRANTS_PER_WINDOW, GRANT_WINDOW)
    if retry_after is not None:
        raise errors.RateLimitExceeded(retry_after)
    return [*quota.counting(recent, now, GRANT_WINDOW), now]
