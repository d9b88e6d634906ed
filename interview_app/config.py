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
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from pymongo import uri_parser
from pymongo.errors import ConfigurationError, InvalidURI

from interview_app.domain.tokens import INVITE_DAYS_RANGE, INVITE_TTL, SESSION_TTL

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_BYTES = 32
SECRET_HINT = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Reflex's default backend port (its DefaultPorts), where a dev backend listens unless told otherwise.
REFLEX_BACKEND_PORT = 8000
TRUSTED_PROXIES = "127.0.0.0/8,::1/128"  # loopback: a proxy on the same host
SRV_SCHEME = "mongodb+srv://"


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
        raise ConfigError(
            f"{variable} must hold http(s) URLs with their scheme (e.g. https://interview.example.com), not {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def configured_public_url() -> str | None:
    """``INTERVIEW_PUBLIC_URL`` without a trailing slash (the one place it is read), or None.

    Raises :class:`ConfigError` when it is not an http(s) URL: a bare host would make every invite
    link and the allowed origin wrong."""
    url = (os.environ.get("INTERVIEW_PUBLIC_URL") or "").strip().rstrip("/") or None
    if url is not None:
        origin_of(url)
    return url


def cors_allowed_origins(page_port: int) -> list[str]:
    """Origins allowed to call the API and open the event websocket (Reflex's ``cors_allowed_origins``).

    Only the public URL's origin (``INTERVIEW_PUBLIC_URL``, else this machine on ``page_port``),
    any further origin the page is served from (``INTERVIEW_EXTRA_ORIGINS``, comma-separated: a
    second domain, or the same app reached directly and through a proxy), plus the dev page's on
    this machine in development: Reflex's default ``*`` reflects any origin with credentials.
    Never empty, since the websocket reads an empty list as "allow everything".
    """
    public = configured_public_url() or f"http://localhost:{page_port}"
    origins = [origin_of(public)]
    for extra in (os.environ.get("INTERVIEW_EXTRA_ORIGINS") or "").split(","):
        origin = origin_of(extra.strip().rstrip("/"), "INTERVIEW_EXTRA_ORIGINS") if extra.strip() else ""
        if origin and origin not in origins:
            origins.append(origin)
    if not _is_prod():
        local = (f"http://localhost:{page_port}", f"http://127.0.0.1:{page_port}")
        origins += [o for o in local if o not in origins]
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


def _whole(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def _seconds(name: str, default: timedelta, low: int, high: int) -> timedelta:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number of seconds from {low} to {high}, not {raw!r}")
    return timedelta(seconds=int(raw))


def _redis_url() -> str | None:
    url = os.environ.get("REFLEX_REDIS_URL", "").strip() or None
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REFLEX_REDIS_URL must be a redis:// (or rediss://) URL, not {url!r}")
    return url


def _mongodb_uri() -> str | None:
    """``MONGODB_URI`` checked by pymongo's own parser at start-up, so a malformed one (a wrong
    scheme, an unescaped ``@`` in the password, ``mongodb+srv`` with a port) stops the process with
    one line instead of a driver retrying it for ever. The message never repeats the URI: it may
    hold a password. A ``mongodb+srv`` URI is checked without its DNS lookup (parsed as
    ``mongodb://`` with no default port), which happens when the driver connects."""
    uri = os.environ.get("MONGODB_URI", "").strip() or None
    if uri is None:
        return None
    srv = uri.startswith(SRV_SCHEME)
    try:
        if srv:
            nodes = uri_parser.parse_uri("mongodb://" + uri[len(SRV_SCHEME) :], default_port=None)["nodelist"]
            if len(nodes) != 1:
                raise InvalidURI("mongodb+srv:// URIs must include one, and only one, hostname")
            if nodes[0][1] is not None:
                raise InvalidURI("mongodb+srv:// URIs must not include a port number")
        else:
            uri_parser.parse_uri(uri)
    except (InvalidURI, ConfigurationError, ValueError) as exc:
        reason = str(exc).replace("mongodb://", "mongodb+srv://") if srv else str(exc)
        raise ConfigError(
            f"MONGODB_URI is not a usable MongoDB URI ({reason}); e.g. mongodb://user:pa%40ss@host:27017/db "
            "(escape special characters in the user and password), or unset it for the embedded database"
        ) from exc
    return uri


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(
            f"INTERVIEW_TRUSTED_PROXIES: {exc}; give comma-separated networks, e.g. 127.0.0.1/32,10.0.0.0/8"
        ) from exc


def _secret(name: str, data_dir: Path, prod: bool, fallback: str | None = "NEXTAUTH_SECRET") -> str:
    """The secret in ``name`` (falling back to ``fallback``).

    In development a missing secret is generated once and kept under the data directory
    (mode 0600) so tokens survive restarts; in production a missing or short secret is fatal.
    """
    value = os.environ.get(name) or (os.environ.get(fallback) if fallback else None) or ""
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


def _reviewer_secret(data_dir: Path, prod: bool) -> str | None:
    """``INTERVIEW_REVIEWER_SECRET``: its own secret, never ``NEXTAUTH_SECRET`` (a reviewer sees
    everything). Dev generates one like the others; prod without it has no review API (None)."""
    name = "INTERVIEW_REVIEWER_SECRET"
    if os.environ.get(name) or not prod:
        return _secret(name, data_dir, prod, fallback=None)
    return None


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one process.

    Each default is written here once; :meth:`from_env` falls back to these class attributes.
    """

    prod: bool
    data_dir: Path
    mongodb_uri: str | None
    session_secret: str
    candidate_secret: str
    require_auth: bool
    mongodb_db: str = "interview"
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
    session_token_ttl: timedelta = SESSION_TTL  # the domain's rule (domain/tokens.py) unless chosen
    redis_url: str | None = None
    ice_allow_loopback: bool = True
    api_docs: bool = True
    call_idle: timedelta = timedelta(seconds=90)
    database_timeout_ms: int = 2500  # each database call: a dead database is a quick 503, never a hung request
    ice_allow_private: bool = False
    allow_anonymous: bool = False
    # Scoring (issue 17): scorers per process (0: this process scores nothing), how long a claim
    # holds, how often the queue is polled for sessions ended in other processes, the OpenAI judge.
    scoring_concurrency: int = 2
    scoring_lease: timedelta = timedelta(seconds=120)
    scoring_poll: timedelta = timedelta(seconds=5)
    scoring_timeout: timedelta = timedelta(seconds=60)
    openai_scoring_model: str = "gpt-4.1-mini"
    show_score: bool = True  # candidates see their scores; false: the status only
    reviewer_secret: str | None = None  # None: the review API answers 503 REVIEW_DISABLED
    invite_ttl: timedelta = INVITE_TTL  # how long an invite link lives (API and make invite; C3)
    local_voice_wpm: int = 165  # the local interviewer's speaking rate (espeak-ng words per minute)

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
        if self.prod and not self.reviewer_secret:
            risks.append(
                "INTERVIEW_REVIEWER_SECRET is not set in production: the review API is disabled (503) "
                f"until it is; {SECRET_HINT}"
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
            mongodb_uri=_mongodb_uri(),
            mongodb_db=os.environ.get("MONGODB_DB") or cls.mongodb_db,
            session_secret=_secret("INTERVIEW_SESSION_SECRET", data_dir, prod),
            candidate_secret=_secret("CANDIDATE_TOKEN_SECRET", data_dir, prod),
            require_auth=_flag("INTERVIEW_REQUIRE_AUTH", default=prod),
            trusted_proxies=_networks(os.environ.get("INTERVIEW_TRUSTED_PROXIES") or TRUSTED_PROXIES),
            sentry_dsn=os.environ.get("SENTRY_DSN") or None,
            sentry_traces_sample_rate=_rate("SENTRY_TRACES_SAMPLE_RATE"),
            openai_api_key=os.environ.get("OPENAI_API_KEY") or None,
            openai_base_url=(os.environ.get("OPENAI_BASE_URL") or cls.openai_base_url).rstrip("/"),
            openai_realtime_model=os.environ.get("OPENAI_REALTIME_MODEL") or cls.openai_realtime_model,
            openai_transcription_model=os.environ.get("OPENAI_TRANSCRIPTION_MODEL") or cls.openai_transcription_model,
            ice_servers=ice_servers,
            ice_host_addresses=[a.strip() for a in os.environ["INTERVIEW_ICE_HOST_ADDRESSES"].split(",") if a.strip()]
            if os.environ.get("INTERVIEW_ICE_HOST_ADDRESSES")
            else None,
            api_url=(os.environ.get("INTERVIEW_API_URL") or "").rstrip("/") or None,
            public_url=configured_public_url(),
            max_calls=_positive_int("INTERVIEW_MAX_CALLS", cls.max_calls),
            session_token_ttl=_seconds("INTERVIEW_SESSION_TOKEN_SECONDS", cls.session_token_ttl, 10, 86_400),
            redis_url=_redis_url(),  # Reflex's state store doubles as the call bus
            ice_allow_loopback=_flag("INTERVIEW_ICE_ALLOW_LOOPBACK", default=not prod),
            api_docs=_flag("INTERVIEW_API_DOCS", default=not prod),
            call_idle=_seconds("INTERVIEW_CALL_IDLE_SECONDS", cls.call_idle, 1, 3600),
            database_timeout_ms=_whole("INTERVIEW_DATABASE_TIMEOUT_MS", cls.database_timeout_ms, 100, 60_000),
            ice_allow_private=_flag("INTERVIEW_ICE_ALLOW_PRIVATE", default=cls.ice_allow_private),
            allow_anonymous=_flag("INTERVIEW_ALLOW_ANONYMOUS", default=cls.allow_anonymous),
            scoring_concurrency=_whole("INTERVIEW_SCORING_CONCURRENCY", cls.scoring_concurrency, 0, 32),
            scoring_lease=_seconds("INTERVIEW_SCORING_LEASE_SECONDS", cls.scoring_lease, 10, 3600),
            scoring_poll=_seconds("INTERVIEW_SCORING_POLL_SECONDS", cls.scoring_poll, 1, 300),
            scoring_timeout=_seconds("OPENAI_SCORING_TIMEOUT_SECONDS", cls.scoring_timeout, 1, 600),
            openai_scoring_model=os.environ.get("OPENAI_SCORING_MODEL") or cls.openai_scoring_model,
            show_score=_flag("INTERVIEW_SHOW_SCORE", default=cls.show_score),
            reviewer_secret=_reviewer_secret(data_dir, prod),
            invite_ttl=timedelta(days=_whole("INTERVIEW_INVITE_DAYS", INVITE_TTL.days, *INVITE_DAYS_RANGE)),
            local_voice_wpm=_whole("INTERVIEW_LOCAL_VOICE_WPM", cls.local_voice_wpm, 80, 450),
        )
        _refuse_unsafe_production(settings)
        _refuse_inconsistent_scoring(settings)
        return settings


def _refuse_inconsistent_scoring(settings: Settings) -> None:
    """A judge request must end before its lease does, or another process could claim the session."""
    if settings.scoring_timeout >= settings.scoring_lease:
        raise ConfigError(
            f"OPENAI_SCORING_TIMEOUT_SECONDS ({settings.scoring_timeout.seconds}) must be shorter than "
            f"INTERVIEW_SCORING_LEASE_SECONDS ({settings.scoring_lease.seconds}): lower the one or raise the other"
        )


def _refuse_unsafe_production(settings: Settings) -> None:
    """Production refuses what lets one token pass for another, or anyone start any interview."""
    if not settings.prod:
        return
    if settings.session_secret == settings.candidate_secret:
        raise ConfigError(
            "INTERVIEW_SESSION_SECRET must differ from CANDIDATE_TOKEN_SECRET in production (NEXTAUTH_SECRET "
            f"alone sets both): set INTERVIEW_SESSION_SECRET to its own value; {SECRET_HINT}"
        )
    if settings.reviewer_secret in (settings.session_secret, settings.candidate_secret):
        raise ConfigError(
            "INTERVIEW_REVIEWER_SECRET must differ from INTERVIEW_SESSION_SECRET and CANDIDATE_TOKEN_SECRET in "
            f"production (a candidate could otherwise forge a reviewer's access): give it its own value; {SECRET_HINT}"
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


def public_url(settings: Settings, page_port: int) -> str:
    """Base of invite links: ``INTERVIEW_PUBLIC_URL``, else this machine on the page's port."""
    return settings.public_url or f"http://localhost:{page_port}"


def local_backend_url(host: str, port: int | None) -> str:
    """This machine's backend, as its own processes reach it (a wildcard bind answers on loopback)."""
    reachable = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{f'[{reachable}]' if ':' in reachable else reachable}:{port or REFLEX_BACKEND_PORT}"
