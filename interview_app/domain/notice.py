"""The notice a candidate reads before an AI-led interview, and the consent that answers it.

Hiring law asks for it when AI evaluates a candidate (NYC Local Law 144's notice, Illinois' AI
Video Interview Act's notice and consent, the EU AI Act's duty to inform). The text and its
version live here only: the preview API returns them, the page shows them, and a session stores
the version the candidate agreed to. Change the text, change the version.
"""

from __future__ import annotations

from datetime import datetime

NOTICE_VERSION = "2026-11-ai-interview-1"
MAX_VERSION_CHARS = 32  # a consent's ``noticeVersion`` is a non-empty string of at most this

NOTICE_PARAGRAPHS = (
    "An AI interviewer runs this interview: it asks the questions and listens to your answers.",
    "What is recorded: the transcript of the conversation (the words you and the interviewer say or type). "
    "No video and no audio recording is kept.",
    "What is evaluated: the clarity, correctness and depth of your answers. Never your voice, accent, "
    "appearance, pace or emotions.",
    "A person on the hiring team makes the decision. The AI's scores only help them review your answers.",
    "If you need another format or an adjustment, request an accommodation instead of starting.",
)
NOTICE_TEXT = "\n\n".join(NOTICE_PARAGRAPHS)


def notice() -> dict:
    """The notice as the API returns it: ``{version, text}``."""
    return {"version": NOTICE_VERSION, "text": NOTICE_TEXT}


def consent_record(notice_version: str, now: datetime) -> dict:
    """What a session stores when the candidate agreed: the server's time, never the client's."""
    return {"at": now, "noticeVersion": notice_version}
