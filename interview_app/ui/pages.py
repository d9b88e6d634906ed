"""The candidate's pages: a short home page, the interview room and the completion screen."""

import reflex as rx

from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.ui.components.interview_call import (
    elapsed_time,
    forget_saved_session,
    interview_call,
    kept_interview,
    scroll_to_end,
)
from interview_app.ui.state import FeedItem, InterviewState

PHASE_WORDS = {
    "idle": "Check your microphone, then start when you're ready.",
    "starting": "Preparing your interview…",
    "connecting": "Connecting you to your interviewer…",
    "live": "You're live. Speak naturally; the interviewer moves on when you pause.",
    "reconnecting": "Connection lost. Reconnecting you to your interviewer…",
    "ended": "Your interview has ended.",
    "error": "Something needs your attention.",
}
CHECKLIST = [
    ("volume-x", "Find a quiet place where you won't be interrupted."),
    ("headphones", "Headphones help the interviewer hear you clearly."),
    ("mic", "The interview is spoken. Its transcript is kept for the hiring team."),
]


def status_line() -> rx.Component:
    """The phase keyword for tests and assistive tech (visually hidden), and plain words for everyone."""
    return rx.hstack(
        rx.text(InterviewState.phase, id="interview-phase", class_name="visually-hidden", as_="span"),
        rx.cond(
            InterviewState.in_call,
            rx.box(class_name=rx.cond(InterviewState.phase == "live", "dot dot--live", "dot dot--wait")),
        ),
        rx.text(
            rx.cond(
                InterviewState.application_status == "completed",
                "Your interview has been submitted.",
                rx.cond(
                    (InterviewState.phase == "idle") & InterviewState.resumable,
                    "Your interview is paused. Resume when you're ready.",
                    rx.match(InterviewState.phase, *PHASE_WORDS.items(), ""),
                ),
            ),
            id="interview-status",
            size="2",
            color_scheme="gray",
            role="status",
        ),
        align="center",
        spacing="2",
        wrap="nowrap",
    )


def talk_state() -> rx.Component:
    return rx.cond(
        InterviewState.phase == "live",
        rx.badge(
            rx.cond(InterviewState.speaking, rx.icon("volume-2", size=14), rx.icon("mic", size=14)),
            rx.cond(
                InterviewState.speaking,
                "Interviewer is speaking",
                rx.cond(InterviewState.listening, "Listening…", "Your turn"),
            ),
            id="talk-state",
            color_scheme=rx.cond(InterviewState.speaking, "indigo", "green"),
            variant="soft",
            size="2",
        ),
    )


def end_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("End your interview?"),
            rx.alert_dialog.description("You can't restart it. Your answers so far are sent to the hiring team."),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Keep going",
                        variant="soft",
                        color_scheme="gray",
                        on_click=InterviewState.cancel_end,
                        id="cancel-end",
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        "End interview",
                        color_scheme="red",
                        high_contrast=True,
                        id="confirm-end",
                        on_click=InterviewState.end_interview("candidate_ended"),
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
                wrap="wrap",
            ),
            max_width="420px",
        ),
        open=InterviewState.confirming_end,
    )


def call_buttons() -> rx.Component:
    return rx.cond(
        InterviewState.in_call,
        rx.vstack(
            rx.cond(
                InterviewState.closing_heard,
                rx.button(
                    rx.icon("circle-check"),
                    "Finish interview",
                    id="finish-interview",
                    size="3",
                    width="100%",
                    on_click=InterviewState.end_interview("interview_complete"),
                ),
            ),
            rx.button(
                rx.icon("phone-off"),
                "End interview",
                id="end-interview",
                size="3",
                color_scheme="red",
                high_contrast=True,
                variant=rx.cond(InterviewState.closing_heard, "soft", "solid"),
                width="100%",
                auto_focus=True,
                on_click=InterviewState.ask_end,
            ),
            spacing="2",
            width="100%",
        ),
        rx.cond(
            (InterviewState.application_status == "completed") | (InterviewState.phase == "ended"),
            rx.fragment(),
            rx.button(
                rx.cond(InterviewState.phase == "starting", rx.spinner(size="2"), rx.icon("play")),
                rx.cond(
                    (InterviewState.phase == "error") & InterviewState.retryable,
                    "Try again",
                    rx.cond(InterviewState.resumable, "Resume interview", "Start Interview"),
                ),
                id="start-interview",
                size="3",
                width="100%",
                disabled=~InterviewState.can_start,
                on_click=InterviewState.start,
            ),
        ),
    )


