"""``/review/[session_id]``: one interview for the hiring team, and the human decision on it."""

import reflex as rx

from interview_app.ui import review_view
from interview_app.ui.components.callouts import error_callout
from interview_app.ui.components.review_console import scroll_to_target
from interview_app.ui.pages.review_list import page_frame
from interview_app.ui.review_detail_state import ReviewDetailState as S

UNCALIBRATED = (
    "Uncalibrated: these scores come from an AI rubric that has not yet been checked against human "
    "raters. Use them as a pointer to the evidence, not as a measure; a person makes the decision."
)


def fact(label: str, value: rx.Var | str, element_id: str) -> rx.Component:
    return rx.box(
        rx.text(label, size="1", color_scheme="gray", as_="div"),
        rx.text(value, size="3", weight="bold", id=element_id, as_="div"),
        class_name="review-fact",
    )


def header() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.link("← All interviews", href="/review", id="back-to-list", size="2"),
            rx.heading(S.candidate, size="7", as_="h1", id="detail-candidate"),
            rx.text(S.job, size="4", color_scheme="gray", id="detail-role"),
            rx.flex(
                fact("Status", S.status_label, "detail-status"),
                fact("Duration", S.duration, "detail-duration"),
                fact("Score (uncalibrated)", S.final_score, "detail-score"),
                fact("Decision", S.decision, "detail-decision"),
                wrap="wrap",
                spacing="6",
            ),
            rx.cond(
                S.erased != "",
                rx.callout(
                    "Personal data erased " + S.erased,
                    icon="info",
                    color_scheme="gray",
                    id="detail-erased",
                    high_contrast=True,
                ),
            ),
            spacing="2",
            width="100%",
        ),
    )


def evidence_quote(evidence) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            "“",
            evidence["quote"],
            "”",
            type="button",
            on_click=S.show_evidence(evidence["item_id"]),
            class_name="evidence-quote",
            aria_label="Show in transcript: " + evidence["quote"],
        )
    )


def dimension(item) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(item["label"], size="3", as_="h3"),
            rx.badge(item["score"], " / 100", color_scheme="indigo", size="2", high_contrast=True),
            align="center",
            spacing="2",
        ),
        rx.text(item["rationale"], size="2", as_="p"),
        rx.cond(
            item["evidence"].length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
            rx.el.ul(rx.foreach(item["evidence"], evidence_quote), class_name="evidence-list", aria_label="Evidence"),
        ),
        class_name="review-dimension",
        id="dimension-" + item["key"],
    )


def score_chart() -> rx.Component:
    """A bar chart of the three dimensions; its accessible name carries every number, also shown as text."""
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
            rx.recharts.x_axis(data_key="dimension"),
            rx.recharts.y_axis(domain=[0, 100], width=32),
            rx.recharts.bar(
                data_key="score",
                fill="var(--indigo-9)",
                is_animation_active=False,
                label={"position": "top", "fill": "var(--gray-12)", "fontWeight": 600},
            ),
            data=S.chart,
            height=220,
            width="100%",
        ),
        role="img",
        aria_label=S.chart_summary,
        id="score-chart",
        class_name="review-chart",
    )


def score_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Score", size="5", as_="h2"),
                rx.badge(
                    "uncalibrated", color_scheme="amber", variant="surface", id="uncalibrated", high_contrast=True
                ),
                rx.text(S.scoring_label, size="2", color_scheme="gray", id="scoring-status"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.text(UNCALIBRATED, size="2", color_scheme="gray", as_="p"),
            rx.cond(
                S.injection_quote != "",
                rx.callout(
                    "This transcript contains text that tries to instruct the scorer (flagged, not obeyed, "
                    "not penalised): “" + S.injection_quote + "”",
                    icon="shield_alert",
                    color_scheme="orange",
                    high_contrast=True,
                    id="injection-flag",
                ),
            ),
            rx.cond(
                S.chart.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
                rx.vstack(
                    score_chart(),
                    rx.text(S.chart_summary, size="2", id="score-numbers", as_="p"),
                    width="100%",
                ),
            ),
            rx.cond(S.summary != "", rx.text(S.summary, size="2", as_="p", id="score-summary")),
            rx.foreach(S.dimensions, dimension),
            rx.cond(S.scoring_about != "", rx.text("Scored by ", S.scoring_about, size="1", color_scheme="gray")),
            spacing="3",
            width="100%",
        ),
        id="score-panel",
        width="100%",
    )


def turn(item) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(item["role"], weight="bold", size="2"),
            rx.text(item["time"], size="1", color_scheme="gray"),
            rx.badge(
                item["badge"],
                color_scheme=item["badge_color"],
                variant="soft",
                class_name="source-badge",
                high_contrast=True,
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(item["text"], size="2", as_="p"),
        rx.cond(
            item["page_text"] != "",
            rx.text("The page recorded: “", item["page_text"], "”", size="1", color_scheme="gray", as_="p"),
        ),
        id=item["dom_id"],
        tab_index=-1,
        class_name=rx.cond(
            S.highlighted == item["dom_id"],
            "review-turn review-turn--highlighted",
            rx.cond(item["role"] == "Interviewer", "review-turn review-turn--interviewer", "review-turn"),
        ),
    )


