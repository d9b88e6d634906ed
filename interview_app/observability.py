"""Sentry: initialised once per process when ``SENTRY_DSN`` is set, and the product events.

Product events (``interview.session.*``) are sent as Sentry events whose message is the event
name, with the fields as ``extra`` and the session id as the ``session_id`` tag, so one search
in Sentry shows a session's story next to the traces and errors of the same requests.
"""

from __future__ import annotations

import contextlib
import logging
import threading

import sentry_sdk
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

from interview_app.config import Settings

log = logging.getLogger("interview_app.events")
_init_lock = threading.Lock()
_initialised = False

SESSION_STARTED = "interview.session.started"
SESSION_API_FAILED = "interview.session.api_failed"
SESSION_OFFLINE_MODE = "interview.session.offline_mode"
SESSION_COMPLETED = "interview.session.completed"
SESSION_SCORED = "interview.session.scored"


def init_sentry(settings: Settings) -> bool:
    """Initialise sentry-sdk once; returns whether Sentry is on."""
    global _initialised
    if not settings.sentry_dsn:
        return False
    with _init_lock:
        if not _initialised:
            sentry_sdk.init(
                dsn=settings.sentry_dsn,
                environment="production" if settings.prod else "development",
                traces_sample_rate=settings.sentry_traces_sample_rate,
                # The default scrubber hides any key named like "session"; our session ids are
                # opaque identifiers we need for tracing, so only those words are taken off the list.
                event_scrubber=EventScrubber(
                    denylist=[w for w in DEFAULT_DENYLIST if w not in {"session", "sessionid"}]
                ),
            )
            _initialised = True
    return True


@contextlib.contextmanager
def _scope(session_id: str | None, fields: dict):
    """A Sentry scope tagged with the session and carrying ``fields`` as the interview's context."""
    with sentry_sdk.new_scope() as scope:
        if session_id:
            scope.set_tag("session_id", session_id)
        scope.set_context("interview", fields)
        yield scope


def track(name: str, fields: dict, session_id: str | None = None) -> None:
    """Record a product event (always logged; sent to Sentry when it is on)."""
    log.info("%s %s", name, fields)
    if not sentry_sdk.is_initialized():
        return
    with _scope(session_id, fields) as scope:
        scope.set_tag("event_name", name)
        sentry_sdk.capture_event(
            {"message": name, "level": "info", "extra": dict(fields), "logger": "interview_app.events"}
        )


def capture_failure(message: str, fields: dict, session_id: str | None = None) -> None:
    """A failure worth an operator's look (logged; an error event in Sentry when it is on)."""
    log.warning("%s %s", message, fields)
    if not sentry_sdk.is_initialized():
        return
    with _scope(session_id, fields):
        sentry_sdk.capture_message(message, level="error")


def flush(timeout: float = 2.0) -> None:
    if sentry_sdk.is_initialized():
        sentry_sdk.flush(timeout=timeout)