def device_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Your microphone and camera", size="3", as_="h2"),
                talk_state(),
                justify="between",
                align="center",
                width="100%",
                wrap="wrap",
            ),
            interview_call(
                token=InterviewState.call_token,
                signaling_url=InterviewState.signaling_url,
                active=InterviewState.in_call,
                released=InterviewState.released,
                saved_session_key=InterviewState.saved_session_key,
                saved_session=InterviewState.saved_session,
                hide_token=InterviewState.hide_token,
                on_device=InterviewState.set_device,
                on_status=InterviewState.call_status,
                on_event=InterviewState.call_event,
                on_error=InterviewState.call_error,
                on_saved_session=InterviewState.recall_saved_session,
            ),
            kept_interview(
                kept_key=InterviewState.kept_interview_key,
                kept_interview=InterviewState.kept_interview,
                on_kept=InterviewState.recall_kept_interview,
            ),
            rx.match(
                InterviewState.mic,
                ("checking", rx.text("Checking your microphone… allow access when your browser asks.", size="2")),
                (
                    "ready",
                    rx.hstack(
                        rx.icon("mic", size=16, color="var(--green-11)"),
                        rx.text("Microphone ready", size="2", color_scheme="green"),
                        align="center",
                        spacing="1",
                        id="mic-status",
                    ),
                ),
                rx.callout(
                    InterviewState.mic_message,
                    icon="mic-off",
                    color_scheme="red",
                    role="alert",
                    id="mic-help",
                    size="1",
                ),
            ),
            call_buttons(),
            end_dialog(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def feed_item(item: FeedItem) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(
                rx.match(
                    item["kind"], ("interviewer", "Interviewer"), ("candidate", "You"), ("error", "Notice"), "Update"
                ),
                weight="bold",
                size="2",
            ),
            rx.text(item["time"], size="1", color_scheme="gray", as_="span"),
            align="baseline",
            spacing="2",
        ),
        rx.text(item["text"], size="3"),
        class_name=rx.match(
            item["kind"],
            ("interviewer", "feed-item feed-item--interviewer"),
            ("candidate", "feed-item feed-item--candidate"),
            ("error", "feed-item feed-item--error"),
            "feed-item",
        ),
        role="listitem",
    )


def connection_banner() -> rx.Component:
    return rx.fragment(online_banner(), unsaved_banner())


def unsaved_banner() -> rx.Component:
    """Turns the API refused for good are said out loud (``1 answer could not be saved.``), never hidden."""
    return rx.cond(
        InterviewState.unsaved_note != "",
        rx.callout(
            InterviewState.unsaved_note,
            icon="triangle-alert",
            color_scheme="red",
            id="unsaved-note",
            role="alert",
            width="100%",
        ),
    )


def online_banner() -> rx.Component:
    return rx.cond(
        InterviewState.back_online,
        rx.callout(
            "Back online: your interview is saved",
            icon="wifi",
            color_scheme="green",
            id="offline-banner",
            role="status",
            width="100%",
        ),
        rx.cond(
            InterviewState.offline,
            rx.callout(
                "Running in offline mode: your interview continues. We'll save it as soon as we're back online.",
                icon="wifi-off",
                color_scheme="amber",
                id="offline-banner",
                role="status",
                width="100%",
            ),
        ),
    )


