"""The frame of every candidate screen: the product's mark, and one centred column on a grey page."""

from __future__ import annotations

import reflex as rx


def brand_mark() -> rx.Component:
    """The product's mark, at the top left of every candidate screen."""
    return rx.hstack(
        rx.icon("briefcase-business", size=22, aria_hidden="true"),
        rx.text("Interview", weight="bold", size="4"),
        align="center",
        spacing="2",
    )


def page_frame(*children: rx.Component, frame_id: str | None = None, **column: object) -> rx.Component:
    """``children`` in the page's ``<main>`` column (1040 px at most); ``column`` overrides its style."""
    return rx.box(
        rx.vstack(
            *children,
            **{
                "spacing": "5",
                "width": "100%",
                "max_width": "1040px",
                "margin_x": "auto",
                "padding": ["16px", "24px", "32px"],
                "as_": "main",
                **column,
            },
        ),
        id=frame_id,
        min_height="100vh",
        background="var(--gray-2)",
    )
