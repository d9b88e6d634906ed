"""Trims Radix Themes' stylesheet in the frontend build (issue 20 §13: drop unused CSS).

Reflex imports ``@radix-ui/themes/styles.css`` whole (about 690 KB, 84 KB gzipped, render-blocking):
every colour palette, and every responsive variant for five breakpoints. Reflex 0.10 offers no
switch for less (``RadixThemesPlugin`` adds that one file; ``App(theme=...)`` only sets the theme),
so this plugin adds a PostCSS step to the build (``radix_css_trim.js``, next to this file) that
drops the palettes and breakpoints the compiled pages never name. It runs in the Vite build, after
the pages are written, so a page that starts using a colour or a breakpoint brings its CSS back.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reflex_base.plugins.base import Plugin

SOURCE = Path(__file__).with_name("radix_css_trim.js")
BUILD_FILE = "postcss-radix-trim.js"  # written into .web, beside postcss.config.js
POSTCSS_CONFIG = "postcss.config.js"
ENTRY = f'    "./{BUILD_FILE}": {{}},'


def with_trim_step(config: str) -> str:
    """``postcss.config.js`` with the trim step right after ``postcss-import`` (which inlines Radix's CSS)."""
    if BUILD_FILE in config:
        return config
    lines = config.splitlines()
    at = next((i for i, line in enumerate(lines) if '"postcss-import"' in line), None)
    if at is None:
        raise RuntimeError(f"{POSTCSS_CONFIG} has no postcss-import plugin to follow: Reflex changed its template")
    lines.insert(at + 1, ENTRY)
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class RadixCssTrimPlugin(Plugin):
    """Adds the trim step to the frontend build."""

    def get_static_assets(self, **context):
        return [(Path(BUILD_FILE), SOURCE.read_text(encoding="utf-8"))]

    def pre_compile(self, **context):
        context["add_modify_task"](POSTCSS_CONFIG, with_trim_step)
