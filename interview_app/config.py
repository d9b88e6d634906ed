"""All configuration, read from the environment in this one module.

Every other module receives a :class:`Settings` (or calls :func:`get_settings`) instead of
reading ``os.environ`` itself, so the whole surface is documented here and in the README.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_BYTES = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used (raised at start-up, never per request)."""


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"INTERVIEW_TRUSTED_PROXIES: {exc}") from exc


def _secret(name: str, data_dir: Path, prod: bool) -> str:
    """The secret in ``name`` (falling back to ``NEXTAUTH_SECRET``).

    In development a missing secret is generated once and kept under the data directory
    (mode 0600) so tokens survive restarts; in production a missing or short secret is fatal.
    """
    value = os.environ.get(name) or os.environ.get("NEXTAUTH_SECRET") or ""
    if value:
        if prod and len(value.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(f"{name} must be at least {MIN_SECRET_BYTES} bytes in production")
        return value
    if prod:
        raise ConfigError(f"{name} (or NEXTAUTH_SECRET) must be set in production")
    path = data_dir / f"{name.lower()}.key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one process."""

    prod: bool
    data_dir: Path
    mongodb_uri: str | None
    mongodb_db: str
    session_secret: str
    candidate_secret: str
    require_auth: bool
    trusted_proxies: tuple = field(default_factory=tuple)
    sentry_dsn: str | None = None
    sentry_traces_sample_rate: float = 0.0
    openai_api_key: str | None = None
    openai_base_url: str = "https://api.openai.com/v1"
    openai_realtime_model: str = "gpt-realtime"
    openai_transcription_model: str = "gpt-4o-mini-transcribe"
    ice_servers: tuple = ()
    ice_host_addresses: list[str] | None = None
    api_url: str | None = None
    public_url: str | None = None
    max_calls: int = 24
    redis_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        prod = os.environ.get("REFLEX_ENV_MODE", "dev").strip().lower() == "prod"
        data_dir = Path(os.environ.get("INTERVIEW_DATA_DIR") or PROJECT_ROOT / ".data")
        try:
            ice_servers = tuple(json.loads(os.environ.get("INTERVIEW_ICE_SERVERS") or "[]"))
        except ValueError as exc:
            raise ConfigError(f"INTERVIEW_ICE_SERVERS must be a JSON list: {exc}") from exc
        return cls(
            prod=prod,
            data_dir=data_dir,
            mongodb_uri=os.environ.get("MONGODB_URI") or None,
            mongodb_db=os.environ.get("MONGODB_DB") or "interview",
            session_secret=_secret("INTERVIEW_SESSION_SECRET", data_dir, prod),
            candidate_secret=_secret("CANDIDATE_TOKEN_SECRET", data_dir, prod),
            require_auth=_flag("INTERVIEW_REQUIRE_AUTH", default=prod),
            trusted_proxies=_networks(os.environ.get("INTERVIEW_TRUSTED_PROXIES", "127.0.0.0/8,::1/128")),
            sentry_dsn=os.environ.get("SENTRY_DSN") or None,
            sentry_traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0.0),
            openai_api_key=os.environ.get("OPENAI_API_KEY") or None,
            openai_base_url=(os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/"),
            openai_realtime_model=os.environ.get("OPENAI_REALTIME_MODEL") or "gpt-realtime",
            openai_transcription_model=os.environ.get("OPENAI_TRANSCRIPTION_MODEL") or "gpt-4o-mini-transcribe",
            ice_servers=ice_servers,
            ice_host_addresses=[a.strip() for a in os.environ["INTERVIEW_ICE_HOST_ADDRESSES"].split(",") if a.strip()]
            if os.environ.get("INTERVIEW_ICE_HOST_ADDRESSES") else None,
            api_url=(os.environ.get("INTERVIEW_API_URL") or "").rstrip("/") or None,
            public_url=(os.environ.get("INTERVIEW_PUBLIC_URL") or "").rstrip("/") or None,
            max_calls=_positive_int("INTERVIEW_MAX_CALLS", 24),
            redis_url=os.environ.get("REFLEX_REDIS_URL") or None,  # Reflex's state store doubles as the call bus
        )


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings.from_env()
