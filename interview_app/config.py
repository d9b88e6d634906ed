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
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_BYTES = 32
SECRET_HINT = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Reflex's own defaults (its DefaultPorts): dev serves the page on one port and the backend on another.
REFLEX_FRONTEND_PORT = 3000
REFLEX_BACKEND_PORT = 8000


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
    raise ConfigError(f"{name} must be true or false, not {raw!r}: set it to true or false, or unset it")


def _rate(name: str) -> float:
    raw = os.environ.get(name, "").strip() or "0"
    try:
        rate = float(raw)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ConfigError(f"{name} must be a number from 0 to 1, not {raw!r}")
    return rate


def _is_prod() -> bool:
    return os.environ.get("REFLEX_ENV_MODE", "dev").strip().lower() == "prod"


def origin_of(url: str, variable: str = "INTERVIEW_PUBLIC_URL") -> str:
    """``scheme://host[:port]`` of a URL: what a browser sends as ``Origin``."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"{variable} must hold http(s) URLs, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


def cors_allowed_origins() -> list[str]:
    """Origins allowed to call the API and open the event websocket (Reflex's ``cors_allowed_origins``).

    Only the public URL's origin (``INTERVIEW_PUBLIC_URL``, else this machine on the page's port),
    any further origin the page is served from (``INTERVIEW_EXTRA_ORIGINS``, comma-separated: a
    second domain, or the same app reached directly and through a proxy), plus the dev page's on
    this machine in development: Reflex's default ``*`` reflects any origin with credentials.
    Never empty, since the websocket reads an empty list as "allow everything".
    """
    port = frontend_port()
    public = (os.environ.get("INTERVIEW_PUBLIC_URL") or "").strip().rstrip("/") or f"http://localhost:{port}"
    origins = [origin_of(public)]
    for extra in (os.environ.get("INTERVIEW_EXTRA_ORIGINS") or "").split(","):
        origin = origin_of(extra.strip().rstrip("/"), "INTERVIEW_EXTRA_ORIGINS") if extra.strip() else ""
        if origin and origin not in origins:
            origins.append(origin)
    if not _is_prod():
        origins += [o for o in (f"http://localhost:{port}", f"http://127.0.0.1:{port}") if o not in origins]
    return origins


def trusted_proxy_hops() -> int:
    """How many proxies in front of the app append to ``X-Forwarded-For`` (Reflex's ``trusted_proxy_hops``)."""
    raw = os.environ.get("INTERVIEW_TRUSTED_PROXY_HOPS", "").strip() or "0"
    if not raw.isdigit():
        raise ConfigError(f"INTERVIEW_TRUSTED_PROXY_HOPS must be a whole number, not {raw!r}")
    return int(raw)


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _seconds(name: str, default: int, low: int, high: int) -> timedelta:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return timedelta(seconds=default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number of seconds from {low} to {high}, not {raw!r}")
    return timedelta(seconds=int(raw))


def _redis_url() -> str | None:
    url = os.environ.get("REFLEX_REDIS_URL", "").strip() or None
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REFLEX_REDIS_URL must be a redis:// (or rediss://) URL, not {url!r}")
    return url


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(
            f"INTERVIEW_TRUSTED_PROXIES: {exc}; give comma-separated networks, e.g. 127.0.0.1/32,10.0.0.0/8"
        ) from exc


def _secret(name: str, data_dir: Path, prod: bool) -> str:
    """The secret in ``name`` (falling back to ``NEXTAUTH_SECRET``).

    In development a missing secret is generated once and kept under the data directory
    (mode 0600) so tokens survive restarts; in production a missing or short secret is fatal.
    """
    value = os.environ.get(name) or os.environ.get("NEXTAUTH_SECRET") or ""
    if value:
        if prod and len(value.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(f"{name} must be at least {MIN_SECRET_BYTES} bytes in production: {SECRET_HINT}")
        return value
    if prod:
        raise ConfigError(f"{name} (or NEXTAUTH_SECRET) must be set in production: {SECRET_HINT}")
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
    session_token_ttl: timedelta = timedelta(minutes=30)
    redis_url: str | None = None
    ice_allow_loopback: bool = True
    api_docs: bool = True
    call_idle: timedelta = timedelta(seconds=90)
    ice_allow_private: bool = False
    allow_anonymous: bool = False

    def risks(self) -> list[str]:
        """Settings that are fine for development but dangerous or broken in production (logged at start-up)."""
        risks = []
        if self.prod and not self.require_auth:
            risks.append(
                "INTERVIEW_REQUIRE_AUTH=false in production: anyone who knows an application id can start "
                "its interview; set INTERVIEW_REQUIRE_AUTH=true unless another layer checks candidates"
            )
        if self.prod and not self.public_url:
            risks.append(
                "INTERVIEW_PUBLIC_URL is not set in production: CORS allows only http://localhost:<page "
                "port>, so browsers on the real address cannot open the event websocket"
            )
        return risks

    @classmethod
    def from_env(cls) -> Settings:
        """Read and validate every setting; raises :class:`ConfigError` naming the variable."""
        prod = _is_prod()
        data_dir = Path(os.environ.get("INTERVIEW_DATA_DIR") or PROJECT_ROOT / ".data")
        try:
            ice_servers = tuple(json.loads(os.environ.get("INTERVIEW_ICE_SERVERS") or "[]"))
        except ValueError as exc:
            raise ConfigError(
                f"INTERVIEW_ICE_SERVERS must be a JSON list of RTCIceServer objects ({exc}), "
                'e.g. [{"urls": "stun:stun.example.org"}], or unset it'
            ) from exc
        settings = cls(
            prod=prod,
            data_dir=data_dir,
            mongodb_uri=os.environ.get("MONGODB_URI") or None,
            mongodb_db=os.environ.get("MONGODB_DB") or "interview",
            session_secret=_secret("INTERVIEW_SESSION_SECRET", data_dir, prod),
            candidate_secret=_secret("CANDIDATE_TOKEN_SECRET", data_dir, prod),
            require_auth=_flag("INTERVIEW_REQUIRE_AUTH", default=prod),
            trusted_proxies=_networks(os.environ.get("INTERVIEW_TRUSTED_PROXIES", "127.0.0.0/8,::1/128")),
            sentry_dsn=os.environ.get("SENTRY_DSN") or None,
            sentry_traces_sample_rate=_rate("SENTRY_TRACES_SAMPLE_RATE"),
            openai_api_key=os.environ.get("OPENAI_API_KEY") or None,
            openai_base_url=(os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/"),
            openai_realtime_model=os.environ.get("OPENAI_REALTIME_MODEL") or "gpt-realtime",
            openai_transcription_model=os.environ.get("OPENAI_TRANSCRIPTION_MODEL") or "gpt-4o-mini-transcribe",
            ice_servers=ice_servers,
            ice_host_addresses=[a.strip() for a in os.environ["INTERVIEW_ICE_HOST_ADDRESSES"].split(",") if a.strip()]
            if os.environ.get("INTERVIEW_ICE_HOST_ADDRESSES")
            else None,
            api_url=(os.environ.get("INTERVIEW_API_URL") or "").rstrip("/") or None,
            public_url=(os.environ.get("INTERVIEW_PUBLIC_URL") or "").rstrip("/") or None,
            max_calls=_positive_int("INTERVIEW_MAX_CALLS", 24),
            session_token_ttl=_seconds("INTERVIEW_SESSION_TOKEN_SECONDS", 1800, 10, 86_400),
            redis_url=_redis_url(),  # Reflex's state store doubles as the call bus
            ice_allow_loopback=_flag("INTERVIEW_ICE_ALLOW_LOOPBACK", default=not prod),
            api_docs=_flag("INTERVIEW_API_DOCS", default=not prod),
            call_idle=_seconds("INTERVIEW_CALL_IDLE_SECONDS", 90, 1, 3600),
            ice_allow_private=_flag("INTERVIEW_ICE_ALLOW_PRIVATE", default=False),
            allow_anonymous=_flag("INTERVIEW_ALLOW_ANONYMOUS", default=False),
        )
        _refuse_unsafe_production(settings)
        return settings


def _refuse_unsafe_production(settings: Settings) -> None:
    """Production refuses what lets one token pass for another, or anyone start any interview."""
    if not settings.prod:
        return
    if settings.session_secret == settings.candidate_secret:
        raise ConfigError(
            "INTERVIEW_SESSION_SECRET must differ from CANDIDATE_TOKEN_SECRET in production (NEXTAUTH_SECRET "
            f"alone sets both): set INTERVIEW_SESSION_SECRET to its own value; {SECRET_HINT}"
        )
    if not settings.require_auth and not settings.allow_anonymous:
        raise ConfigError(
            "INTERVIEW_REQUIRE_AUTH=false in production lets anyone who knows an application id take its "
            "interview: unset it, or also set INTERVIEW_ALLOW_ANONYMOUS=true to allow that on purpose"
        )


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings.from_env()


def bun_path() -> Path:
    """The bun that ``make bootstrap`` installs into ``.tools`` (Node 20 is too old for Reflex's npm
    mode). Reflex looks for ``bun`` on the PATH instead while this one is not installed."""
    return PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"


def reflex_environment() -> dict[str, str]:
    """Reflex settings it reads only from the environment, never from ``rxconfig.py`` fields.

    ``rxconfig.py`` puts them into the environment (unless already set) so a plain ``reflex run``
    behaves like ``make run``: no version check, no registry speed probe (the registry npm is
    configured with; Reflex otherwise times several public registries).
    """
    values = {"REFLEX_CHECK_LATEST_VERSION": "false", "REFLEX_TELEMETRY_ENABLED": "false"}
    if not os.environ.get("NPM_CONFIG_REGISTRY") and shutil.which("npm"):
        registry = subprocess.run(
            ["npm", "config", "get", "registry"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if registry:
            values["NPM_CONFIG_REGISTRY"] = registry
    return values


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a TCP port (1-65535), not {raw!r}")
    return int(raw)


def chosen_ports() -> tuple[int | None, int | None]:
    """The (page, backend) ports Reflex chose for this run: it records them in the environment
    once free ones are found (it moves past taken ones); None until then."""
    return (_port("REFLEX_FRONTEND_PORT", 0) or None, _port("REFLEX_BACKEND_PORT", 0) or None)


def frontend_port() -> int:
    """The port the page is served on: the one Reflex chose for this run, else its default."""
    return _port("REFLEX_FRONTEND_PORT", REFLEX_FRONTEND_PORT)


def public_url(settings: Settings, port: int | None = None) -> str:
    """Base of invite links: ``INTERVIEW_PUBLIC_URL``, else this machine on the page's port."""
    return settings.public_url or f"http://localhost:{port or frontend_port()}"


def local_backend_url(host: str, port: int | None) -> str:
    """This machine's backend, as its own processes reach it (a wildcard bind answers on loopback)."""
    reachable = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{f'[{reachable}]' if ':' in reachable else reachable}:{port or REFLEX_BACKEND_PORT}"


@dataclass(frozen=True)
class ProdSettings:
    """How ``make prod`` serves the app: one port, several workers, Reflex state in Redis."""

    host: str
    port: int
    workers: int
    browser_api_url: str | None  # where browsers reach the backend (REFLEX_API_URL): the public URL


def prod_settings() -> ProdSettings:
    """Read the production run's settings; raises :class:`ConfigError` naming the variable."""
    raw_workers = os.environ.get("INTERVIEW_WORKERS", "").strip() or "2"
    if not raw_workers.isdigit() or not 1 <= int(raw_workers) <= 64:
        raise ConfigError(f"INTERVIEW_WORKERS must be a whole number from 1 to 64, not {raw_workers!r}")
    return ProdSettings(
        host=os.environ.get("INTERVIEW_HOST", "").strip() or "127.0.0.1",
        port=_port("INTERVIEW_PORT", REFLEX_BACKEND_PORT),
        workers=int(raw_workers),
        browser_api_url=(os.environ.get("REFLEX_API_URL") or os.environ.get("INTERVIEW_PUBLIC_URL") or "").rstrip("/")
        or None,
    )
