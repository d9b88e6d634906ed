"""The candidate's pages: a short home page and the interview room."""

import reflex as rx

from interview_app.storage.mongo import DEMO_APPLICATION_ID
from interview_app.ui.components.interview_call import interview_call
from interview_app.ui.state import FeedItem, InterviewState

PHASE_HINT = {
    "idle": "Check your microphone, then start when you're ready.",
    "starting": "Preparing your interview…",
    "connecting": "Connecting you to your interviewer…",
    "live": "You're live. Speak naturally; the interviewer moves on when you pause.",
    "ended": "Your interview has ended.",
    "error": "Something needs your attention.",
}
PHASE_COLOR = {"idle": "gray", "starting": "amber", "connecting": "amber", "live": "green", "ended": "indigo", "error": "red"}


def phase_badge() -> rx.Component:
    return rx.hstack(
        rx.badge(InterviewState.phase, id="interview-phase", size="2", variant="soft", radius="full",
                 color_scheme=rx.match(InterviewState.phase, *PHASE_COLOR.items(), "gray"),
                 aria_live="polite"),
        rx.text(rx.match(InterviewState.phase, *PHASE_HINT.items(), ""), size="2", color_scheme="gray"),
        align="center", spacing="3", wrap="wrap",
    )


def device_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Your microphone and camera", size="3", as_="h2"),
            interview_call(
                token=InterviewState.call_token,
                signaling_url=InterviewState.signaling_url,
                active=InterviewState.call_active,
                storage_key=InterviewState.storage_key,
                stored_session=InterviewState.stored_session,
                on_device=InterviewState.set_device,
                on_status=InterviewState.call_status,
                on_event=InterviewState.call_event,
                on_error=InterviewState.call_error,
            ),
            rx.match(
                InterviewState.mic,
                ("checking", rx.text("Checking your microphone… allow access when your browser asks.", size="2")),
                ("ready", rx.hstack(rx.icon("mic", size=16, color="var(--green-11)"),
                                    rx.text("Microphone ready", size="2", color_scheme="green"),
                                    align="center", spacing="1", id="mic-status")),
                rx.callout(InterviewState.mic_message, icon="mic-off", color_scheme="red", role="alert",
                           id="mic-help", size="1"),
            ),
            rx.cond(
                InterviewState.in_call,
                rx.button(rx.icon("phone-off"), "End interview", id="end-interview", size="3", color_scheme="red",
                          width="100%", on_click=InterviewState.end_interview),
                rx.button(
                    rx.cond(InterviewState.phase == "starting", rx.spinner(size="2"), rx.icon("play")),
                    rx.cond(InterviewState.phase == "error", "Try again", "Start Interview"),
                    id="start-interview", size="3", width="100%",
                    disabled=~InterviewState.can_start, on_click=InterviewState.start,
                ),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def feed_item(item: FeedItem) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(rx.match(item["kind"], ("interviewer", "Interviewer"), ("error", "Notice"), "Update"),
                    weight="bold", size="2"),
            rx.text(item["time"], size="1", color_scheme="gray", as_="span"),
            align="baseline", spacing="2",
        ),
        rx.text(item["text"], size="3"),
        class_name=rx.match(item["kind"], ("interviewer", "feed-item feed-item--interviewer"),
                            ("error", "feed-item feed-item--error"), "feed-item"),
        role="listitem",
    )


def feed_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Interview feed", size="3", as_="h2"),
                rx.cond(InterviewState.listening, rx.badge("Listening…", color_scheme="green", variant="soft")),
                justify="between", width="100%",
            ),
            rx.cond(
                InterviewState.offline,
                rx.callout("Running in offline mode: your interview continues. We'll save what we can.",
                           icon="wifi-off", color_scheme="amber", id="offline-banner", role="status", width="100%"),
            ),
            rx.cond(
                InterviewState.error_message != "",
                rx.callout(InterviewState.error_message, icon="circle-alert", color_scheme="red", role="alert",
                           id="interview-error", width="100%"),
            ),
            rx.box(
                rx.cond(
                    InterviewState.feed.length() > 0,
                    rx.foreach(InterviewState.feed, feed_item),
                    rx.text("The conversation will appear here once your interview starts.", size="2",
                            color_scheme="gray"),
                ),
                id="interview-feed", role="list", aria_live="polite", aria_label="Interview feed",
                class_name="feed",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def interview_page() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.hstack(rx.icon("briefcase-business", size=22), rx.text("Interview", weight="bold", size="4"),
                          align="center", spacing="2"),
                rx.text("Secure session", size="1", color_scheme="gray"),
                justify="between", align="center", width="100%",
            ),
            rx.vstack(
                rx.heading(rx.cond(InterviewState.job_title != "", InterviewState.job_title, "Your interview"),
                           size="7", as_="h1"),
                rx.cond(InterviewState.candidate_name != "",
                        rx.text("Welcome, ", InterviewState.candidate_name, size="3", color_scheme="gray"),
                        rx.text("A short spoken interview with an AI interviewer. About 15 minutes.", size="3",
                                color_scheme="gray")),
                phase_badge(),
                spacing="2",
            ),
            rx.flex(
                rx.box(device_panel(), width=["100%", "100%", "40%"]),
                rx.box(feed_panel(), width=["100%", "100%", "60%"]),
                direction=rx.breakpoints(initial="column", md="row"),
                spacing="4", width="100%", align="start",
            ),
            spacing="5", width="100%", max_width="1040px", margin_x="auto", padding=["16px", "24px", "32px"],
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def index() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading("AI-led job interviews", size="7", as_="h1"),
                rx.text("Candidates open the personal link from their invitation, check their microphone and talk "
                        "with an AI interviewer. Sessions are registered before the call starts, and the "
                        "interview carries on even if our servers have a hiccup.", size="3"),
                rx.link(rx.button("Open the demo interview", size="3"), href=f"/interview/{DEMO_APPLICATION_ID}",
                        id="demo-link"),
                rx.text("The demo works in development, on the embedded database.", size="1", color_scheme="gray"),
                spacing="4",
            ),
            max_width="560px",
        ),
        min_height="100vh", padding="24px", background="var(--gray-2)",
    )
