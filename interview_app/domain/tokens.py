"""Signed tokens (HS256 JWTs, PyJWT) and the only place they are minted or verified.

Three kinds, each with an explicit ``type`` claim so one can never pass for another (RFC 8725):

* candidate token (``sub`` = user id, optional ``applicationId``): issued by the recruiting
  platform or the invite command, proves who the candidate is;
* session token (``type: interview``): returned by start-session, authenticates the call;
* offline token (``type: interview-offline``): minted by the app's own backend without the
  database, so an interview can go on when start-session is down;
* reviewer token (``type: interview-reviewer``, ``sub`` = the reviewer's email or id, 8 hours):
  signed with its own secret, opens the hiring team's review API and nothing else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypedDict, cast

import jwt

ALGORITHMS = ["HS256"]  # allow-list: "none" and asymmetric confusion are refused
SESSION_TTL = timedelta(minutes=30)
OFFLINE_TTL = timedelta(minutes=30)
SESSION_TYPE = "interview"
OFFLINE_TYPE = "interview-offline"
REVIEWER_TYPE = "interview-reviewer"
REVIEWER_TTL = timedelta(hours=8)
OUR_TYPES = frozenset({SESSION_TYPE, OFFLINE_TYPE, REVIEWER_TYPE})  # never a candidate token
INVITE_TTL = timedelta(days=7)  # an invite link's life unless INTERVIEW_INVITE_DAYS says otherwise
INVITE_DAYS_RANGE = (1, 90)  # what INTERVIEW_INVITE_DAYS may be
OFFLINE_RECONCILE_WITHIN = timedelta(days=7)  # an offline interview is uploaded when its link is reopened


class TokenError(Exception):
    """A token is missing, malformed, forged, expired or of the wrong kind."""


class SessionClaims(TypedDict):
    """A verified session token's claims, as minted here (``iat`` and ``exp`` in epoch seconds)."""

    sessionId: str
    applicationId: str
    type: str
    iat: int
    exp: int


@dataclass(frozen=True)
class CandidateIdentity:
    user_id: str
    application_id: str | None


@dataclass(frozen=True)
class CallGrant:
    """What a call token allows: a call for this application, tied to a session when online."""

    application_id: str
    session_id: str | None
    offline: bool
    grant_id: str = field(default="", compare=False)  # one offline grant (its token's jti)
    expires_at: int = field(default=0, compare=False)  # the token's ``exp`` (epoch seconds)

    @property
    def key(self) -> str:
        """What one live call belongs to: the session, or the offline grant."""
        return f"session:{self.session_id}" if self.session_id else f"offline:{self.grant_id}"


def _encode(claims: dict, secret: str) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def _decode(token: str, secret: str, required: list[str]) -> dict:
    try:
        return jwt.decode(token, secret, algorithms=ALGORITHMS, options={"require": required})
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _mint_timed(secret: str, claims: dict, now: datetime, ttl: timedelta) -> tuple[str, datetime]:
    """A token with ``iat``/``exp`` in whole seconds; returns it with its expiry (UTC)."""
    issued = now.replace(microsecond=0)
    expires = issued + ttl
    return _encode({**claims, "iat": _epoch(issued), "exp": _epoch(expires)}, secret), expires


def mint_session_token(
    secret: str, session_id: str, application_id: str, now: datetime, ttl: timedelta = SESSION_TTL
) -> tuple[str, datetime]:
    """A session token (30 minutes unless the operator chose otherwise) and its expiry."""
    claims = {"sessionId": session_id, "applicationId": application_id, "type": SESSION_TYPE}
    return _mint_timed(secret, claims, now, ttl)


def verify_session_token(secret: str, token: str) -> SessionClaims:
    """Claims of a valid session token (signature, HS256, expiry and type checked)."""
    claims = _decode(token, secret, ["exp", "iat", "type", "sessionId", "applicationId"])
    if claims.get("type") != SESSION_TYPE:
        raise TokenError("not a session token")
    return cast(SessionClaims, claims)  # signed by us, so shaped as minted


def mint_offline_token(secret: str, application_id: str, now: datetime) -> tuple[str, datetime]:
    """An offline call token for ``application_id`` and its expiry; needs no database."""
    claims = {"applicationId": application_id, "type": OFFLINE_TYPE, "jti": uuid.uuid4().hex}
    return _mint_timed(secret, claims, now, OFFLINE_TTL)


@dataclass(frozen=True)
class OfflineGrant:
    """An offline grant presented to reconcile the interview it allowed: its id and when it was issued."""

    grant_id: str
    issued_at: datetime


