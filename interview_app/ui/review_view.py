"""What the review console shows, read from the review API's JSON (plain functions, no Reflex).

The API's answers are read defensively (a missing or odd field shows as "—", never an error):
old sessions lack newer fields, and an erased session keeps only its tombstone. Times are shown
in UTC, labelled so, because a hiring team may sit in several time zones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TypedDict
from urllib.parse import quote

NONE = "—"
DIMENSIONS = (("clarity", "Clarity"), ("correctness", "Correctness"), ("depth", "Depth"))
DECISIONS = (("advance", "Advance"), ("hold", "Hold"), ("reject", "Reject"))
STATUS_LABELS = {
    "in_progress": "In progress",
    "completed": "Completed",
    "abandoned": "Abandoned",
}
SCORING_LABELS = {
    "pending": "Waiting to be scored",
    "running": "Being scored",
    "scored": "Scored",
    "insufficient": "Not enough to score",
    "failed": "Scoring failed",
    "not_consented": "No consent to score",
}
END_REASONS = {
    "candidate_ended": "ended by the candidate",
    "interview_complete": "all questions asked",
    "connection_lost": "connection lost",
}
EVENT_LABELS = {
    "session.started": "Started",
    "session.resumed": "Resumed",
    "session.completed": "Ended",
    "session.abandoned": "Abandoned",
    "call.connected": "Call connected",
    "call.ended": "Call ended",
    "call.reconnected": "Reconnected",
    "offline.reconciled": "Offline interview uploaded",
    "transcript.dropped": "A turn was lost",
    "consent.given": "Consent given",
    "accommodation.requested": "Accommodation requested",
    "scoring.scored": "Scored",
    "scoring.failed": "Scoring failed",
    "scoring.requeued": "Sent back to scoring",
    "review.viewed": "Viewed",
    "review.decided": "Decided",
    "personal_data.erased": "Personal data erased",
}
# Filter choices: (value sent to the API, label). "" means any.
STATUS_FILTER = (
    ("", "Any status"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("abandoned", "Abandoned"),
)
SCORING_FILTER = (("", "Any scoring"), ("none", "Not queued for scoring"), *SCORING_LABELS.items())
DECISION_FILTER = (("", "Any decision"), ("none", "Awaiting decision"), *DECISIONS)


class ListRow(TypedDict):
    session_id: str
    href: str
    candidate: str
    job: str
    status: str
    status_label: str
    started: str
    duration: str
    device: str
    flags: str
    score: str
    scoring: str
    decision: str
    live: bool


class Turn(TypedDict):
    item_id: str
    dom_id: str
    role: str
    time: str
    text: str
    badge: str
    badge_color: str
    page_text: str


class Evidence(TypedDict):
    item_id: str
    quote: str


class Dimension(TypedDict):
    key: str
    label: str
    score: str
    rationale: str
    evidence: list[Evidence]


class TimelineEntry(TypedDict):
    time: str
    label: str
    detail: str


class Field(TypedDict):
    label: str
    value: str


def mapping(value: object) -> Mapping:
    """``value`` when it is a JSON object, else an empty one (a field an older session lacks)."""
    return value if isinstance(value, Mapping) else {}


def text(value: object, limit: int = 2000) -> str:
    """A value as display text (``NONE`` when absent), clipped."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)[:limit]


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def date_time(value: object) -> str:
    moment = _time(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else NONE


def clock(value: object) -> str:
    moment = _time(value)
    return moment.strftime("%H:%M:%S") if moment else NONE


def duration(seconds: object) -> str:
    """``12 min 5 s``; ``NONE`` when unknown (an interview still in progress)."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        return NONE
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def score(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(round(value))
    return NONE


def decision_label(decision: object) -> str:
    """The human decision's label; "Awaiting decision" when none was made."""
    return dict(DECISIONS).get(str(decision), "Awaiting decision") if decision else "Awaiting decision"


def session_href(session_id: str) -> str:
    return f"/review/{quote(session_id, safe='')}"


def list_row(item: Mapping) -> ListRow:
    session_id = str(item.get("sessionId", ""))
    status = str(item.get("status", ""))
    flags = []
    if item.get("offline"):
        flags.append("offline")
    if item.get("transcriptVerified") is False and status != "in_progress":
        flags.append("unverified transcript")
    if item.get("erased"):
        flags.append("personal data erased")
    return ListRow(
        session_id=session_id,
        href=session_href(session_id),
        candidate=text(item.get("candidateName"), 200),
        job=text(item.get("jobTitle"), 200),
        status=status,
        status_label=STATUS_LABELS.get(status, text(status)),
        started=date_time(item.get("startedAt")),
        duration=duration(item.get("duration")),
        device=text(item.get("deviceType"), 40),
        flags=", ".join(flags),
        score=score(item.get("finalScore")),
        scoring=SCORING_LABELS.get(str(item.get("scoringStatus")), NONE),
        decision=decision_label(item.get("decision")),
        live=status == "in_progress",
    )


def counts(body: Mapping) -> dict[str, str]:
    """The four cards: in progress now, completed, awaiting decision, average score."""
    raw = mapping(body.get("counts"))
    return {
        "in_progress": text(raw.get("inProgress", 0)),
        "completed": text(raw.get("completed", 0)),
        "awaiting_decision": text(raw.get("awaitingDecision", 0)),
        "average_score": score(raw.get("averageScore")),
    }


def source_badge(item: Mapping) -> tuple[str, str]:
    """(label, colour) of a turn's provenance: only what the interviewer's provider heard is verified."""
    source = item.get("source", "client")
    if source == "provider":
        return ("typed", "blue") if item.get("input") == "text" else ("spoken", "green")
    if source == "offline":
        return "offline, unverified", "orange"
    return "page record, unverified", "amber"


def turn(item: Mapping) -> Turn:
    item_id = str(item.get("id", ""))
    badge, color = source_badge(item)
    page_text = item.get("clientText")
    return Turn(
        item_id=item_id,
        dom_id=turn_dom_id(item_id),
        role="Interviewer" if item.get("role") == "interviewer" else "Candidate",
        time=clock(item.get("at")),
        text=text(item.get("text"), 4000),
        badge=badge,
        badge_color=color,
        page_text=str(page_text)[:4000] if isinstance(page_text, str) else "",
    )


def turn_dom_id(item_id: str) -> str:
    """An HTML id for a turn whatever characters its item id holds."""
    return "turn-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in item_id)[:140]


def dimensions(scoring: Mapping) -> list[Dimension]:
    found = mapping(scoring.get("dimensions"))
    result = []
    for key, label in DIMENSIONS:
        dimension = found.get(key)
        if not isinstance(dimension, Mapping):
            continue
        evidence = [
            Evidence(item_id=str(quote_.get("itemId", "")), quote=str(quote_.get("quote", ""))[:1000])
            for quote_ in dimension.get("evidence") or []
            if isinstance(quote_, Mapping)
        ]
        result.append(
            Dimension(
                key=key,
                label=label,
                score=score(dimension.get("score")),
                rationale=text(dimension.get("rationale"), 4000),
                evidence=evidence,
            )
        )
    return result


def chart(breakdown: object) -> list[dict]:
    """The bars of the score chart: the three dimensions the API stored, 0-100."""
    if not isinstance(breakdown, Mapping):
        return []
    return [
        {"dimension": label, "score": int(breakdown[key])}
        for key, label in DIMENSIONS
        if isinstance(breakdown.get(key), int | float) and not isinstance(breakdown.get(key), bool)
    ]


def chart_summary(bars: list[dict]) -> str:
    """The chart's accessible name: every number as words a screen reader reads out."""
    if not bars:
        return "No dimension scores"
    return "Scores out of 100: " + ", ".join(f"{bar['dimension']} {bar['score']}" for bar in bars)


def event_entry(event: Mapping) -> TimelineEntry:
    kind = str(event.get("type", ""))
    payload = mapping(event.get("payload"))
    details = []
    if payload.get("decision"):
        details.append(decision_label(payload["decision"]))
    if payload.get("by"):
        details.append(f"by {text(payload['by'], 200)}")
    if payload.get("reason"):
        details.append(END_REASONS.get(str(payload["reason"]), text(payload["reason"], 200)))
    if payload.get("note"):
        details.append(f"“{text(payload['note'], 300)}”")
    if payload.get("code"):
        details.append(text(payload["code"], 60))
    return TimelineEntry(
        time=date_time(event.get("timestamp")),
        label=EVENT_LABELS.get(kind, kind.replace(".", " ").replace("_", " ").capitalize() or NONE),
        detail=" · ".join(details),
    )


def metadata_fields(session: Mapping) -> list[Field]:
    metadata = mapping(session.get("metadata"))
    return [
        Field(label="Session", value=text(session.get("sessionId"), 200)),
        Field(label="Application", value=text(session.get("applicationId"), 200)),
        Field(label="Started", value=date_time(session.get("startedAt"))),
        Field(label="Completed", value=date_time(session.get("completedAt"))),
        Field(label="End reason", value=END_REASONS.get(str(session.get("endReason")), text(session.get("endReason")))),
        Field(label="Device", value=text(metadata.get("deviceType"), 40)),
        Field(label="Network", value=text(metadata.get("networkQuality"), 40)),
        Field(label="Browser", value=text(metadata.get("userAgent"), 300)),
        Field(label="IP address", value=text(metadata.get("ipAddress"), 60)),
        Field(label="Offline interview", value=text(bool(metadata.get("offline")))),
    ]


def consent_text(session: Mapping) -> str:
    consent = session.get("consent")
    if not isinstance(consent, Mapping):
        return "No consent recorded"
    return f"Given {date_time(consent.get('at'))} (notice {text(consent.get('noticeVersion'), 32)})"


def accommodation_text(session: Mapping) -> str:
    request = session.get("accommodationRequested")
    if not isinstance(request, Mapping):
        return "None requested"
    return f"{date_time(request.get('at'))}: {text(request.get('note'), 2000)}"


def decision_summary(review: object) -> str:
    """The current decision in one line: "Advance by alice@example.com, 2026-11-30 00:31 UTC"."""
    if not isinstance(review, Mapping) or not review.get("decision"):
        return "Awaiting decision"
    return f"{decision_label(review['decision'])} by {text(review.get('by'), 200)}, {date_time(review.get('at'))}"
