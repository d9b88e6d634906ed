"""The call's controls: its phase in words, who is talking, Start/Resume, End, and the device check.

After the interviewer's closing line the interview is complete: the page says so and offers one
action, Finish (no "Your turn", no End, no answering).
"""

import reflex as rx

from interview_app.ui.components.interview_call import (
    interview_call,
    kept_interview,
)
from interview_app.ui.pages.answer_panel import answer_panel
from interview_app.ui.pages.notice_panel import consent_checkbox, recording_note
from interview_app.ui.state import InterviewState

PHASE_WORDS = {
    "idle": "Check your microphone, then start when you're ready.",
    "starting": "Preparing your interview…",
    "connecting": "Connecting you to your interviewer…",
    "live": "You're live. Speak naturally, or type your answer; the interviewer moves on when you pause.",
    "reconnecting": "Connection lost. Reconnecting you to your interviewer…",
    "ended": "Your interview has ended.",
    "error": "Something needs your attention.",
}


def status_line() -> rx.Component:
    """The phase keyword for tests and assistive tech (visually hidden), and plain words for everyone."""
    return rx.vstack(
        rx.hstack(
            rx.text(InterviewState.phase, id="interview-phase", class_name="visually-hidden", as_="span"),
            rx.cond(
                InterviewState.in_call,
                rx.box(class_name=rx.cond(InterviewState.phase == "live", "dot dot--live", "dot dot--wait")),
            ),
            rx.text(
                rx.cond(
                    InterviewState.application_status == "completed",
                    "",  # the submitted card says it, once (issue 20 §11)
                    rx.cond(
                        (InterviewState.phase == "idle") & InterviewState.resumable,
                        "Your interview is paused. Resume when you're ready.",
                        rx.cond(
                            InterviewState.in_call & InterviewState.closing_heard,
                            "The interview is complete. Select Finish interview to submit it.",
                            rx.match(InterviewState.phase, *PHASE_WORDS.items(), ""),
                        ),
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
        ),
        rx.text(  # notes about the connection ("Connected to your interviewer") live here, not in the feed
            rx.cond(InterviewState.in_call & ~InterviewState.closing_heard, InterviewState.status_note, ""),
            id="status-note",
            size="1",
            color_scheme="gray",
            role="status",
            as_="span",
        ),
        spacing="1",
    )


def talk_state() -> rx.Component:
    return rx.cond(
        InterviewState.can_answer,
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
            rx.cond(
                InterviewState.closing_heard,
                rx.fragment(),
                rx.button(
                    rx.icon("phone-off"),
                    "End interview",
                    id="end-interview",
                    size="3",
                    color_scheme="red",
                    high_contrast=True,
                    width="100%",
                    auto_focus=True,
                    on_click=InterviewState.ask_end,
                ),
            ),
            spacing="2",
            width="100%",
        ),
        rx.cond(
            (InterviewState.application_status == "completed") | (InterviewState.phase == "ended"),
            rx.fragment(),
            rx.vstack(
                recording_note(),
                consent_checkbox(),
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
                spacing="3",
                width="100%",
            ),
        ),
    )


def device_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(
                    rx.cond(InterviewState.selfview, "Your microphone and camera", "Your microphone"),
                    size="3",
                    as_="h2",
                ),
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
                camera=InterviewState.selfview,
                outbox=InterviewState.call_outbox,
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
            answer_panel(),
            call_buttons(),
            end_dialog(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
