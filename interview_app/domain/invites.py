"""Invite links (issue 20 §5, §6; contract C3): the one way a candidate's link is minted.

``make invite`` and ``POST /api/review/interviews`` both call :func:`mint_invite`, so a link has
one shape and one life whoever mints it: ``<public base>/interview/<applicationId>?token=<candidate
token>``, the token limited to that one application and living ``INTERVIEW_INVITE_DAYS`` (the
caller passes the setting; configuration is read in ``config.py`` only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from interview_app.domain import tokens


@dataclass(frozen=True)
class Invite:
    url: str
    expires_at: datetime  # the token's ``exp`` (UTC, whole seconds)


def invite_path(application_id: str) -> str:
    """The candidate's interview page of ``application_id`` (the id escaped as one path segment)."""
    return f"/interview/{quote(application_id, safe='')}"


def mint_invite(
    candidate_secret: str, base_url: str, application_id: str, user_id: str, now: datetime, ttl: timedelta
) -> Invite:
    """A link to ``application_id`` for its candidate ``user_id``, valid for ``ttl`` from ``now``."""
    token, expires_at = tokens.mint_invite_token(candidate_secret, user_id, application_id, now, ttl)
    return Invite(url=f"{base_url.rstrip('/')}{invite_path(application_id)}?token={token}", expires_at=expires_at)
