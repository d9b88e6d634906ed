"""Reflex configuration. Application settings live in ``interview_app/config.py``."""

import reflex as rx

config = rx.Config(
    app_name="interview_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="large")),
    ],
)
