"""Reflex wrapper of the ``InterviewCall`` React component (``assets/interview_call.jsx``)."""

import reflex as rx
from reflex.event import passthrough_event_spec


class InterviewCall(rx.Component):
    """Device check on mount; the WebRTC call to the interviewer while ``active`` is true."""

    library = "$/public/interview_call.jsx"
    tag = "InterviewCall"

    token: rx.Var[str]
    signaling_url: rx.Var[str]
    active: rx.Var[bool]
    storage_key: rx.Var[str]
    stored_session: rx.Var[str]

    on_device: rx.EventHandler[passthrough_event_spec(str)]
    on_status: rx.EventHandler[passthrough_event_spec(str)]
    on_event: rx.EventHandler[passthrough_event_spec(str)]
    on_error: rx.EventHandler[passthrough_event_spec(str)]


interview_call = InterviewCall.create
