"""The start-session use case: authorise, decide with the rules, store, mint the token.

Called by the HTTP API only; the UI goes through the API like any other client. Storage is
reached through the :class:`SessionRepository` protocol, so this module imports no adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from interview_app.domain import errors, notice, rules, tokens
from interview_app.domain.model import Application
from interview_app.domain.repository import SessionConflict, SessionRepository

MAX_ATTEMPTS = 3  # a lost insert race re-reads the winner; a loop guards a pathological churn


@dataclass(frozen=True)
class StartResult:
    created: bool
    session_id: str
    token: str
    expires_at: datetime
    application: Application
    consented: bool = False  # the session holds the candidate's consent (stored now, or before)


def check_owner(identity: tokens.CandidateIdentity | None, application: Application) -> None:
    """A candidate may only act on their own application (and the one their token names).

    Another candidate's application gets the very answer an unknown one gets (404), so application
    ids cannot be probed with a valid token.
    """
    if identity is None:
        return
    if identity.user_id != application.user_id or identity.application_id not in (None, application.id):
        raise errors.ApplicationNotFound(f"No application with id {application.id!r}")


async def start_session(
    store: SessionRepository,
    *,
    application_id: str,
    metadata: dict,
    identity: tokens.CandidateIdentity | None,
    session_secret: str,
    now: datetime,
    offline_grant: tokens.OfflineGrant | None = None,
    token_ttl: timedelta = tokens.SESSION_TTL,
    consent_version: str | None = None,
) -> StartResult:
    """Start (or reuse) the interview session of an application; raises a ``DomainError``.

    With ``offline_grant`` (an interview run offline, recorded afterwards) a new session starts at
    the grant's ``iat``, and the grant is used up: one reconciliation per grant, a replay is refused.

    ``consent_version`` is the notice version the candidate agreed to: a new session stores it, and
    a reused session without consent gets it (once: a renewal repeating it changes nothing, and a
    reuse the snapshot shows consented writes nothing: the page's token renewals carry consent each
    time). A start without it still works, for API clients, but its session is never scored.
    """
    if offline_grant is not None and await store.offline_grant_used(offline_grant.grant_id):
        raise errors.OfflineGrantUsed()
    consent = notice.consent_record(consent_version, now) if consent_version is not None else None
    result = await _start(
        store, application_id, metadata, identity, session_secret, now, offline_grant, token_ttl, consent
    )
    if consent is not None and not result.consented:
        await store.give_consent(result.session_id, consent, now)
    if offline_grant is not None:
        if not await store.claim_offline_grant(offline_grant.grant_id, application_id, result.session_id, now):
            raise errors.OfflineGrantUsed()  # a concurrent replay of the same grant won
        payload = {"grantId": offline_grant.grant_id, "startedAt": offline_grant.issued_at}
        await store.record_event(result.session_id, "offline.reconciled", now, payload)
    return result


async def _start(
    store: SessionRepository,
    application_id: str,
    metadata: dict,
    identity: tokens.CandidateIdentity | None,
    session_secret: str,
    now: datetime,
    offline_grant: tokens.OfflineGrant | None,
    token_ttl: timedelta,
    consent: dict | None,
) -> StartResult:
    started_at = offline_grant.issued_at if offline_grant is not None else None
    snapshot = await store.load_snapshot(application_id, now)
    if snapshot is None:
        raise errors.ApplicationNotFound(f"No application with id {application_id!r}")
    application = snapshot.application
    check_owner(identity, application)

    def result(session_id: str, created: bool, consented: bool) -> StartResult:
        token, expires_at = tokens.mint_session_token(session_secret, session_id, application_id, now, token_ttl)
        return StartResult(created, session_id, token, expires_at, application, consented)

    for _ in range(MAX_ATTEMPTS):
        match rules.decide_start(snapshot, now):
            case rules.Completed():
                raise errors.AlreadyCompleted("This interview has already been submitted")
            case rules.Reuse(session=session):
                return result(session.session_id, created=False, consented=session.consented)
            case rules.RateLimited(retry_after_seconds=seconds):
                raise errors.RateLimitExceeded(seconds)
            case rules.StartNew(stale=stale):
                if stale is not None:
                    await store.abandon(stale.session_id, now, reason="stale")
                new = rules.new_session(application, metadata, now, started_at, consent)
                try:
                    await store.insert(new)
                    return result(new.session_id, created=True, consented=consent is not None)
                except SessionConflict:
                    winner = await store.find_in_progress(application_id)
                    if winner is not None:
                        return result(winner.session_id, created=False, consented=winner.consented)
                snapshot = await store.load_snapshot(application_id, now) or snapshot
    raise RuntimeError("could not settle the in-progress session after repeated races")
