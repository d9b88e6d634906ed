"""Reflex wrappers of the React components in ``interview_call.jsx`` (beside this module)."""

import reflex as rx
from reflex.event import passthrough_event_spec

from interview_app.ui.kept import KeptCopy
from interview_app.ui.reports import CallEvent, DeviceReport, SavedSession

CALL_LIBRARY = rx.asset("interview_call.jsx", shared=True).importable_path


class InterviewCall(rx.Component):
    """Device check on mount (the microphone, and the camera only with ``camera``); the WebRTC call to
    the interviewer while ``active`` is true (placed again with the newest ``token`` when it drops);
    every camera and microphone track stopped once ``released`` is true; the saved session kept in
    sessionStorage and handed back by ``on_saved_session``."""

    library = CALL_LIBRARY
    tag = "InterviewCall"

    token: rx.Var[str]
    signaling_url: rx.Var[str]
    active: rx.Var[bool]
    released: rx.Var[bool]
    saved_session_key: rx.Var[str]
    saved_session: rx.Var[str]
    hide_token: rx.Var[bool]
    camera: rx.Var[bool]  # the plan's self view: ask for the camera too (else the microphone only)
    outbox: rx.Var[str]  # JSON {seq, events}: OpenAI client events the page says into the call, once per seq

    on_device: rx.EventHandler[passthrough_event_spec(DeviceReport)]
    on_status: rx.EventHandler[passthrough_event_spec(str)]
    on_event: rx.EventHandler[passthrough_event_spec(CallEvent)]
    on_error: rx.EventHandler[passthrough_event_spec(str)]
    on_saved_session: rx.EventHandler[passthrough_event_spec(SavedSession)]


class ElapsedTime(rx.Component):
    """``mm:ss`` since ``since`` (ISO 8601), ticking in the browser: no state update per second."""

    library = CALL_LIBRARY
    tag = "ElapsedTime"

    since: rx.Var[str]


class ForgetSavedSession(rx.Component):
    """Removes the tab's saved session (sessionStorage) (the completion screen: nothing to resume)."""

    library = CALL_LIBRARY
    tag = "ForgetSavedSession"

    saved_session_key: rx.Var[str]


class KeptInterview(rx.Component):
    """What the API does not have yet, kept in the browser's localStorage under ``kept_key`` (see
    ``ui/kept.py``): handed back by ``on_kept`` when the page opens, removed when it is ``"none"``."""

    library = CALL_LIBRARY
    tag = "KeptInterview"

    kept_key: rx.Var[str]
    kept_interview: rx.Var[str]

    on_kept: rx.EventHandler[passthrough_event_spec(KeptCopy)]


class ScrollToEnd(rx.Component):
    """Scrolls the element ``target_id`` to its end whenever ``watch`` changes (the feed's newest turn)."""

    library = CALL_LIBRARY
    tag = "ScrollToEnd"

    target_id: rx.Var[str]
    watch: rx.Var[str]


class KeyboardShortcut(rx.Component):
    """Clicks the button ``target_id`` on ``combo`` ("Alt+Shift+KeyD": modifiers and a key code), anywhere
    on the page or, with ``within_id``, while the focus is inside that element."""

    library = CALL_LIBRARY
    tag = "KeyboardShortcut"

    combo: rx.Var[str]
    target_id: rx.Var[str]
    within_id: rx.Var[str]


interview_call = InterviewCall.create
keyboard_shortcut = KeyboardShortcut.create
elapsed_time = ElapsedTime.create
scroll_to_end = ScrollToEnd.create
forget_saved_session = ForgetSavedSession.create
kept_interview = KeptInterview.create
