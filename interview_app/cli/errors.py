"""One clear line and exit code 2 for a configuration the app cannot run with, never a traceback."""

from __future__ import annotations

import socket
import sys
from typing import NoReturn

from interview_app.config import ConfigError, Settings, get_settings

EXIT_CONFIG = 2


def fail(message: str) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with code 2."""
    print(f"interview_app: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_CONFIG)


def settings_or_exit() -> Settings:
    """The process settings, or exit with the :class:`ConfigError`'s one line."""
    try:
        return get_settings()
    except ConfigError as exc:
        fail(str(exc))


def require_free_port(host: str, port: int, variable: str) -> None:
    """Exit with one line when ``host:port`` cannot be bound (in use, or not this machine's address)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(
                f"cannot listen on {host}:{port} ({exc.strerror}): stop what uses it or choose another "
                f"port with {variable}"
            )
