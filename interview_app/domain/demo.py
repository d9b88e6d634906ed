"""The development demo (issue 20 §7): when the last demo application can still give a fresh interview.

``make run`` and ``make demo-app`` hand out the newest demo application only while a Start would
begin a new interview on it, the very rule start-session applies (:func:`rules.decide_start`).
Decision: a submitted one, one rate limited (three starts in ten minutes) and one with an interview
in progress (a session active in the last 5 minutes: maybe a tab still in the call, or the README's
curl) all get a new demo application instead, so every link printed starts a whole interview from
its greeting. A session left in progress longer is stale: a Start abandons it, so that application
is still good.

Which data is the demo's: the applications marked ``demo: true`` (every one this module creates, and
the seeded ``demo-application``), and the sessions and offline grants of those applications; nothing
else is ever touched by ``make demo-reset``.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from interview_app.demo import DEMO_CANDIDATE_NAME, DEMO_JOB_TITLE, DEMO_USER_ID
from interview_app.domain import rules
from interview_app.domain.model import Snapshot

DEMO_MARK = "demo"  # the application document's field that says it is demo data


def ready_for_a_new_interview(snapshot: Snapshot, now: datetime) -> bool:
    """True when a Start on this application now would begin a new interview (see the module)."""
    return isinstance(rules.decide_start(snapshot, now), rules.StartNew)


def new_demo_id(now: datetime) -> str:
    """A fresh demo application's id: readable, sortable by creation, never reused."""
    return f"demo-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def demo_application_document(application_id: str, now: datetime) -> dict:
    """A demo application as the app stores applications (``storage.sessions.application_from_document``)."""
    return {
        "_id": application_id,
        "userId": DEMO_USER_ID,
        "jobTitle": DEMO_JOB_TITLE,
        "candidateProfile": {"fullName": DEMO_CANDIDATE_NAME},
        "status": "interview_scheduled",
        "createdAt": now,
        DEMO_MARK: True,
    }
