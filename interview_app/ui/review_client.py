"""The review console's calls to the review API (``/api/review/...``), with the reviewer token as bearer.

Like ``api_client.py`` for the candidate page: the console talks to the API over HTTP like any
client (an ATS would use the very same routes), from this backend, so the rules live behind the
API. Every call answers :class:`Reply` (a 2xx and its JSON) or :class:`Problem` (what went wrong,
with the API's stable code and message, or ``UNAVAILABLE`` when the API could not be reached).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from interview_app.api import paths
from interview_app.ui.api_client import TLS, json_object

TIMEOUT = httpx.Timeout(8.0, connect=3.0)
UNAVAILABLE = "UNAVAILABLE"  # not an API code: the API did not answer (network, timeout, 5xx)


@dataclass(frozen=True)
class Reply:
    body: dict
    status: int = 200


@dataclass(frozen=True)
class Problem:
    """A refusal (4xx: ``code`` and ``message`` from the API's ``{error, code}``) or an outage."""

    status: int | None
    code: str
    message: str
    details: str = ""


Outcome = Reply | Problem


async def _request(
    base_url: str,
    method: str,
    path: str,
    token: str,
    *,
    params: Mapping[str, str] | None = None,
    json: dict | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Outcome:
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "interview-review-console", **(extra_headers or {})}
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, transport=transport, verify=TLS) as client:
            response = await client.request(method, path, params=params, json=json, headers=headers)
    except (httpx.HTTPError, UnicodeEncodeError) as exc:  # unreachable, or a token no header can carry
        return Problem(status=None, code=UNAVAILABLE, message=type(exc).__name__)
    body = json_object(response)
    if response.status_code >= 500:
        code = str(body.get("code") or UNAVAILABLE)  # e.g. REVIEW_DISABLED: no reviewer secret configured
        return Problem(
            status=response.status_code,
            code=code,
            message=f"HTTP {response.status_code}",
            details=str(body.get("details") or ""),
        )
    if response.status_code >= 400:
        return Problem(
            status=response.status_code,
            code=str(body.get("code", "")),
            message=str(body.get("error", "")),
            details=str(body.get("details") or ""),
        )
    return Reply(body=body, status=response.status_code)


def _session_path(template: str, session_id: str) -> str:
    return template.format(session_id=quote(session_id, safe=""))


async def list_sessions(
    base_url: str, token: str, filters: Mapping[str, str], *, transport: httpx.AsyncBaseTransport | None = None
) -> Outcome:
    """One page of sessions, newest first: ``{items, nextCursor, counts}``; empty filters are left out."""
    params = {name: value for name, value in filters.items() if value}
    return await _request(base_url, "GET", paths.REVIEW_SESSIONS, token, params=params, transport=transport)


async def get_session(
    base_url: str, token: str, session_id: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> Outcome:
    """Everything about one session (the API records a ``review.viewed`` event)."""
    return await _request(base_url, "GET", _session_path(paths.REVIEW_SESSION, session_id), token, transport=transport)


async def decide(
    base_url: str,
    token: str,
    session_id: str,
    decision: str,
    note: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Outcome:
    """The human decision (``advance``, ``reject`` or ``hold``) with its note."""
    body = {"decision": decision, "note": note}
    return await _request(
        base_url, "POST", _session_path(paths.REVIEW_DECISION, session_id), token, json=body, transport=transport
    )


def forwarded_origin(page_origin: str) -> dict[str, str]:
    """The page's origin as a proxy would forward it, so the API mints the invite link for the address
    the reviewer uses (it believes these headers from a trusted proxy only: this backend is on loopback)."""
    scheme, _, host = page_origin.partition("://")
    if scheme not in ("http", "https") or not host or "/" in host:
        return {}
    return {"X-Forwarded-Proto": scheme, "X-Forwarded-Host": host}


async def create_interview(
    base_url: str, token: str, body: dict, page_origin: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> Outcome:
    """A new interview: ``{applicationId, userId, inviteUrl, expiresAt}``."""
    return await _request(
        base_url,
        "POST",
        paths.REVIEW_INTERVIEWS,
        token,
        json=body,
        transport=transport,
        extra_headers=forwarded_origin(page_origin),
    )
