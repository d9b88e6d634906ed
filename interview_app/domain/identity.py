"""Who the candidate is: the one place a candidate token becomes an identity, or a refusal."""

from __future__ import annotations

from interview_app.domain import errors, tokens


def authorize(bearer: str | None, candidate_secret: str, require_auth: bool) -> tokens.CandidateIdentity | None:
    """The candidate behind the request, or None for an anonymous request that is allowed."""
    if bearer is None:
        if require_auth:
            raise errors.Unauthorized("A candidate token is required")
        return None
    try:
        return tokens.verify_candidate_token(candidate_secret, bearer)
    except tokens.TokenError as exc:
        raise errors.Unauthorized(f"Invalid candidate token: {exc}") from exc
