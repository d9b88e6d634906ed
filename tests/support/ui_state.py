"""An ``InterviewState`` outside a running app, for unit tests of its handlers (no browser, no server).

Tests drive it through its events (:func:`send`) and read its public vars; what the API has not
had yet is read where the browser reads it, the ``kept_interview`` copy (:func:`unsent_turns`).
"""

from __future__ import annotations

import asyncio
import inspect
import uuid

import reflex as rx
from reflex.istate.data import RouterData

import interview_app.interview_app  # noqa: F401  (its pages add the route's ``application_id`` var)
from interview_app.ui import kept, sync_state
from interview_app.ui.completion_state import CompletionState
from interview_app.ui.feed import Turn
from interview_app.ui.state import InterviewState
from interview_app.ui.sync import SyncJob, SyncResult


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


def open_application(state: InterviewState, application_id: str) -> None:
    """The same tab opens another application's page (its events now come from that page)."""
    state.router = RouterData.from_router_data(
        {
            "token": state.router.session.client_token,
            "pathname": "/interview/[application_id]",
            "query": {"application_id": application_id},
        }
    )


def send(state: InterviewState, handler, *args):
    """Run an event handler's function on ``state`` as Reflex would, to its end: what it returned (an
    async generator's yields, as a list)."""
    outcome = handler.fn(state, *args)
    if inspect.iscoroutine(outcome):
        return asyncio.run(outcome)
    if inspect.isasyncgen(outcome):

        async def drain(generator):
            return [event async for event in generator]

        return asyncio.run(drain(outcome))
    return outcome


def completion_of(state: InterviewState) -> CompletionState:
    """The completion screen's state of the same tab."""
    root = state.parent_state
    assert root is not None
    completion = root.get_substate(CompletionState.get_full_name().split(".")[1:])
    assert isinstance(completion, CompletionState)
    return completion


def unsent_turns(state: InterviewState) -> dict[str, Turn]:
    """The turns the API has not had yet, as the browser keeps them (localStorage), by id."""
    found = kept.decode(state.kept_interview)
    return {turn["id"]: turn for turn in found.turns} if found else {}


def kept_grant(state: InterviewState) -> str:
    found = kept.decode(state.kept_interview)
    return found.grant if found else ""


class ScriptDone(Exception):
    """The scripted sync has nothing more to answer: the test has seen what it wanted."""


class _Ticks:
    """Stands in for ``asyncio`` in ``sync_state``: no waiting, and a bounded number of rounds."""

    def __init__(self, rounds: int) -> None:
        self.left = rounds

    async def sleep(self, _seconds: float) -> None:
        self.left -= 1
        if self.left < 0:
            raise ScriptDone


def run_sync(state: InterviewState, monkeypatch, *answers: SyncResult, heartbeat: bool = False) -> list[SyncJob]:
    """Run the state's real background sync (``sync_with_api``), each round's HTTP work answered in
    turn by ``answers``; the jobs it planned, in order. It stops when the sync stops by itself, or
    after the answers and two idle rounds more."""
    jobs: list[SyncJob] = []
    script = list(answers)

    async def answer(job: SyncJob, transport=None) -> SyncResult:
        jobs.append(job)
        if not script:
            raise ScriptDone
        return script.pop(0)

    monkeypatch.setattr(sync_state, "asyncio", _Ticks(len(answers) + 2))
    monkeypatch.setattr(sync_state, "RETRY_AFTER_OUTAGE_S", 0)
    monkeypatch.setattr(sync_state, "HEARTBEAT_EVERY_S", 0 if heartbeat else 3600)
    monkeypatch.setattr(SyncJob, "run", answer)
    try:
        send(state, InterviewState.sync_with_api)
    except ScriptDone:
        pass
    return jobs
