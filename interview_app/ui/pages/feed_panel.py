"""The interview feed and the banners about the connection and unsaved turns."""

import reflex as rx

from interview_app.ui.components.interview_call import (
    scroll_to_end,
)
from interview_app.ui.feed import FeedItem
from interview_app.ui.state import InterviewState


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
            rx.box(  # not read out as it streams in: the announcer below says each interviewer turn once, whole
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
                aria_live="off",
                aria_label="Interview feed",
                class_name="feed",
                tab_index=0,
            ),
            rx.text(
                InterviewState.announcement,
                id="interviewer-announcer",
                aria_live="polite",
                aria_atomic="true",
                class_name="visually-hidden",
            ),
            scroll_to_end(target_id="interview-feed", watch=InterviewState.feed_version),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
