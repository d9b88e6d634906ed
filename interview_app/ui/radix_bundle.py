"""Radix Themes without its whole library on every page (issue 20 §13: the page's JS).

Reflex's ``RadixThemesPlugin`` names ``@radix-ui/themes`` as a frontend dependency, and Reflex puts
every plugin dependency on ``window.__reflex`` for components built in the browser at run time
(``rx.Component`` values in state): the root module then imports the whole library, about 60 KB
gzipped of components no page uses, before any page can paint. This app builds no component at run
time, so this plugin names no dependency (the package is still installed: every Radix component
names it), and the bundler keeps only the components the pages import. A page that comes to need a
run-time component registers its library itself with ``reflex_base.components.dynamic.bundle_library``.
"""

from __future__ import annotations

import reflex as rx


class PageImportedRadixThemesPlugin(rx.plugins.RadixThemesPlugin):
    """``RadixThemesPlugin`` (theme, stylesheet) without the library on ``window.__reflex``."""

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        return ()
