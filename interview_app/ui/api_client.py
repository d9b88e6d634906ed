"""The page's call to the start-session API: short timeouts, one retry on network trouble only.

The page talks to the API over HTTP like any client (the rules live behind it). It forwards
the candidate's address the way a trusted proxy would, since the request leaves from our own
backend on loopback.

Only a real outage (connect or read failure, timeout, 5xx) is :class:`Unavailable`, the one
outcome that may lead to offline mode. Any other transport error (an illegal header value,
say) comes from the request itself: it is :class:`Invalid`, never a reason to go offline.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# The API could not be reached or did not answer: the only transport errors worth a retry.
OUTAGE_ERRORS = (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError, httpx.TimeoutException)
PATH = "/api/interview/start-session"


@dataclass(frozen=True)
class Started:
    body: dict
    reused: bool


@dataclass(frozen=True)
class Refused:
    """A 4xx: the candidate must be told, and no call starts."""

    status: int
    code: str
    details: str
    retry_after_seconds: int | None


@dataclass(frozen=True)
class Invalid:
    """The request could not even be sent (e.g. a control character in a header): refuse it."""

    reason: str


@dataclass(frozen=True)
class Unavailable:
    """Network failure after the retry, or a 5xx: the interview goes on offline."""

    reason: str
    status: int | None = None


async def start_session(base_url: str, application_id: str, *, candidate_token: str | None, metadata: dict,
                        user_agent: str, client_ip: str | None,
                        transport: httpx.AsyncBaseTransport | None = None) -> Started | Refused | Invalid | Unavailable:
    headers = {"User-Agent": user_agent or "interview-app"}
    if candidate_token:
        headers["Authorization"] = f"Bearer {candidate_token}"
    if client_ip:
        headers["X-Forwarded-For"] = client_ip
    payload = {"applicationId": application_id, "metadata": metadata}
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, transport=transport) as client:
        for attempt in (1, 2):
            try:
                response = await client.post(PATH, json=payload, headers=headers)
                break
            except OUTAGE_ERRORS as exc:  # connect/read errors and timeouts: retry once
                if attempt == 2:
                    return Unavailable(reason=type(exc).__name__)
            except httpx.HTTPError as exc:  # the request itself is unusable: no retry, no offline
                return Invalid(reason=type(exc).__name__)
    if response.status_code >= 500:
        return Unavailable(reason=f"HTTP {response.status_code}", status=response.status_code)
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code in (200, 201):
        return Started(body=body, reused=response.status_code == 200)
    retry_after = response.headers.get("retry-after", "")
    return Refused(status=response.status_code, code=str(body.get("code", "")), details=str(body.get("details", "")),
                   retry_after_seconds=int(retry_after) if retry_after.isdigit() else None)
