"""Unit and security tests of the tokens: tampering, ``alg: none``, expiry, foreign secrets, types."""

import base64
import json
from datetime import timedelta

import jwt
import pytest

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow

SECRET = "s" * 64
OTHER = "o" * 64
NOW = utcnow()


def test_session_token_round_trip_and_expiry_is_thirty_minutes():
    token, expires = tokens.mint_session_token(SECRET, "sid", "app", NOW)
    claims = tokens.verify_session_token(SECRET, token)
    assert claims["sessionId"] == "sid" and claims["applicationId"] == "app" and claims["type"] == "interview"
    assert claims["exp"] - claims["iat"] == 1800
    assert claims["exp"] == int(expires.timestamp())


def test_expired_session_token_is_refused():
    token, _ = tokens.mint_session_token(SECRET, "sid", "app", NOW - timedelta(minutes=31))
    with pytest.raises(tokens.TokenError):
        tokens.verify_session_token(SECRET, token)


def test_foreign_secret_is_refused():
    token, _ = tokens.mint_session_token(OTHER, "sid", "app", NOW)
    with pytest.raises(tokens.TokenError):
        tokens.verify_session_token(SECRET, token)


def test_tampered_payload_is_refused():
    token, _ = tokens.mint_session_token(SECRET, "sid", "app", NOW)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["applicationId"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(tokens.TokenError):
        tokens.verify_session_token(SECRET, f"{header}.{forged}.{signature}")


def _unsigned(claims: dict) -> str:
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def test_alg_none_is_refused_everywhere():
    now = int(NOW.timestamp())
    claims = {"sessionId": "s", "applicationId": "a", "type": "interview", "sub": "u", "iat": now, "exp": now + 60}
    for verify in (tokens.verify_session_token, tokens.verify_call_token, tokens.verify_candidate_token):
        with pytest.raises(tokens.TokenError):
            verify(SECRET, _unsigned(claims))


def test_other_hmac_algorithms_are_refused():
    now = int(NOW.timestamp())
    token = jwt.encode({"sub": "u", "iat": now, "exp": now + 60}, SECRET, algorithm="HS512")
    with pytest.raises(tokens.TokenError):
        tokens.verify_candidate_token(SECRET, token)


def test_candidate_token_cannot_pass_as_session_token():
    candidate = tokens.mint_candidate_token(SECRET, "u1", "app", NOW)
    with pytest.raises(tokens.TokenError):
        tokens.verify_session_token(SECRET, candidate)
    with pytest.raises(tokens.TokenError):
        tokens.verify_call_token(SECRET, candidate)


def test_offline_token_is_a_call_token_without_session():
    token, _ = tokens.mint_offline_token(SECRET, "app", NOW)
    grant = tokens.verify_call_token(SECRET, token)
    assert grant == tokens.CallGrant(application_id="app", session_id=None, offline=True)
    with pytest.raises(tokens.TokenError):
        tokens.verify_session_token(SECRET, token)


def test_offline_token_living_longer_than_thirty_minutes_is_refused():
    now = int(NOW.timestamp())
    token = jwt.encode(
        {"applicationId": "a", "type": "interview-offline", "iat": now, "exp": now + 3600}, SECRET, algorithm="HS256"
    )
    with pytest.raises(tokens.TokenError):
        tokens.verify_call_token(SECRET, token)


def test_session_token_is_a_call_token():
    token, _ = tokens.mint_session_token(SECRET, "sid", "app", NOW)
    assert tokens.verify_call_token(SECRET, token) == tokens.CallGrant("app", "sid", offline=False)


def test_candidate_token_claims():
    identity = tokens.verify_candidate_token(SECRET, tokens.mint_candidate_token(SECRET, "u1", None, NOW))
    assert identity == tokens.CandidateIdentity(user_id="u1", application_id=None)


def test_garbage_is_refused():
    for garbage in ("", "abc", "a.b.c", "Bearer x"):
        with pytest.raises(tokens.TokenError):
            tokens.verify_call_token(SECRET, garbage)