def feed_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Interview feed", size="3", as_="h2"),
            connection_banner(),
            rx.cond(
                InterviewState.error_message != "",
                rx.callout(
                    InterviewState.error_message,
                    icon="circle-alert",
                    color_scheme="red",
                    role="alert",
                    id="interview-error",
                    width="100%",
                ),
            ),
            rx.box(  # a log is a polite live region: new turns are announced, the rest is not re-read
                rx.cond(
                    InterviewState.has_turns,
                    rx.box(rx.foreach(InterviewState.feed, feed_item), role="list", class_name="feed-list"),
                    rx.text(
                        rx.cond(
                            InterviewState.resumable,
                            "Your conversation continues here when you resume.",
                            "The conversation will appear here once your interview starts.",
                        ),
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                id="interview-feed",
                role="log",
                aria_live="polite",
                aria_label="Interview feed",
                class_name="feed",
                tab_index=0,
            ),
            scroll_to_end(target_id="interview-feed", watch=InterviewState.feed_version),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def already_submitted() -> rx.Component:
    """Nothing to start, nothing to check: no microphone, no feed."""
    return rx.card(
        rx.hstack(
            rx.icon("circle-check", size=28, color="var(--green-11)", aria_hidden="true"),
            rx.vstack(
                rx.text(InterviewState.error_message, size="3", weight="medium", id="interview-error", role="status"),
                rx.text(
                    "The hiring team will review your interview. You can close this tab.", size="2", color_scheme="gray"
                ),
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
            rx.text("About 15 minutes · spoken, with an AI interviewer", size="2", weight="medium"),
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
            spacing="2",
        ),
    )


def current_question() -> rx.Component:
    return rx.cond(
        InterviewState.in_call & (InterviewState.current_question != ""),
        rx.box(
            rx.text("Interviewer", size="1", weight="bold", color_scheme="indigo"),
            rx.text(InterviewState.current_question, size="3"),
            id="current-question",
            class_name="current-question",
        ),
    )


def top_bar() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("briefcase-business", size=22, aria_hidden="true"),
            rx.text("Interview", weight="bold", size="4"),
            align="center",
            spacing="2",
        ),
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


def interview_page() -> rx.Component:
    return rx.box(
        rx.vstack(
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
                    rx.text(
                        "Welcome, ", InterviewState.candidate_name, size="3", color_scheme="gray", id="candidate-name"
                    ),
                    rx.text("A short spoken interview with an AI interviewer.", size="3", color_scheme="gray"),
                ),
                status_line(),
                preview(),
                current_question(),
                spacing="2",
                width="100%",
            ),
            rx.cond(
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
            ),
            spacing="5",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding=["16px", "24px", "32px"],
            as_="main",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def stat(label: str, value: rx.Var | str | int, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="5", weight="bold", id=element_id),
        spacing="0",
        class_name="stat",
    )


def completion_page() -> rx.Component:
    return rx.box(
        rx.center(
            rx.card(
                rx.cond(
                    InterviewState.submitted,
                    rx.vstack(
                        rx.icon("circle-check", size=40, color="var(--green-11)", aria_hidden="true"),
                        rx.heading("Interview submitted", size="7", as_="h1"),
                        rx.cond(
                            InterviewState.job_title != "",
                            rx.text(InterviewState.job_title, size="3", color_scheme="gray"),
                        ),
                        rx.hstack(
                            rx.cond(
                                InterviewState.duration_label != "",
                                stat("Duration", InterviewState.duration_label, "completion-duration"),
                            ),
                            stat("Questions answered", InterviewState.answered, "completion-answered"),
                            spacing="6",
                            wrap="wrap",
                        ),
                        rx.cond(
                            InterviewState.final_score != "",
                            rx.vstack(
                                rx.text(
                                    "Score: ",
                                    InterviewState.final_score,
                                    size="3",
                                    weight="bold",
                                    id="completion-score",
                                ),
                                rx.foreach(
                                    InterviewState.score_lines,
                                    lambda line: rx.text(line["label"], ": ", line["value"], size="2"),
                                ),
                                spacing="1",
                            ),
                        ),
                        rx.text("The hiring team will review your interview. You can close this tab.", size="3"),
                        connection_banner(),
                        spacing="4",
                        align="start",
                    ),
                    rx.vstack(
                        rx.heading("Nothing submitted yet", size="6", as_="h1"),
                        rx.text(
                            "This interview has not been submitted. Open the link from your invitation to take it.",
                            size="3",
                        ),
                        spacing="3",
                    ),
                ),
                forget_saved_session(saved_session_key=InterviewState.saved_session_key),
                kept_interview(
                    kept_key=InterviewState.kept_interview_key, kept_interview=InterviewState.kept_interview
                ),
                id="completion",
                max_width="560px",
                width="100%",
            ),
            min_height="100vh",
            padding="24px",
            as_="main",
        ),
        background="var(--gray-2)",
    )


def index() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading("AI-led job interviews", size="7", as_="h1"),
                rx.text(
                    "Candidates open the personal link from their invitation, check their microphone and talk "
                    "with an AI interviewer. Sessions are registered before the call starts, and the "
                    "interview carries on even if our servers have a hiccup.",
                    size="3",
                ),
                rx.link(
                    rx.button("Open the demo interview", size="3"),
                    href=f"/interview/{DEMO_APPLICATION_ID}",
                    id="demo-link",
                ),
                rx.text("The demo works in development, on the embedded database.", size="1", color_scheme="gray"),
                spacing="4",
            ),
            max_width="560px",
        ),
        min_height="100vh",
        padding="24px",
        background="var(--gray-2)",
        as_="main",
    )
