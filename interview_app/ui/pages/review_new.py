"""``/review/new``: the hiring team creates an interview and gets the candidate's invite link (issue 20 §5).

The form on the left, the live preview of the candidate's first screen on the right (below it on a
phone). Native inputs with their labels; each API refusal is shown under its field and tied to it
(``aria-describedby``, ``aria-invalid``). The form does not validate in the browser (``novalidate``):
the API's rules are the only ones, so there is one set of words for every mistake.
"""

from __future__ import annotations

from typing import Literal

import reflex as rx

from interview_app.ui import invite_form
from interview_app.ui.components.callouts import error_callout
from interview_app.ui.components.review_console import copy_text
from interview_app.ui.new_interview_state import NewInterviewState
from interview_app.ui.pages.review_list import page_frame

State = NewInterviewState


def _ids(name: str) -> dict:
    """The control's id and what describes it (its hint and its error)."""
    error = State.field_errors[name]
    return {
        "id": f"new-{name}",
        "name": name,
        "aria_describedby": f"new-{name}-hint new-{name}-error",
        "aria_invalid": rx.cond(error != "", "true", "false"),
    }


def field(name: str, label: str, control: rx.Component, hint: str = "") -> rx.Component:
    error = State.field_errors[name]
    return rx.box(
        rx.el.label(rx.text(label, size="2", weight="medium", as_="span"), html_for=f"new-{name}"),
        control,
        rx.text(hint, size="1", color_scheme="gray", id=f"new-{name}-hint", as_="p"),
        rx.text(error, size="1", color_scheme="red", high_contrast=True, id=f"new-{name}-error", as_="p"),
        class_name="new-field",
    )


def text_control(name: str, kind: Literal["text", "email"] = "text", **props) -> rx.Component:
    return rx.el.input(type=kind, class_name="review-input", **_ids(name), **props)


def interview_form() -> rx.Component:
    return rx.el.form(
        field(
            "job_title",
            "Job title",
            text_control("job_title", on_change=State.set_job_title, max_length=200, default_value=State.job_title),
        ),
        rx.grid(
            field("candidate_name", "Candidate's name", text_control("candidate_name", max_length=200)),
            field(
                "email",
                "Candidate's email (optional)",
                text_control("email", kind="email", auto_complete="off"),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        field(
            "questions",
            "Questions, one per line (optional)",
            rx.el.textarea(
                rows=6,
                class_name="review-input new-questions",
                on_change=State.set_questions_text,
                default_value=State.questions_text,
                **_ids("questions"),
            ),
            hint="Up to 15 questions of at most 500 characters. Leave empty to use questions suggested for the role.",
        ),
        rx.grid(
            field(
                "duration",
                "Duration in minutes (optional)",
                text_control(
                    "duration", input_mode="numeric", on_change=State.set_duration, default_value=State.duration
                ),
                hint="5 to 90. Empty: about 2 minutes a question.",
            ),
            field(
                "language",
                "Language",
                text_control("language", default_value="en", max_length=35),
                hint="A language tag, such as en or es-MX.",
            ),
            field(
                "camera",
                "Camera",
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in invite_form.CAMERA_CHOICES],
                    class_name="review-input",
                    on_change=State.set_camera,
                    default_value=State.camera,
                    **_ids("camera"),
                ),
                hint="The camera only shows the candidate a selfview: no video is recorded.",
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        field(
            "external_id",
            "External id (optional)",
            text_control("external_id", max_length=128, auto_complete="off"),
            hint="Your ATS's id for this interview: creating it again with the same id gives the same interview.",
        ),
        rx.cond(State.form_error != "", error_callout(State.form_error, "new-form-error")),
        rx.hstack(
            rx.button("Create interview", type="submit", id="create-interview", loading=State.saving),
            rx.link("Back to the interviews", href="/review", size="2"),
            spacing="4",
            align="center",
        ),
        on_submit=State.submit,
        no_validate=True,
        aria_label="New interview",
        class_name="new-form",
        id="new-interview-form",
    )


def created() -> rx.Component:
    """The invite link, with a copy button and its expiry."""
    return rx.card(
        rx.vstack(
            rx.heading(
                rx.cond(State.replayed, "This interview already exists", "Interview created"), size="5", as_="h2"
            ),
            rx.text(
                rx.cond(
                    State.replayed,
                    "Its external id had created it before: here is a fresh link to it.",
                    "Send this link to the candidate only: whoever holds it can open this interview.",
                ),
                size="2",
            ),
            rx.el.label(rx.text("Invite link", size="2", weight="medium", as_="span"), html_for="invite-url"),
            rx.el.input(value=State.invite_url, read_only=True, id="invite-url", class_name="review-input invite-url"),
            rx.hstack(
                rx.button(
                    rx.icon("copy", size=16, aria_hidden="true"),
                    "Copy link",
                    on_click=State.copy_link,
                    id="copy-invite",
                ),
                rx.text(State.copy_status, size="2", role="status", id="copy-status", aria_live="polite"),
                align="center",
                spacing="3",
            ),
            rx.text(State.expires, size="2", color_scheme="gray", id="invite-expires"),
            rx.hstack(
                rx.button("Create another", variant="soft", on_click=State.start_over, id="create-another"),
                rx.link("Back to the interviews", href="/review", size="2"),
                spacing="4",
                align="center",
            ),
            copy_text(text=State.invite_url, nonce=State.copy_nonce, on_copied=State.copied),
            spacing="3",
            width="100%",
        ),
        id="invite-created",
        width="100%",
    )


def candidate_preview() -> rx.Component:
    """The words the candidate's first screen will say, as the form changes."""
    return rx.el.section(
        rx.heading("What the candidate will see", size="3", as_="h2", color_scheme="gray"),
        rx.card(
            rx.vstack(
                rx.text("Interview for", size="1", color_scheme="gray", as_="p"),
                rx.text(State.preview_title, size="6", weight="bold", id="preview-title", as_="p"),
                rx.text(State.preview_length, size="3", weight="medium", id="preview-length", as_="p"),
                rx.hstack(
                    rx.icon(rx.cond(State.camera == "selfview", "video", "mic"), size=16, aria_hidden="true"),
                    rx.text(State.preview_devices, size="2", id="preview-devices"),
                    align="center",
                    spacing="2",
                ),
                rx.cond(
                    State.preview_suggested,
                    rx.text(
                        "No questions written: the interviewer asks questions suggested for the job title.",
                        size="1",
                        color_scheme="gray",
                        id="preview-suggested",
                    ),
                ),
                spacing="2",
            ),
            class_name="candidate-preview",
            id="candidate-preview",
        ),
        aria_label="Preview of the candidate's screen",
        class_name="new-preview",
    )


def review_new_page() -> rx.Component:
    return page_frame(
        rx.cond(
            State.error_message != "",
            error_callout(State.error_message, "review-error"),
            rx.grid(
                rx.box(rx.cond(State.invite_url != "", created(), interview_form()), class_name="new-main"),
                candidate_preview(),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="5",
                width="100%",
                class_name="new-layout",
            ),
        ),
        heading=rx.heading("New interview", size="7", as_="h1"),
    )
