"""The interview feed and transcript as plain data: bounded, merged by item id, free of Reflex.

Everything a browser sends is untrusted and every feed change is re-sent to the browser, so the
feed is bounded (:data:`TEXT_MAX_CHARS` per item, :data:`MAX_ITEMS` items, oldest dropped) and
an event payload over :data:`EVENT_MAX_BYTES` is ignored before it is looked at.
"""

from __future__ import annotations

import json
from typing import Literal, NotRequired, TypedDict

TEXT_MAX_CHARS = 2_000
MAX_ITEMS = 80  # a 30-minute interview has about 35 turns and notices; the transcript API keeps all
EVENT_MAX_BYTES = 8 * 1024

FeedKind = Literal["system", "interviewer", "candidate", "error"]
Role = Literal["interviewer", "candidate"]


class FeedItem(TypedDict):
    id: str
    time: str
    kind: FeedKind
    text: str


class Turn(TypedDict):
    """One turn as the page sends it to the transcript API (``id`` from the provider's events).

    Not ``domain.model.Turn``: this is the API's JSON shape (``durationMs``), kept by the page.
    """

    id: str
    role: Role
    text: str
    at: str
    durationMs: NotRequired[int]


def clip(text: object) -> str:
    return text[:TEXT_MAX_CHARS] if isinstance(text, str) else ""


def too_large(payload: object) -> bool:
    """True for a payload over :data:`EVENT_MAX_BYTES` once encoded, or one that cannot be encoded."""
    try:
        return len(json.dumps(payload, separators=(",", ":")).encode()) > EVENT_MAX_BYTES
    except (TypeError, ValueError, RecursionError):
        return True


def find(feed: list[FeedItem], item_id: str) -> int | None:
    """Index of the item with this id, newest first (turns being merged are near the end)."""
    return next((i for i in range(len(feed) - 1, -1, -1) if feed[i]["id"] == item_id), None)


def upsert(feed: list[FeedItem], item: FeedItem) -> list[FeedItem]:
    """A new list with ``item`` replacing the one of the same id, or appended; oldest dropped past the cap."""
    item = {**item, "text": clip(item["text"])}
    index = find(feed, item["id"])
    if index is not None:  # a turn keeps the time it began
        return [*feed[:index], {**item, "time": feed[index]["time"]}, *feed[index + 1 :]]
    return [*feed, item][-MAX_ITEMS:]


def answer_label(duration_ms: int | None) -> str:
    """What the feed shows for a candidate answer without text (the local interviewer does not transcribe)."""
    seconds = max(0, round((duration_ms or 0) / 1000))
    return f"Answer recorded · {seconds // 60}:{seconds % 60:02d}"


def mm_ss(seconds: int | float | None) -> str:
    """An elapsed time as the page's clock shows it (``ElapsedTime`` in the component): ``05:03``."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
