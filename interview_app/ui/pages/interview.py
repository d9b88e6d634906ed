"""The interview room: the preview before Start, the current question, the devices and the feed."""

import reflex as rx

from interview_app.ui.components.interview_call import (
    elapsed_time,
)
from interview_app.ui.pages.call_controls import (
    device_panel,
    status_line,
)
from interview_app.ui.pages.feed_panel import feed_panel
from interview_app.ui.pages.frame import brand_mark, page_frame
from interview_app.ui.pages.notice_panel import accommodation, notice
from interview_app.ui.pages.problem import problem_page
from interview_app.ui.state import InterviewState

CHECKLIST = [
    ("volume-x", "Find a quiet place where you won't be interrupted."),
    ("headphones", "Headphones help the interviewer hear you clearly."),
    ("mic", "The interview is spoken. Its transcript is kept for the hiring team."),
]
SCORE_LINK_WORDS = "See your interview's score"


def score_link() -> rx.Component:
    """To the score screen of the submitted interview."""
    return rx.link(
        SCORE_LINK_WORDS, href=f"/interview/{InterviewState.application_id}/score", id="view-score", size="2"
    )


def already_submitted() -> rx.Component:
    """Nothing to start, nothing to check: no microphone, no feed."""
    return rx.card(
        rx.hstack(
            rx.icon("circle-check", size=28, color="var(--green-11)", aria_hidden="true", flex_shrink="0"),
            rx.vstack(
                rx.text(InterviewState.error_message, size="3", weight="medium", id="interview-error", role="status"),
                rx.text(
                    "The hiring team will review your interview. You can close this tab.", size="2", color_scheme="gray"
                ),
                score_link(),
                spacing="1",
            ),
            align="start",
            spacing="3",
        ),
        width="100%",
        max_width="640px",
    )


def preview() -> rx.Component:
    """Before Start: who it is for, how long, and what to prepare."""
    return rx.cond(
        InterviewState.in_call
        | (InterviewState.phase == "ended")
        | (InterviewState.application_status == "completed")
        | (InterviewState.session_id != "")
        | InterviewState.offline,  # once begun, the checklist has done its job
        rx.fragment(),
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=16, aria_hidden="true", flex="none"),
                rx.cond(  # issue 20 §4: the plan's size, never a made-up figure (none while the API is away)
                    InterviewState.interview_size != "",
                    rx.text(
                        rx.el.span(InterviewState.interview_size, id="interview-size"),
                        " · spoken, with an AI interviewer",
                        size="2",
                        weight="medium",
                    ),
                    rx.text("Spoken, with an AI interviewer", size="2", weight="medium"),
                ),
                align="start",
                spacing="2",
            ),
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.hstack(
                            rx.icon(icon, size=16, aria_hidden="true"),
                            rx.text(text, size="2"),
                            align="start",
                            spacing="2",
                        )
                    )
                    for icon, text in CHECKLIST
                ],
                class_name="checklist",
                id="checklist",
            ),
            notice(),
            accommodation(),
            spacing="2",
        ),
    )


def current_question() -> rx.Component:
    return rx.cond(
        InterviewState.in_call & (InterviewState.current_question != ""),
        rx.box(
            rx.cond(
                InterviewState.closing_heard,
                rx.hstack(
                    rx.icon("circle-check", size=14, color="var(--green-11)", aria_hidden="true"),
                    rx.text("Interview complete", size="1", weight="bold", color_scheme="green", high_contrast=True),
                    align="center",
                    spacing="1",
                    id="interview-complete",
                ),
                rx.text("Current question", size="1", weight="bold", color_scheme="indigo"),
            ),
            rx.text(InterviewState.current_question, size="3"),
            id="current-question",
            class_name=rx.cond(
                InterviewState.closing_heard, "current-question current-question--done", "current-question"
            ),
        ),
    )


def top_bar() -> rx.Component:
    return rx.hstack(
        brand_mark(),
        rx.cond(
            InterviewState.in_call,
            rx.hstack(
                rx.icon("timer", size=16, aria_hidden="true"),
                elapsed_time(since=InterviewState.started_at, id="elapsed-time", class_name="elapsed"),
                align="center",
                spacing="1",
            ),
            rx.text("Secure session", size="1", color_scheme="gray"),
        ),
        justify="between",
        align="center",
        width="100%",
    )


def checking_link() -> rx.Component:
    """While the link is checked (a moment): nothing is asked of the browser yet."""
    return rx.card(
        rx.hstack(
            rx.spinner(size="2"),
            rx.text("Checking your interview link…", size="2"),
            align="center",
            spacing="2",
        ),
        id="checking-link",
        role="status",
        width="100%",
    )


def room() -> rx.Component:
    """The devices, Start and the conversation, once the link is good (or the API unreachable)."""
    return rx.cond(
        InterviewState.application_status == "completed",
        already_submitted(),
        rx.flex(
            rx.box(device_panel(), width=["100%", "100%", "40%"]),
            rx.box(feed_panel(), width=["100%", "100%", "60%"]),
            direction=rx.breakpoints(initial="column", md="row"),
            spacing="4",
            width="100%",
            align="start",
        ),
    )


def bad_link() -> rx.Component:
    """Issue 20 §8: the link's problem and what to do, before anything else (no device check, no Start)."""
    return problem_page(
        InterviewState.problem_title,
        InterviewState.problem_message,
        InterviewState.problem_advice,
        element_id="interview-error",
    )


def interview_page() -> rx.Component:
    return rx.cond(InterviewState.link_status == "bad", bad_link(), interview_room())


def interview_room() -> rx.Component:
    return page_frame(
        top_bar(),
        rx.vstack(
            rx.heading(
                rx.cond(InterviewState.job_title != "", InterviewState.job_title, "Your interview"),
                size="7",
                as_="h1",
                id="job-title",
            ),
            rx.cond(
                InterviewState.candidate_name != "",
                rx.text("Welcome, ", InterviewState.candidate_name, size="3", color_scheme="gray", id="candidate-name"),
                rx.text("A short spoken interview with an AI interviewer.", size="3", color_scheme="gray"),
            ),
            rx.cond(
                InterviewState.link_status == "checking",
                checking_link(),
                rx.fragment(status_line(), preview(), current_question()),
            ),
            spacing="2",
            width="100%",
        ),
        rx.cond(InterviewState.link_status == "checking", rx.fragment(), room()),
    )
