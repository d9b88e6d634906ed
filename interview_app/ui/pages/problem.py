"""The one branded problem screen: what happened, and what to do about it.

Used wherever the candidate cannot go on: a bad interview link (issue 20 §8, with the words of
``ui/link_check.py``) and a page that does not exist (the 404, §11). It asks the browser for
nothing (no microphone, no camera) and offers no Start: only the advice, and a way home when given.
"""

from __future__ import annotations

import reflex as rx

from interview_app.ui.pages.frame import brand_mark

Words = rx.Var[str] | str


def problem_page(
    title: Words,
    message: Words,
    advice: Words,
    *,
    icon: str = "link-2-off",
    home_link: str = "",
    element_id: str = "problem",
) -> rx.Component:
    """A full page: the brand bar, then a card with the problem (``title`` as the page's h1), what it
    means (``message``) and what to do (``advice``); ``home_link``: the words of a link to ``/``."""
    return rx.box(
        rx.vstack(
            rx.el.header(brand_mark(), width="100%"),
            rx.el.main(
                rx.card(
                    rx.vstack(
                        rx.box(
                            rx.icon(icon, size=28, color="var(--amber-11)", aria_hidden="true"),
                            class_name="problem__icon",
                        ),
                        rx.heading(title, size="6", as_="h1", id="problem-title"),
                        rx.text(message, size="3", id="problem-message"),
                        rx.hstack(
                            rx.icon("lightbulb", size=18, color="var(--indigo-11)", aria_hidden="true", flex="none"),
                            rx.text(advice, size="3", weight="medium", id="problem-advice"),
                            align="start",
                            spacing="2",
                            class_name="problem__advice",
                        ),
                        rx.button(
                            rx.link(rx.icon("house", aria_hidden="true"), home_link, href="/", id="problem-home"),
                            as_child=True,
                            size="3",
                        )
                        if home_link
                        else rx.fragment(),
                        spacing="4",
                        align="start",
                        width="100%",
                    ),
                    id=element_id,
                    role="alert",
                    width="100%",
                    size="4",
                ),
                width="100%",
            ),
            spacing="6",
            width="100%",
            max_width="640px",
            margin_x="auto",
            padding=["16px", "24px", "48px"],
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def not_found_page() -> rx.Component:
    """The 404 (issue 20 §11): branded, with a link home, for any address no page serves."""
    return problem_page(
        "We couldn't find this page",
        "There is nothing at this address. It may be mistyped, or the page has moved.",
        "If you were opening your interview, use the link from your invitation.",
        icon="map-pin-off",
        home_link="Go to the home page",
        element_id="not-found",
    )
