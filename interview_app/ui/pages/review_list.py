"""``/review``: the hiring team's list of interviews, with filters and the counts as cards."""

from typing import Literal

import reflex as rx

from interview_app.ui import review_view
from interview_app.ui.components.callouts import error_callout
from interview_app.ui.components.review_console import hide_query_token, ticker
from interview_app.ui.review_state import PAGE_SIZE, REFRESH_MS, ReviewListState, ReviewState

COLUMNS = ("Candidate", "Role", "Status", "Started", "Duration", "Device", "Score", "Scoring", "Decision")


def page_frame(*children: rx.Component, heading: rx.Component) -> rx.Component:
    """The console's frame: a header bar with the product name, then the page in a wide column."""
    return rx.box(
        rx.el.header(
            rx.hstack(
                rx.link("Interview review", href="/review", weight="bold", size="4", high_contrast=True),
                rx.badge("Hiring team", color_scheme="indigo", variant="soft", high_contrast=True),
                align="center",
                spacing="3",
            ),
            class_name="review-topbar",
        ),
        rx.el.main(heading, *children, hide_query_token(hide=ReviewState.hide_token), class_name="review-main"),
        class_name="review-console",
    )


def count_card(label: str, value: rx.Var[str] | str, element_id: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2", color_scheme="gray", as_="p"),
        rx.text(value, size="7", weight="bold", id=element_id, as_="p"),
        class_name="review-count",
    )


def select(name: str, label: str, choices: tuple[tuple[str, str], ...], value: rx.Var[str] | str) -> rx.Component:
    """A native select with its label: works by keyboard and with screen readers out of the box."""
    return rx.el.label(
        rx.text(label, size="1", weight="medium", as_="span"),
        rx.el.select(
            *[rx.el.option(text, value=choice) for choice, text in choices],
            name=name,
            id=f"filter-{name}",
            default_value=value,
            key=value,
            class_name="review-input",
        ),
        class_name="review-field",
    )


def text_input(
    name: str, label: str, value: rx.Var[str] | str, kind: Literal["text", "date"] = "text", placeholder: str = ""
) -> rx.Component:
    return rx.el.label(
        rx.text(label, size="1", weight="medium", as_="span"),
        rx.el.input(
            name=name,
            id=f"filter-{name}",
            type=kind,
            default_value=value,
            key=value,
            placeholder=placeholder,
            class_name="review-input",
        ),
        class_name="review-field",
    )


def filters() -> rx.Component:
    return rx.el.form(
        text_input("q", "Candidate or role", ReviewListState.query, placeholder="Name or job title"),
        select("status", "Status", review_view.STATUS_FILTER, ReviewListState.status_filter),
        select("scoring", "Scoring", review_view.SCORING_FILTER, ReviewListState.scoring_filter),
        select("decision", "Decision", review_view.DECISION_FILTER, ReviewListState.decision_filter),
        text_input("from", "Started from", ReviewListState.from_date, kind="date"),
        text_input("to", "Started until", ReviewListState.to_date, kind="date"),
        rx.hstack(
            rx.button("Apply filters", type="submit", id="apply-filters"),
            rx.cond(
                ReviewListState.filtered,
                rx.button(
                    "Clear", type="button", variant="soft", on_click=ReviewListState.clear_filters, id="clear-filters"
                ),
            ),
            spacing="2",
            align="end",
        ),
        on_submit=ReviewListState.apply_filters,
        aria_label="Filter interviews",
        class_name="review-filters",
    )


def row(item) -> rx.Component:
    """One session: the candidate's name is the row's link (the whole row is its click target)."""
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(item["candidate"], href=item["href"], class_name="row-link", weight="medium"),
            rx.cond(
                item["flags"] != "",
                rx.text(item["flags"], size="1", color_scheme="orange", high_contrast=True, as_="div"),
            ),
        ),
        rx.table.cell(item["job"]),
        rx.table.cell(
            rx.cond(
                item["live"],
                rx.badge(
                    rx.box(class_name="dot dot--live"), item["status_label"], color_scheme="green", high_contrast=True
                ),
                rx.text(item["status_label"]),
            )
        ),
        rx.table.cell(item["started"], white_space="nowrap"),
        rx.table.cell(item["duration"], white_space="nowrap"),
        rx.table.cell(item["device"]),
        rx.table.cell(rx.text(item["score"], weight="bold")),
        rx.table.cell(item["scoring"]),
        rx.table.cell(item["decision"], class_name="decision-cell"),
        class_name="review-row",
        id="row-" + item["session_id"],
    )


def sessions_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.el.caption(
                "Interviews, newest first",
                rx.cond(ReviewListState.has_live_rows, " (interviews in progress refresh every 5 seconds)", ""),
                class_name="visually-hidden",
            ),
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(name, scope="col") for name in COLUMNS])),
            rx.table.body(rx.foreach(ReviewListState.rows, row)),
            variant="surface",
            size="2",
            id="sessions-table",
        ),
        class_name="review-table-wrap",
        tab_index=0,
        role="region",
        aria_label="Interviews table (scrolls sideways on small screens)",
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.button("Newer", variant="soft", on_click=ReviewListState.newer, disabled=~ReviewListState.has_newer),
        rx.button(
            "Older",
            variant="soft",
            on_click=ReviewListState.older,
            disabled=ReviewListState.next_cursor == "",
            id="older-page",
        ),
        rx.text(f"{PAGE_SIZE} per page", size="1", color_scheme="gray"),
        spacing="3",
        align="center",
    )


def empty_state() -> rx.Component:
    return rx.card(
        rx.cond(
            ReviewListState.filtered,
            rx.vstack(
                rx.heading("No interviews match these filters", size="4", as_="h2"),
                rx.text("Change or clear the filters to see more.", size="2"),
            ),
            rx.vstack(
                rx.heading("No interviews yet", size="4", as_="h2"),
                rx.text("Interviews appear here as soon as a candidate starts one.", size="2"),
            ),
        ),
        id="review-empty",
    )


def error_state() -> rx.Component:
    return error_callout(ReviewListState.error_message, "review-error")


def review_list_page() -> rx.Component:
    counts = ReviewListState.counts
    return page_frame(
        rx.cond(
            ReviewListState.error_message != "",
            error_state(),
            rx.cond(
                ReviewListState.loaded,
                rx.vstack(
                    rx.grid(
                        count_card("In progress now", counts["in_progress"], "count-in-progress"),
                        count_card("Completed", counts["completed"], "count-completed"),
                        count_card("Awaiting decision", counts["awaiting_decision"], "count-awaiting"),
                        count_card("Average score (uncalibrated)", counts["average_score"], "count-average"),
                        columns=rx.breakpoints(initial="2", md="4"),
                        spacing="3",
                        width="100%",
                    ),
                    filters(),
                    rx.cond(
                        ReviewListState.rows.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
                        rx.vstack(sessions_table(), pager(), spacing="3", width="100%"),
                        empty_state(),
                    ),
                    spacing="5",
                    width="100%",
                ),
                rx.text("Loading interviews…", role="status"),
            ),
        ),
        ticker(active=ReviewListState.has_live_rows, interval_ms=REFRESH_MS, on_tick=ReviewListState.refresh),
        heading=rx.hstack(
            rx.heading("Interviews", size="7", as_="h1"),
            rx.button(rx.link("New interview", href="/review/new", id="new-interview-link"), as_child=True),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
        ),
    )
