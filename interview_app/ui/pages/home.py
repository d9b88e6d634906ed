"""The short home page."""

import reflex as rx

from interview_app.demo import DEMO_APPLICATION_ID


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
