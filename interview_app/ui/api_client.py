"""The page's calls to the interview API: short timeouts, one retry on network trouble only.

The page talks to the API over HTTP like any client (the rules live behind it). It forwards
the candidate's address the way a trusted proxy would, since the request leaves from our own
backend on loopback.

Only a real outage (connect or read failure, timeout, 5xx) is :class:`Unavailable`, the one
outcome that may lead to offline mode. Any other transport error (an illegal header value,
say) comes from the request itself: it is :class:`Invalid`, never a reason to go offline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from interview_app.api import paths

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# One TLS context for every call of this backend: a client made without one builds its own, parsing
# the CA bundle again (about 16 ms of CPU), and the page's backend makes a client per call.
TLS = httpx.create_ssl_context()
# The API could not be reached or did not answer: the only transport errors worth a retry.
OUTAGE_ERRORS = (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError, httpx.TimeoutException)


@dataclass(frozen=True)
class Started:
    body: dict
    reused: bool


@dataclass(frozen=True)
class Answered:
    """A 2xx from a lifecycle route; ``body`` is ``{}`` for a 204."""

    body: dict


@dataclass(frozen=True)
class Refused:
    """A 4xx: the candidate must be told, and nothing goes on."""

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
    retry_after_seconds: int | None = None  # a 503's ``Retry-After``


Failure = Refused | Invalid | Unavailable


async def _send(
    base_url: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    json: dict | None = None,
    retry: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.Response | Failure:
    """One request, retried once on an outage when ``retry`` (reads and idempotent writes only)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, transport=transport, verify=TLS) as client:
        attempts = (1, 2) if retry else (1,)
        for attempt in attempts:
            try:
                response = await client.request(method, path, json=json, headers=headers)
                break
            except OUTAGE_ERRORS as exc:  # connect/read errors and timeouts: retry once
                if attempt == attempts[-1]:
                    return Unavailable(reason=type(exc).__name__)
            except (httpx.HTTPError, UnicodeEncodeError) as exc:  # the request itself is unusable
                return Invalid(reason=type(exc).__name__)  # no retry, and never a reason to go offline
    retry_after = response.headers.get("retry-after", "").strip()
    retry_after_seconds = int(retry_after) if retry_after.isdigit() else None
    if response.status_code >= 500:
        return Unavailable(
            reason=f"HTTP {response.status_code}", status=response.status_code, retry_after_seconds=retry_after_seconds
        )
    if response.status_code >= 400:
        body = json_object(response)
        return Refused(
            status=response.status_code,
            code=str(body.get("code", "")),
            details=str(body.get("details", "")),
            retry_after_seconds=retry_after_seconds,
        )
    return response


def json_object(response: httpx.Response) -> dict:
    """The response's JSON object; ``{}`` for anything else (no body, not JSON, not an object)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _bearer(token: str | None, user_agent: str = "interview-app") -> dict[str, str]:
    headers = {"User-Agent": user_agent or "interview-app"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _answered(outcome: httpx.Response | Failure) -> Answered | Failure:
    if isinstance(outcome, httpx.Response):
        return Answered(body=json_object(outcome))
    return outcome


async def start_session(
    base_url: str,
    application_id: str,
    *,
    candidate_token: str | None,
    metadata: dict,
    user_agent: str,
    client_ip: str | None,
    offline_grant: str | None = None,
    consent: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Started | Failure:
    """``offline_grant``: the offline call token of the interview being reconciled (``metadata.offline``);
    ``consent``: the notice version the candidate agreed to (without it the session is not scored)."""
    headers = _bearer(candidate_token, user_agent)
    if client_ip:
        headers["X-Forwarded-For"] = client_ip
    payload: dict = {"applicationId": application_id, "metadata": metadata}
    if offline_grant:
        payload["offlineGrant"] = offline_grant
    if consent:
        payload["consent"] = {"noticeVersion": consent}
    outcome = await _send(base_url, "POST", paths.START_SESSION, headers=headers, json=payload, transport=transport)
    if isinstance(outcome, httpx.Response):
        return Started(body=json_object(outcome), reused=outcome.status_code == 200)
    return outcome


async def get_application(
    base_url: str,
    application_id: str,
    *,
    candidate_token: str | None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Answered | Failure:
    """The preview before Start: job, name, status and the resumable session."""
    path = paths.APPLICATION.format(application_id=quote(application_id, safe=""))
    return _answered(await _send(base_url, "GET", path, headers=_bearer(candidate_token), transport=transport))


async def get_session(
    base_url: str, session_id: str, *, session_token: str, transport: httpx.AsyncBaseTransport | None = None
) -> Answered | Failure:
    path = paths.SESSION.format(session_id=quote(session_id, safe=""))
    return _answered(await _send(base_url, "GET", path, headers=_bearer(session_token), transport=transport))


async def heartbeat(
    base_url: str, session_id: str, *, session_token: str, transport: httpx.AsyncBaseTransport | None = None
) -> Answered | Failure:
    """No retry: the next beat comes 30 s later anyway."""
    path = paths.SESSION_HEARTBEAT.format(session_id=quote(session_id, safe=""))
    return _answered(
        await _send(base_url, "POST", path, headers=_bearer(session_token), retry=False, transport=transport)
    )


async def append_transcript(
    base_url: str,
    session_id: str,
    items: Sequence[Mapping[str, object]],
    *,
    session_token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Answered | Failure:
    """Upsert by item id on the server, so a retried batch is harmless."""
    path = paths.SESSION_TRANSCRIPT.format(session_id=quote(session_id, safe=""))
    return _answered(
        await _send(
            base_url,
            "POST",
            path,
            headers=_bearer(session_token),
            json={"items": [dict(item) for item in items]},
            transport=transport,
        )
    )


async def report_dropped(
    base_url: str,
    session_id: str,
    drops: Sequence[tuple[str, str]],
    *,
    session_token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Answered | Failure:
    """Tell the session which turns (item id, refusal code) were given up on; no retry."""
    path = paths.SESSION_DROPPED.format(session_id=quote(session_id, safe=""))
    body = {"items": [{"itemId": item_id[:128], "code": code} for item_id, code in drops]}
    return _answered(
        await _send(base_url, "POST", path, headers=_bearer(session_token), json=body, retry=False, transport=transport)
    )


async def end_session(
    base_url: str,
    session_id: str,
    reason: str,
    *,
    session_token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Answered | Failure:
    """Idempotent on the server: a retry answers the same ``completedAt``."""
    path = paths.SESSION_END.format(session_id=quote(session_id, safe=""))
    return _answered(
        await _send(
            base_url, "POST", path, headers=_bearer(session_token), json={"reason": reason}, transport=transport
        )
    )


async def request_accommodation(
    base_url: str,
    session_id: str,
    note: str,
    *,
    session_token: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Answered | Failure:
    """Ask the hiring team for another format; a repeat only adds another request."""
    path = paths.SESSION_ACCOMMODATION.format(session_id=quote(session_id, safe=""))
    return _answered(
        await _send(base_url, "POST", path, headers=_bearer(session_token), json={"note": note}, transport=transport)
    )


async def get_score(
    base_url: str, session_id: str, *, token: str | None, transport: httpx.AsyncBaseTransport | None = None
) -> Answered | Failure:
    """The finished interview's score, with its session token or the candidate token."""
    path = paths.SESSION_SCORE.format(session_id=quote(session_id, safe=""))
    return _answered(await _send(base_url, "GET", path, headers=_bearer(token), transport=transport))
