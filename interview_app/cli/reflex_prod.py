"""``reflex run --env prod`` whose granian supervisor respawns a worker that dies.

Reflex 0.10.1 builds granian's ``Server`` itself (``reflex.utils.exec.run_granian_backend_prod``)
and passes neither ``respawn_failed_workers`` nor any ``GRANIAN_*`` variable but the worker count and
log level, so by default one worker's death (an out-of-memory kill, a crash in native code) makes
granian stop every worker: ``make prod`` exits and each open page stays on a dead socket. This
entry point runs Reflex's own command line with granian's ``Server`` replaced by one that respawns
a failed worker; granian still exits when a worker crash-loops (dies again within ~5 s).
"""

from __future__ import annotations

import os
import sys

import granian.server

from interview_app.cli.reflex_env import reflex_environment


class RespawningServer(granian.server.Server):  # pyright: ignore[reportGeneralTypeIssues]
    """granian's server with ``respawn_failed_workers`` on unless the caller says otherwise."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("respawn_failed_workers", True)
        super().__init__(*args, **kwargs)


def main() -> None:
    """Run ``reflex`` with the given arguments (``run --env prod ...``), workers respawned."""
    for name, value in reflex_environment().items():  # what rxconfig's prepare() does for `reflex ...`
        os.environ.setdefault(name, value)
    granian.server.Server = RespawningServer  # Reflex imports it when it starts the backend
    from reflex.reflex import cli

    cli(args=sys.argv[1:], prog_name="reflex")


if __name__ == "__main__":
    main()
