"""The review console's error callout: one look for every refusal or outage it reports."""

import reflex as rx


def error_callout(message: rx.Var[str] | str, element_id: str) -> rx.Component:
    """A red, high-contrast callout announced to screen readers (``role="alert"``)."""
    return rx.callout(
        message,
        icon="triangle_alert",
        color_scheme="red",
        role="alert",
        id=element_id,
        high_contrast=True,
    )
