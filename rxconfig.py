"""Reflex configuration. Application settings live in ``interview_app/config.py``.

Everything a plain ``reflex run`` needs comes from here, not from the developer's shell: the bun
that ``make bootstrap`` installed, and (only in a process running a Reflex command, never in one
that merely imports this file) telemetry and the version check off, the registry npm uses, and in
the ``reflex run`` process the embedded database and the demo link.
"""

import sys

import reflex as rx

from interview_app.cli import dev, reflex_env
from interview_app.config import cors_allowed_origins, trusted_proxy_hops
from interview_app.ui.radix_bundle import PageImportedRadixThemesPlugin
from interview_app.ui.radix_css_trim import RadixCssTrimPlugin

reflex_env.prepare(sys.argv)
dev.attach()

config = rx.Config(
    app_name="interview_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    bun_path=reflex_env.BUN_PATH,
    cors_allowed_origins=cors_allowed_origins(reflex_env.frontend_port()),  # Reflex's default "*" reflects any origin
    trusted_proxy_hops=trusted_proxy_hops(),
    # issue 20 §13: brotli files beside the gzip ones (about 25 % fewer bytes); the app serves the best
    # one the browser accepts, and Caddy passes an encoded answer through as it is.
    frontend_compression_formats=["brotli", "gzip"],
    plugins=[
        rx.plugins.SitemapPlugin(),
        # issue 20 §13: the pages import the Radix components they use, not the whole library
        PageImportedRadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="large")),
        RadixCssTrimPlugin(),  # issue 20 §13: drops the Radix CSS no page uses
    ],
)
