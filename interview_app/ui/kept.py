"""The browser's *kept interview*: what the API does not have yet, kept in ``localStorage`` so that
closing the tab loses nothing (issue 15 A2).

Per application (``interview-kept:<applicationId>``): the unsent turns and, for an interview run
offline and not reconciled yet, its offline grant. The component writes it whenever it changes,
hands it back when the same link is opened again (another day too: an offline grant is accepted
for reconciliation up to 7 days after it was minted) and removes it once the API has everything.

It is bounded (:data:`MAX_ITEMS` turns, :data:`MAX_BYTES` of JSON): the oldest unsent turns are
kept first, since newer ones are still in this backend's state and go out with them. What the
browser hands back is untrusted: a turn of the wrong shape is left out (the API would refuse it),
and the grant is only passed on; the API verifies it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TypedDict

from interview_app.ui.feed import TEXT_MAX_CHARS, Turn

log = logging.getLogger(__name__)

MAX_ITEMS = 500
MAX_BYTES = 256 * 1024
NOTHING = "none"  # tells the component to remove the key ("" means: nothing to say yet)
KEY_PREFIX = "interview-kept:"
MAX_GRANT_CHARS = 4096
ROLES = ("interviewer", "candidate")


class KeptCopy(TypedDict, total=False):
    """What the component hands back from ``localStorage`` under ``key`` (untrusted, like any event)."""

    key: str
    value: str | None


@dataclass(frozen=True)
class Kept:
    turns: tuple[Turn, ...]
    grant: str = ""  # the offline call token of an interview not reconciled yet
    started_at: str = ""  # shown only (the elapsed time); the server takes the start from the grant


def key(application_id: str) -> str:
    return f"{KEY_PREFIX}{application_id}"


def encode(turns: list[Turn], grant: str, started_at: str) -> str:
    """The JSON the component keeps: the oldest turns first, within :data:`MAX_ITEMS` and :data:`MAX_BYTES`."""
    if not (turns or grant):
        return NOTHING
    head = {"grant": grant, "startedAt": started_at}
    size = len(json.dumps({**head, "turns": []}).encode())
    kept: list[Turn] = []
    for turn in turns[:MAX_ITEMS]:
        size += len(json.dumps(turn).encode()) + 1
        if size > MAX_BYTES:
            break
        kept.append(turn)
    if len(kept) < len(turns):  # still in this state, and sent from it: only the browser's copy is short
        log.warning("kept %d of %d unsent turns in the browser (bounded)", len(kept), len(turns))
    return json.dumps({**head, "turns": kept}, separators=(",", ":"))


def decode(value: object) -> Kept | None:
    """The kept interview the browser handed back, or ``None`` when there is none or it is garbage."""
    if not isinstance(value, str) or len(value) > MAX_BYTES * 2:
        return None
    try:
        raw = json.loads(value)
    except ValueError:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("turns"), list):
        return None
    turns = tuple(turn for turn in (_turn(item) for item in raw["turns"][:MAX_ITEMS]) if turn is not None)
    grant = raw.get("grant")
    grant = grant if isinstance(grant, str) and len(grant) <= MAX_GRANT_CHARS else ""
    started_at = raw.get("startedAt")
    started_at = started_at if isinstance(started_at, str) and len(started_at) <= 40 else ""
    return Kept(turns, grant, started_at) if turns or grant else None


def _turn(item: object) -> Turn | None:
    if not isinstance(item, dict):
        return None
    turn_id, role, text, at = item.get("id"), item.get("role"), item.get("text"), item.get("at")
    if not (isinstance(turn_id, str) and 0 < len(turn_id) <= 64 and role in ROLES):
        return None
    if not (isinstance(text, str) and len(text) <= TEXT_MAX_CHARS and isinstance(at, str) and len(at) <= 40):
        return None
    turn: Turn = {"id": turn_id, "role": role, "text": text, "at": at}  # pyright: ignore[reportAssignmentType]
    duration = item.get("durationMs")
    if isinstance(duration, int) and not isinstance(duration, bool) and duration >= 0:
        turn["durationMs"] = duration
    return turn
