"""The score screen (EP5-S21): progress in words while scoring, then the score and its evidence."""

import reflex as rx

from interview_app.ui.score_state import ScoreState
from interview_app.ui.score_words import LOCAL_LABEL, UNVERIFIED_NOTE
from interview_app.ui.state import InterviewState


def status_block() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(ScoreState.polling, rx.spinner(size="2")),
            rx.text(ScoreState.status_words, id="score-status", size="3", role="status"),
            align="center",
            spacing="2",
        ),
        rx.cond(ScoreState.reason_words != "", rx.text(ScoreState.reason_words, size="2", id="score-reason")),
        rx.text(ScoreState.status, id="score-state", class_name="visually-hidden", as_="span"),
        spacing="2",
        width="100%",
    )


def chart() -> rx.Component:
    """The three dimensions as bars; its accessible name says the numbers, the table below repeats them."""
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
            rx.recharts.x_axis(data_key="name"),
            rx.recharts.y_axis(domain=[0, 100], ticks=[0, 25, 50, 75, 100], width=36),
            rx.recharts.bar(data_key="score", fill="var(--indigo-9)", is_animation_active=False),
            data=ScoreState.chart,
            width="100%",
            height=220,
        ),
        role="img",
        aria_label=ScoreState.chart_label,
        id="score-chart",
        width="100%",
    )


def score_table() -> rx.Component:
    """The chart's text alternative: the same numbers as a table."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(rx.table.column_header_cell("Dimension"), rx.table.column_header_cell("Score (0-100)"))
        ),
        rx.table.body(
            rx.foreach(
                ScoreState.dimensions,
                lambda row: rx.table.row(rx.table.row_header_cell(row["label"]), rx.table.cell(row["score"])),
            )
        ),
        id="score-table",
        size="1",
        width="100%",
    )


def evidence(item) -> rx.Component:
    return rx.box(
        rx.cond(item["question"] != "", rx.text("Question: ", item["question"], size="1", color_scheme="gray")),
        rx.el.blockquote(rx.text("“", item["quote"], "”", size="2"), class_name="evidence-quote"),
        class_name="evidence",
    )


def dimension(row) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(row["label"], size="3", as_="h3"),
            rx.badge(row["score"], " / 100", size="2", variant="soft"),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.text(row["hint"], size="1", color_scheme="gray"),
        rx.text(row["rationale"], size="2", margin_top="6px"),
        rx.foreach(row["evidence"], evidence),
        class_name="dimension",
        id="dimension-" + row["name"].to(str),
    )


def scored() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Your score", size="3", color_scheme="gray"),
            rx.text(ScoreState.final_score, size="8", weight="bold", id="final-score"),
            rx.text("out of 100", size="2", color_scheme="gray"),
            align="baseline",
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            ScoreState.local_provider,
            rx.callout(LOCAL_LABEL, icon="info", color_scheme="gray", id="score-local", size="1"),
        ),
        rx.cond(
            ScoreState.unverified,
            rx.callout(UNVERIFIED_NOTE, icon="triangle-alert", color_scheme="amber", id="score-unverified", size="1"),
        ),
        rx.cond(ScoreState.summary != "", rx.text(ScoreState.summary, size="3", id="score-summary")),
        chart(),
        score_table(),
        rx.heading("What the scores are based on", size="4", as_="h2"),
        rx.foreach(ScoreState.dimensions, dimension),
        rx.text(
            "A person on the hiring team makes the decision; these scores help them review your answers.",
            size="2",
            color_scheme="gray",
        ),
        spacing="4",
        width="100%",
        align="start",
    )


def score_page() -> rx.Component:
    return rx.box(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading("Your interview score", size="7", as_="h1"),
                    rx.cond(
                        InterviewState.job_title != "", rx.text(InterviewState.job_title, size="3", color_scheme="gray")
                    ),
                    rx.cond(ScoreState.scored, rx.fragment(), status_block()),
                    rx.cond(ScoreState.scored, scored()),
                    spacing="4",
                    align="start",
                    width="100%",
                ),
                id="score",
                max_width="720px",
                width="100%",
            ),
            min_height="100vh",
            padding=["12px", "24px"],
            as_="main",
        ),
        background="var(--gray-2)",
    )
