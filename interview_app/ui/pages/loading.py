"""What every page shows before its code has run (issue 20 §13: first paint on a slow phone).

Reflex prerenders this into the HTML of every page (``rx.App(hydrate_fallback=...)``, React
Router's ``HydrateFallback``), so a phone on a slow network paints the brand bar and a loading line
as soon as the HTML and the stylesheet arrive, instead of a blank screen until about 200 KB of
scripts have loaded and run. It names no candidate and no interview: the page's own data comes later.
"""

from __future__ import annotations

import reflex as rx


def loading_page() -> rx.Component:
    return rx.box(
        rx.el.title("Loading… | Interview"),  # React puts it in <head>; the page's own title replaces it
        rx.vstack(
            rx.hstack(
                rx.icon("briefcase-business", size=22, aria_hidden="true"),
                rx.text("Interview", weight="bold", size="4"),
                align="center",
                spacing="2",
            ),
            rx.hstack(
                rx.spinner(size="2"),
                rx.text("Loading…", size="3", color_scheme="gray"),
                align="center",
                spacing="2",
                role="status",
            ),
            spacing="5",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding=["16px", "24px", "32px"],
            as_="main",
        ),
        id="page-loading",
        min_height="100vh",
        background="var(--gray-2)",
    )
