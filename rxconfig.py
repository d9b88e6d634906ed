"""Reflex configuration. Application settings live in ``interview_app/config.py``."""

import reflex as rx

from interview_app import config as settings

config = rx.Config(
    app_name="interview_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=settings.cors_allowed_origins(),  # Reflex's default "*" reflects any origin
    trusted_proxy_hops=settings.trusted_proxy_hops(),
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="large")),
    ],
)
