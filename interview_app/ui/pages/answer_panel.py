"""Answering without waiting for a pause: "I'm done answering" and "Type your answer instead".

Both are shown while the interviewer has questions left (``InterviewState.can_answer``) and work by
keyboard alone: the buttons are in the tab order, "I'm done answering" also answers Alt+Shift+D
anywhere on the page (announced by ``aria-keyshortcuts`` and written beside it), and Ctrl+Enter in
the answer box sends it.
"""

import reflex as rx

from interview_app.ui.answer_state import (
    DONE_ANSWERING_COMBO,
    DONE_ANSWERING_KEYS,
    SEND_ANSWER_COMBO,
    SEND_ANSWER_KEYS,
    TYPED_ANSWER_MAX_CHARS,
)
from interview_app.ui.components.interview_call import keyboard_shortcut
from interview_app.ui.state import InterviewState


def done_answering() -> rx.Component:
    return rx.vstack(
        rx.button(
            rx.icon("circle-check-big", aria_hidden="true"),
            "I'm done answering",
            id="done-answering",
            size="3",
            variant="soft",
            width="100%",
            disabled=InterviewState.speaking,
            aria_keyshortcuts=DONE_ANSWERING_KEYS,
            aria_describedby="done-answering-hint",
            on_click=InterviewState.done_answering,
        ),
        rx.text(
            "Ends your spoken answer now. ",
            rx.el.span(
                "Shortcut: ", rx.el.kbd("Alt"), " + ", rx.el.kbd("Shift"), " + ", rx.el.kbd("D"), class_name="keys"
            ),
            id="done-answering-hint",
            size="1",
            color_scheme="gray",
        ),
        keyboard_shortcut(combo=DONE_ANSWERING_COMBO, target_id="done-answering"),
        spacing="1",
        width="100%",
    )


def typed_answer() -> rx.Component:
    return rx.el.form(  # the plain HTML form: no extra frontend package
        rx.vstack(
            rx.el.label("Type your answer instead", html_for="text-answer", class_name="answer-label"),
            rx.text(
                "If you can't or prefer not to speak, write your answer here and send it to the interviewer.",
                id="text-answer-help",
                size="1",
                color_scheme="gray",
            ),
            rx.text_area(
                name="answer",
                on_change=InterviewState.set_typed_answer,
                id="text-answer",
                max_length=TYPED_ANSWER_MAX_CHARS,
                rows="4",
                resize="vertical",
                width="100%",
                aria_describedby="text-answer-help text-answer-count",
            ),
            rx.hstack(
                rx.text(InterviewState.typed_answer_count, id="text-answer-count", size="1", color_scheme="gray"),
                rx.button(
                    rx.icon("send", aria_hidden="true"),
                    "Send answer",
                    id="send-answer",
                    type="submit",
                    size="2",
                    aria_keyshortcuts=SEND_ANSWER_KEYS,
                ),
                justify="between",
                align="center",
                width="100%",
                wrap="wrap",
            ),
            keyboard_shortcut(combo=SEND_ANSWER_COMBO, target_id="send-answer", within_id="text-answer"),
            spacing="2",
            width="100%",
        ),
        on_submit=InterviewState.send_typed_answer,
        reset_on_submit=True,
        id="typed-answer",
        width="100%",
    )


def answer_panel() -> rx.Component:
    return rx.cond(
        InterviewState.can_answer,
        rx.vstack(done_answering(), rx.separator(size="4"), typed_answer(), spacing="3", width="100%"),
    )
