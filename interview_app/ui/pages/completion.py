"""The completion screen: what the API stored about the interview, never a made-up score."""

import reflex as rx

from interview_app.ui.completion_state import CompletionState
from interview_app.ui.components.interview_call import (
    forget_saved_session,
    kept_interview,
)
from interview_app.ui.pages.feed_panel import connection_banner
from interview_app.ui.pages.frame import page_frame
from interview_app.ui.pages.interview import score_link, top_bar
from interview_app.ui.state import InterviewState


def stat(label: str, value: rx.Var | str | int, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="5", weight="bold", id=element_id),
        spacing="0",
        class_name="stat",
    )


def score_lines() -> rx.Component:
    """The stored score, only when the session has one."""
    return rx.cond(
        CompletionState.final_score != "",
        rx.vstack(
            rx.text("Score: ", CompletionState.final_score, size="3", weight="bold", id="completion-score"),
            rx.foreach(
                CompletionState.score_lines,
                lambda line: rx.text(line["label"], ": ", line["value"], size="2"),
            ),
            spacing="1",
        ),
    )


def submitted() -> rx.Component:
    return rx.vstack(
        rx.icon("circle-check", size=40, color="var(--green-11)", aria_hidden="true"),
        rx.heading("Interview submitted", size="7", as_="h1"),
        rx.cond(
            InterviewState.job_title != "",
            rx.text(InterviewState.job_title, size="3", color_scheme="gray"),
        ),
        rx.hstack(
            rx.cond(
                CompletionState.duration_label != "",
                stat("Duration", CompletionState.duration_label, "completion-duration"),
            ),
            stat("Questions answered", CompletionState.answered, "completion-answered"),
            spacing="6",
            wrap="wrap",
        ),
        score_lines(),
        rx.text("The hiring team will review your interview. You can close this tab.", size="3"),
        score_link(),
        connection_banner(),
        spacing="4",
        align="start",
    )


def nothing_submitted() -> rx.Component:
    return rx.vstack(
        rx.heading("Nothing submitted yet", size="6", as_="h1"),
        rx.text(
            "This interview has not been submitted. Open the link from your invitation to take it.",
            size="3",
        ),
        spacing="3",
    )


def completion_page() -> rx.Component:
    """The interview page's brand header, then the card in the middle of what is left."""
    card = rx.card(
        rx.cond(CompletionState.submitted, submitted(), nothing_submitted()),
        forget_saved_session(saved_session_key=InterviewState.saved_session_key),
        kept_interview(kept_key=InterviewState.kept_interview_key, kept_interview=InterviewState.kept_interview),
        id="completion",
        max_width="560px",
        width="100%",
    )
    return page_frame(top_bar(), rx.center(card, width="100%", flex="1"), min_height="100vh")
