"""What every page shows before its code has run (issue 20 §13: first paint on a slow phone).

Reflex prerenders this into the HTML of every page (``rx.App(hydrate_fallback=...)``, React
Router's ``HydrateFallback``), so a phone on a slow network paints the brand bar and a loading line
as soon as the HTML and the stylesheet arrive, instead of a blank screen until about 200 KB of
scripts have loaded and run. It names no candidate and no interview: the page's own data comes later.
"""

from __future__ import annotations

import reflex as rx

from interview_app.ui.pages.frame import brand_mark, page_frame


def loading_page() -> rx.Component:
    return page_frame(
        rx.el.title("Loading… | Interview"),  # React puts it in <head>; the page's own title replaces it
        brand_mark(),
        rx.hstack(
            rx.spinner(size="2"),
            rx.text("Loading…", size="3", color_scheme="gray"),
            align="center",
            spacing="2",
            role="status",
        ),
        frame_id="page-loading",
    )
