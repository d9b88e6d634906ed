"""An ``InterviewState`` outside a running app, for unit tests of its handlers (no browser, no server)."""

from __future__ import annotations

import uuid

import reflex as rx
from reflex.istate.data import RouterData

import interview_app.interview_app  # noqa: F401  (its pages add the route's ``application_id`` var)
from interview_app.ui.state import InterviewState


def interview_state(phase: str = "live", application_id: str = "") -> InterviewState:
    root = rx.State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue]
    state = root.get_substate(InterviewState.get_full_name().split(".")[1:])
    assert isinstance(state, InterviewState)
    state.phase = phase  # pyright: ignore[reportAttributeAccessIssue]
    # A tab of its own (the client token keys per-connection limits), as if the page
    # /interview/<application_id> had sent the event when an application is given.
    router: dict = {"token": uuid.uuid4().hex}
    if application_id:
        router |= {"pathname": "/interview/[application_id]", "query": {"application_id": application_id}}
    state.router = RouterData.from_router_data(router)
    return state


def send(state: InterviewState, handler, *args):
    """Run an event handler's function on ``state`` as Reflex would (sync handlers only)."""
    return handler.fn(state, *args)
