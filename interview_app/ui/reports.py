"""What the ``InterviewCall`` component reports to the page state: untrusted, like any event (no Reflex).

Any client can send any of these over the event websocket, so each is read field by field here,
with a type check and a size limit, before the state keeps anything of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

from interview_app.domain.device import USER_AGENT_MAX_CHARS
from interview_app.ui import feed

MicState = Literal["checking", "ready", "denied", "unavailable"]

TRANSCRIPT_DELTAS = {"response.output_audio_transcript.delta", "response.audio_transcript.delta"}
TRANSCRIPT_DONE = {"response.output_audio_transcript.done", "response.audio_transcript.done"}
CANDIDATE_TRANSCRIBED = "conversation.item.input_audio_transcription.completed"
MAX_TZ_OFFSET_MIN = 14 * 60
DEVICE_FIELDS = ("userAgent", "deviceType", "networkQuality")


class DeviceReport(TypedDict, total=False):
    """What the component reports once it has checked the devices."""

    userAgent: str
    deviceType: str
    networkQuality: str | None
    tzOffset: int
    mic: MicState
    message: str


class SavedSession(TypedDict, total=False):
    """The tab's saved session (sessionStorage) under ``key``."""

    key: str
    value: str | None


class CallEvent(TypedDict, total=False):
    """The component's digest of one ``oai-events`` message."""

    type: str
    id: str | None
    delta: str
    transcript: str
    message: str
    code: str
    startMs: int
    endMs: int


@dataclass(frozen=True)
class DeviceCheck:
    device: dict[str, str | None]  # userAgent, deviceType, networkQuality: strings or None
    tz_offset_min: int
    mic: MicState
    mic_message: str


def read_device_report(report: DeviceReport) -> DeviceCheck:
    device = {
        k: v if isinstance(v := report.get(k), str) else None for k in ("userAgent", "deviceType", "networkQuality")
    }
    offset = report.get("tzOffset")
    mic = report.get("mic")
    return DeviceCheck(
        device=device,
        tz_offset_min=offset if isinstance(offset, int) and abs(offset) <= MAX_TZ_OFFSET_MIN else 0,
        mic=mic if mic in ("ready", "denied", "unavailable") else "unavailable",
        mic_message=feed.clip(report.get("message")),
    )


def session_metadata(device: dict, offline_interview: bool = False, started_at: str = "") -> dict:
    """The device facts the session is registered with; an offline interview says so, and when it began
    (ignored by an API that takes the start from the grant, contracts.md item 1)."""
    metadata = {k: v for k, v in device.items() if v}
    if "userAgent" in metadata:
        metadata["userAgent"] = metadata["userAgent"][:USER_AGENT_MAX_CHARS]
    if offline_interview:
        metadata["offline"] = True
        if started_at:
            metadata["startedAt"] = started_at
    return metadata


def turn_id(value: object) -> str:
    """The event's item id when it is a short string, else the one shared placeholder ``turn``."""
    return value if isinstance(value, str) and 0 < len(value) <= 64 else "turn"
