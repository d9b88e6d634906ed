"""What the next sync round does, decided from a snapshot of the page state (plain functions, no Reflex).

``SyncMixin`` takes a :class:`Holding` under the state lock, :func:`plan` turns it into a
:class:`SyncJob` (or nothing to do), the job runs without the lock, and :func:`still_unsent` says
what remains to send once its result is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview_app.ui.feed import Turn
from interview_app.ui.sync import SyncJob, SyncResult


@dataclass(frozen=True)
class Holding:
    """What the page holds of its interview when a round is planned."""

    base_url: str
    application_id: str
    transcript: dict[str, Turn]
    unsent: list[str]
    offline_only: bool  # run offline and no session yet: reconciled with its grant, everything sent
    in_call: bool
    end_reason: str  # "" unless the end still waits for the API
    session_id: str
    token: str
    renewal_due: bool
    offline_grant: str
    start: dict  # start-session's arguments, used when a session or a fresh token is needed


def plan(holding: Holding, heartbeat: bool) -> SyncJob | None:
    """The round's job: turns to send, a heartbeat, the end, a start-session first when needed.

    A session token lives ``INTERVIEW_SESSION_TOKEN_SECONDS``: a start-session (which reuses the
    session) gets a fresh one, and the heartbeat presents it, so a long interview's call outlives the
    first token. Whatever is still to be sent (turns, the end) needs a valid token too, or it would be
    refused. Turns kept from an earlier visit (localStorage) need a session first.
    """
    offline_only = holding.offline_only
    ids = list(holding.transcript) if offline_only else holding.unsent
    items = [holding.transcript[i] for i in ids if i in holding.transcript]
    end_reason = holding.end_reason if not holding.in_call else ""
    refresh = not offline_only and (holding.renewal_due or not holding.token)
    heartbeat = (heartbeat or refresh) and holding.in_call and not offline_only
    if not (offline_only or items or heartbeat or end_reason):
        return None
    return SyncJob(
        base_url=holding.base_url,
        offline_grant=holding.offline_grant if offline_only else "",
        application_id=holding.application_id,
        session_id=holding.session_id,
        token=holding.token,
        items=items,
        heartbeat=heartbeat,
        end_reason=end_reason,
        start=holding.start if offline_only or refresh else None,
    )


def still_unsent(unsent: list[str], transcript: dict[str, Turn], job: SyncJob, result: SyncResult) -> list[str]:
    """What is left to send: a turn that changed while its batch was in flight (a transcription after
    the answer) goes again; a turn refused for good is reported, not retried."""
    planned = {item["id"]: item for item in job.items}
    sent = {i for i in result.sent if transcript.get(i) == planned.get(i)}
    dropped = {d.item_id for d in result.dropped}
    return [i for i in unsent if i not in sent and i not in dropped]