def transcript() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Transcript", size="5", as_="h2"),
                rx.cond(
                    S.transcript_verified,
                    rx.badge(
                        "verified: every answer as the interviewer heard it", color_scheme="green", high_contrast=True
                    ),
                    rx.cond(
                        S.turns.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
                        rx.badge("partly unverified", color_scheme="orange", high_contrast=True),
                    ),
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                S.turns.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]
                rx.el.ol(rx.foreach(S.turns, turn), class_name="review-transcript", id="transcript"),
                rx.text("No transcript was stored for this interview.", size="2"),
            ),
            spacing="3",
            width="100%",
        ),
    )


def timeline() -> rx.Component:
    return rx.card(
        rx.heading("Timeline", size="5", as_="h2"),
        rx.cond(
            S.timeline.length() == 0,  # pyright: ignore[reportAttributeAccessIssue]
            rx.text("No events recorded.", size="2"),
        ),
        rx.el.ol(
            rx.foreach(
                S.timeline,
                lambda entry: rx.el.li(
                    rx.text(entry["time"], size="1", color_scheme="gray", as_="div"),
                    rx.text(entry["label"], weight="bold", size="2", as_="span"),
                    rx.cond(entry["detail"] != "", rx.text(" · ", entry["detail"], size="2", as_="span")),
                ),
            ),
            class_name="review-timeline",
            id="timeline",
        ),
    )


def metadata() -> rx.Component:
    return rx.card(
        rx.heading("Details", size="5", as_="h2"),
        rx.el.dl(
            rx.foreach(
                S.metadata,
                lambda field: rx.fragment(rx.el.dt(field["label"]), rx.el.dd(field["value"])),
            ),
            rx.el.dt("Consent"),
            rx.el.dd(S.consent, id="detail-consent"),
            rx.el.dt("Accommodation request"),
            rx.el.dd(S.accommodation, id="detail-accommodation"),
            class_name="review-metadata",
        ),
    )


def decision_form() -> rx.Component:
    return rx.card(
        rx.el.form(
            rx.heading("Decision", size="5", as_="h2", id="decision-heading"),
            rx.text("A person decides; the score never does.", size="2", color_scheme="gray", as_="p"),
            rx.el.fieldset(
                rx.el.legend("Outcome", class_name="visually-hidden"),
                rx.radio_group.root(
                    *[
                        rx.el.label(
                            rx.radio_group.item(value=value, id=f"decision-{value}"),
                            label,
                            class_name="decision-choice",
                        )
                        for value, label in review_view.DECISIONS
                    ],
                    name="decision",
                    direction="row",
                    spacing="4",
                    aria_label="Outcome",
                    disabled=S.in_progress,
                ),
                class_name="decision-fieldset",
            ),
            rx.el.label(
                rx.text("Note (required to reject, up to 2,000 characters)", size="2", as_="span"),
                rx.el.textarea(name="note", id="decision-note", rows=3, max_length=2000, class_name="review-input"),
                class_name="review-field review-field--wide",
            ),
            rx.cond(
                S.in_progress,
                rx.text("The interview is still in progress: decide once it has ended.", size="2", id="decision-wait"),
            ),
            rx.cond(
                S.decision_error != "",
                error_callout(S.decision_error, "decision-error"),
            ),
            rx.cond(
                S.decision_notice != "",
                rx.callout(
                    S.decision_notice,
                    icon="check",
                    color_scheme="green",
                    role="status",
                    id="decision-saved",
                    high_contrast=True,
                ),
            ),
            rx.button("Save decision", type="submit", id="save-decision", loading=S.saving, disabled=S.in_progress),
            rx.cond(
                S.history.length() > 1,  # pyright: ignore[reportAttributeAccessIssue]
                rx.box(
                    rx.text("Earlier decisions", size="2", weight="bold", as_="p"),
                    rx.el.ul(rx.foreach(S.history, lambda line: rx.el.li(line)), class_name="review-history"),
                ),
            ),
            on_submit=S.submit_decision,
            reset_on_submit=False,
            aria_labelledby="decision-heading",
            class_name="decision-form",
        ),
        id="decision-panel",
        width="100%",
    )


def detail_body() -> rx.Component:
    return rx.vstack(
        header(),
        rx.grid(
            rx.vstack(score_panel(), transcript(), spacing="4", min_width="0", class_name="review-column"),
            rx.vstack(decision_form(), timeline(), metadata(), spacing="4", min_width="0", class_name="review-column"),
            columns=rx.breakpoints(initial="1", md="3fr 2fr"),
            spacing="4",
            width="100%",
        ),
        scroll_to_target(target_id=S.highlighted, nonce=S.highlight_nonce),
        spacing="4",
        width="100%",
        class_name="review-column",
    )


def review_detail_page() -> rx.Component:
    return page_frame(
        rx.cond(
            S.error_message != "",
            rx.vstack(
                error_callout(S.error_message, "review-error"),
                rx.link("← All interviews", href="/review", size="2"),
            ),
            rx.cond(S.loaded, detail_body(), rx.text("Loading the interview…", role="status")),
        ),
        heading=rx.fragment(),
    )
