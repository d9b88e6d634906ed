"""Before Start: the notice in plain words, the consent checkbox, and another way (accommodation)."""

import reflex as rx

from interview_app.api.schemas import MAX_ACCOMMODATION_NOTE_CHARS
from interview_app.ui.consent_state import ACCOMMODATION_FAILED, ACCOMMODATION_SENT
from interview_app.ui.state import InterviewState


def notice() -> rx.Component:
    """The notice the API gave (its version is what the candidate agrees to)."""
    return rx.cond(
        InterviewState.notice_paragraphs.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
        rx.box(
            rx.heading("Before you start: how this interview works", size="3", as_="h2", id="notice-title"),
            rx.foreach(InterviewState.notice_paragraphs, lambda part: rx.text(part, size="2")),
            id="notice",
            class_name="notice",
            role="region",
            aria_labelledby="notice-title",
        ),
    )


RECORDING_WORDS = "What is recorded: the transcript of what is said. No audio or video is stored."


def recording_note() -> rx.Component:
    """Beside the consent (issue 20 §9): what is kept of the interview, in one line."""
    return rx.hstack(
        rx.icon("file-text", size=16, color="var(--gray-11)", aria_hidden="true", flex="none"),
        rx.text(RECORDING_WORDS, size="2", color_scheme="gray", high_contrast=True),
        align="start",
        spacing="2",
        id="recording-note",
    )


def consent_checkbox() -> rx.Component:
    """Start stays disabled until this is ticked."""
    return rx.checkbox(
        "I have read how this interview works and agree to be interviewed and evaluated this way.",
        id="consent",
        checked=InterviewState.consented,
        on_change=InterviewState.set_consent,
        size="2",
    )


def accommodation() -> rx.Component:
    """Another way: a request (with an optional note) a person on the hiring team answers."""
    return rx.box(
        rx.match(
            InterviewState.accommodation,
            (
                "sent",
                rx.callout(
                    ACCOMMODATION_SENT,
                    icon="circle-check",
                    color_scheme="green",
                    id="accommodation-sent",
                    role="status",
                ),
            ),
            (
                "closed",
                rx.button(
                    rx.icon("hand-helping", aria_hidden="true"),
                    "Request an accommodation or another format",
                    id="request-accommodation",
                    variant="soft",
                    color_scheme="gray",
                    on_click=InterviewState.open_accommodation,
                ),
            ),
            rx.vstack(
                rx.text(
                    "Tell the hiring team what you need (optional). A person reads it and contacts you.",
                    as_="label",
                    html_for="accommodation-note",
                    size="2",
                ),
                rx.text_area(
                    id="accommodation-note",
                    value=InterviewState.accommodation_note,
                    on_change=InterviewState.set_accommodation_note,
                    max_length=MAX_ACCOMMODATION_NOTE_CHARS,
                    placeholder="For example: I would prefer a written interview.",
                    width="100%",
                ),
                rx.cond(
                    InterviewState.accommodation == "failed",
                    rx.text(ACCOMMODATION_FAILED, size="2", color_scheme="red", role="alert"),
                ),
                rx.hstack(
                    rx.button(
                        rx.cond(InterviewState.accommodation == "sending", rx.spinner(size="2"), rx.icon("send")),
                        "Send request",
                        id="send-accommodation",
                        disabled=InterviewState.accommodation == "sending",
                        on_click=InterviewState.send_accommodation,
                    ),
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="gray",
                        on_click=InterviewState.close_accommodation,
                        id="cancel-accommodation",
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        id="accommodation",
        width="100%",
    )
