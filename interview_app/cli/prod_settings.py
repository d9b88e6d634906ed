"""How ``make prod`` serves the app: one port, several workers (the runner's settings, not the app's)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from interview_app.config import REFLEX_BACKEND_PORT, ConfigError, configured_public_url


@dataclass(frozen=True)
class ProdSettings:
    """Where ``make prod`` listens and with how many workers, Reflex state in Redis."""

    host: str = "127.0.0.1"
    port: int = REFLEX_BACKEND_PORT
    workers: int = 2
    browser_api_url: str | None = None  # where browsers reach the backend (REFLEX_API_URL): the public URL


def prod_settings() -> ProdSettings:
    """Read the production run's settings; raises :class:`ConfigError` naming the variable."""
    raw_workers = os.environ.get("INTERVIEW_WORKERS", "").strip()
    if raw_workers and (not raw_workers.isdigit() or not 1 <= int(raw_workers) <= 64):
        raise ConfigError(f"INTERVIEW_WORKERS must be a whole number from 1 to 64, not {raw_workers!r}")
    raw_port = os.environ.get("INTERVIEW_PORT", "").strip()
    if raw_port and (not raw_port.isdigit() or not 0 < int(raw_port) < 65536):
        raise ConfigError(f"INTERVIEW_PORT must be a TCP port (1-65535), not {raw_port!r}")
    return ProdSettings(
        host=os.environ.get("INTERVIEW_HOST", "").strip() or ProdSettings.host,
        port=int(raw_port) if raw_port else ProdSettings.port,
        workers=int(raw_workers) if raw_workers else ProdSettings.workers,
        browser_api_url=(os.environ.get("REFLEX_API_URL") or "").rstrip("/") or configured_public_url(),
    )
