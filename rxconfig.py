"""Reflex configuration. Application settings live in ``interview_app/config.py``.

Everything a plain ``reflex run`` needs comes from here, not from the developer's shell: the bun
that ``make bootstrap`` installed, telemetry and the version check off, the registry npm uses,
and (in the ``reflex run`` process only) the embedded database and the demo link.
"""

import os

import reflex as rx

from interview_app.cli import dev
from interview_app.config import bun_path, cors_allowed_origins, reflex_environment, trusted_proxy_hops

for _name, _value in reflex_environment().items():
    os.environ.setdefault(_name, _value)

dev.attach()

config = rx.Config(
    app_name="interview_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    bun_path=bun_path(),
    cors_allowed_origins=cors_allowed_origins(),  # Reflex's default "*" reflects any origin
    trusted_proxy_hops=trusted_proxy_hops(),
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="large")),
    ],
)