def verify_offline_grant(secret: str, token: str, application_id: str, now: datetime) -> OfflineGrant:
    """The grant of an offline token this server minted for ``application_id``.

    Its expiry is not checked (the page uploads the interview when the link is reopened, possibly
    another day), but it is accepted only within :data:`OFFLINE_RECONCILE_WITHIN` of its ``iat``.
    """
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=ALGORITHMS,
            options={"require": ["exp", "iat", "type", "applicationId", "jti"], "verify_exp": False},
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc
    if claims.get("type") != OFFLINE_TYPE:
        raise TokenError("not an offline token")
    if claims.get("applicationId") != application_id:
        raise TokenError("the grant is for another application")
    if not isinstance(claims["jti"], str) or not isinstance(claims["iat"], int) or not isinstance(claims["exp"], int):
        raise TokenError("malformed grant")
    if claims["exp"] - claims["iat"] > OFFLINE_TTL.total_seconds():
        raise TokenError("offline token lives too long")
    issued_at = datetime.fromtimestamp(claims["iat"], UTC)
    if issued_at > now + timedelta(minutes=1) or now - issued_at > OFFLINE_RECONCILE_WITHIN:
        raise TokenError("the grant is too old to reconcile")
    return OfflineGrant(grant_id=claims["jti"], issued_at=issued_at)


def verify_call_token(secret: str, token: str) -> CallGrant:
    """Accept a session token or an offline token; anything else raises :class:`TokenError`."""
    claims = _decode(token, secret, ["exp", "iat", "type", "applicationId"])
    kind = claims.get("type")
    if kind == SESSION_TYPE:
        if not isinstance(claims.get("sessionId"), str):
            raise TokenError("session token without sessionId")
        return CallGrant(str(claims["applicationId"]), claims["sessionId"], offline=False, expires_at=claims["exp"])
    if kind == OFFLINE_TYPE:
        if claims["exp"] - claims["iat"] > OFFLINE_TTL.total_seconds():
            raise TokenError("offline token lives too long")
        grant_id = str(claims.get("jti") or f"{claims['applicationId']}:{claims['iat']}")
        return CallGrant(str(claims["applicationId"]), None, offline=True, grant_id=grant_id, expires_at=claims["exp"])
    raise TokenError("not a call token")


def mint_candidate_token(
    secret: str, user_id: str, application_id: str | None, now: datetime, ttl: timedelta = timedelta(days=7)
) -> str:
    """A candidate (invite) token, as the recruiting platform would issue it."""
    claims = {"sub": user_id, "iat": _epoch(now), "exp": _epoch(now + ttl)}
    if application_id:
        claims["applicationId"] = application_id
    return _encode(claims, secret)


def mint_invite_token(
    secret: str, user_id: str, application_id: str, now: datetime, ttl: timedelta = INVITE_TTL
) -> tuple[str, datetime]:
    """The candidate token of an invite link, limited to one application, and its expiry (whole
    seconds, so the expiry an API answers is exactly the token's ``exp``)."""
    return _mint_timed(secret, {"sub": user_id, "applicationId": application_id}, now, ttl)


def verify_candidate_token(secret: str, token: str) -> CandidateIdentity:
    """Identity carried by a valid candidate token."""
    claims = _decode(token, secret, ["exp", "sub"])
    if claims.get("type") in OUR_TYPES:  # a session, offline or reviewer token signed with the same secret
        raise TokenError("not a candidate token")
    application_id = claims.get("applicationId")
    if application_id is not None and not isinstance(application_id, str):
        raise TokenError("applicationId claim must be a string")
    return CandidateIdentity(user_id=str(claims["sub"]), application_id=application_id)


def mint_reviewer_token(secret: str, who: str, now: datetime, ttl: timedelta = REVIEWER_TTL) -> tuple[str, datetime]:
    """A reviewer token for ``who`` (an email or id) and its expiry: 8 hours unless chosen."""
    return _mint_timed(secret, {"sub": who, "type": REVIEWER_TYPE}, now, ttl)


def verify_reviewer_token(secret: str, token: str) -> str:
    """The reviewer (``sub``) of a valid reviewer token (signature, HS256, expiry and type checked)."""
    claims = _decode(token, secret, ["exp", "iat", "type", "sub"])
    if claims.get("type") != REVIEWER_TYPE:
        raise TokenError("not a reviewer token")
    if not isinstance(claims["sub"], str) or not claims["sub"].strip():
        raise TokenError("reviewer token without a reviewer")
    return claims["sub"]


def kind_signed_with(secrets: tuple[str, ...], token: str) -> str | None:
    """The ``type`` of a JWT signed with one of ``secrets`` (``"candidate"`` when it has none; expiry
    not checked), or None: tells another kind of our tokens (403) from garbage or forgeries (401)."""
    for secret in secrets:
        try:
            claims = jwt.decode(token, secret, algorithms=ALGORITHMS, options={"verify_exp": False})
        except jwt.PyJWTError:
            continue
        return str(claims.get("type") or "candidate")
    return None
