"""``reflex run --env prod`` on the page its web directory already holds, for test apps.

A prod start compiles the pages and bundles them (vite), most of a start's 15-30 s, and bakes the
app's URL into the bundle. Pages read no setting when they compile (the states read them at run
time), so the bundle a test worker built for a port and API URL serves every later app of that
worker on the same port and URL, whatever its settings: :func:`tests.support.app_server.running_app`
starts those through here. The backend starts as in production (``interview_app.cli.reflex_prod``).
"""

from __future__ import annotations

import reflex.reflex
from reflex.utils import build

from interview_app.cli import reflex_prod


def main() -> None:
    reflex.reflex._compile_app = lambda **_: None  # pyright: ignore[reportPrivateUsage]
    build.setup_frontend_prod = lambda root: None
    reflex_prod.main()


if __name__ == "__main__":
    main()
