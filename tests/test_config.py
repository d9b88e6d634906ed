"""Settings: secrets in dev and prod, the auth default, and bad values refused at start-up."""

import os
import stat
from datetime import timedelta

import pytest

from interview_app.config import ConfigError, Settings


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in (
        "INTERVIEW_SESSION_SECRET",
        "CANDIDATE_TOKEN_SECRET",
        "NEXTAUTH_SECRET",
        "INTERVIEW_REQUIRE_AUTH",
        "MONGODB_URI",
        "REFLEX_ENV_MODE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEW_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_dev_generates_a_private_secret_once(env, tmp_path):
    first = Settings.from_env()
    second = Settings.from_env()
    assert first.session_secret == second.session_secret and len(first.session_secret) >= 32
    key_file = tmp_path / "interview_session_secret.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first.require_auth is False and first.mongodb_db == "interview"


@pytest.mark.parametrize("secret", [None, "short"])
def test_prod_refuses_a_missing_or_short_secret(env, secret):
    env.setenv("REFLEX_ENV_MODE", "prod")
    if secret:
        env.setenv("NEXTAUTH_SECRET", secret)
    with pytest.raises(ConfigError):
        Settings.from_env()


def test_prod_requires_auth_by_default_and_falls_back_to_nextauth_secret(env):
    env.setenv("REFLEX_ENV_MODE", "prod")
    env.setenv("NEXTAUTH_SECRET", "n" * 32)
    env.setenv("INTERVIEW_SESSION_SECRET", "s" * 32)  # prod refuses one secret for both (issue 15 C10)
    settings = Settings.from_env()
    assert settings.require_auth is True
    assert settings.candidate_secret == "n" * 32 and settings.session_secret == "s" * 32


def test_specific_secrets_win_over_nextauth(env):
    env.setenv("NEXTAUTH_SECRET", "n" * 32)
    env.setenv("INTERVIEW_SESSION_SECRET", "s" * 32)
    assert Settings.from_env().session_secret == "s" * 32


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INTERVIEW_REQUIRE_AUTH", "maybe"),
        ("INTERVIEW_TRUSTED_PROXIES", "not-a-network"),
        ("INTERVIEW_ICE_SERVERS", "{"),
        ("INTERVIEW_SESSION_TOKEN_SECONDS", "9"),
        ("INTERVIEW_SESSION_TOKEN_SECONDS", "86401"),
        ("INTERVIEW_SESSION_TOKEN_SECONDS", "1h"),
        ("INTERVIEW_LOCAL_VOICE_WPM", "79"),
        ("INTERVIEW_LOCAL_VOICE_WPM", "451"),
        ("INTERVIEW_LOCAL_VOICE_WPM", "fast"),
    ],
)
def test_bad_values_are_refused(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ConfigError):
        Settings.from_env()


def test_session_token_lifetime_defaults_to_30_minutes_and_may_be_chosen(env):
    assert Settings.from_env().session_token_ttl == timedelta(minutes=30)
    env.setenv("INTERVIEW_SESSION_TOKEN_SECONDS", "900")
    assert Settings.from_env().session_token_ttl == timedelta(minutes=15)


def test_the_local_interviewers_speaking_rate_defaults_to_165_words_a_minute_and_may_be_chosen(env):
    env.delenv("INTERVIEW_LOCAL_VOICE_WPM", raising=False)
    assert Settings.from_env().local_voice_wpm == 165
    env.setenv("INTERVIEW_LOCAL_VOICE_WPM", "120")
    assert Settings.from_env().local_voice_wpm == 120


def test_with_nothing_set_every_default_is_the_one_written_on_settings(env):
    """Each default lives once, on :class:`Settings` (the token lifetime is the domain's own)."""
    from dataclasses import fields

    from interview_app.domain import tokens

    for name in ("MONGODB_DB", "OPENAI_BASE_URL", "OPENAI_REALTIME_MODEL", "OPENAI_TRANSCRIPTION_MODEL"):
        env.delenv(name, raising=False)
    for name in ("INTERVIEW_MAX_CALLS", "INTERVIEW_SESSION_TOKEN_SECONDS", "INTERVIEW_PUBLIC_URL"):
        env.delenv(name, raising=False)
    settings = Settings.from_env()
    defaults = {f.name: f.default for f in fields(Settings)}
    for name in (
        "mongodb_db",
        "openai_base_url",
        "openai_realtime_model",
        "openai_transcription_model",
        "max_calls",
        "session_token_ttl",
        "public_url",
    ):
        assert getattr(settings, name) == defaults[name], name
    assert settings.session_token_ttl == tokens.SESSION_TTL


def test_scoring_settings_have_defaults_and_refuse_bad_values(env):
    settings = Settings.from_env()
    assert (settings.scoring_concurrency, settings.scoring_lease, settings.scoring_poll) == (
        2,
        timedelta(seconds=120),
        timedelta(seconds=5),
    )
    assert settings.openai_scoring_model == "gpt-4.1-mini"
    env.setenv("INTERVIEW_SCORING_CONCURRENCY", "0")  # this process scores nothing
    env.setenv("INTERVIEW_SCORING_LEASE_SECONDS", "300")
    env.setenv("OPENAI_SCORING_MODEL", "gpt-4.1")
    settings = Settings.from_env()
    assert (settings.scoring_concurrency, settings.scoring_lease, settings.openai_scoring_model) == (
        0,
        timedelta(seconds=300),
        "gpt-4.1",
    )
    env.setenv("INTERVIEW_SCORING_CONCURRENCY", "many")
    with pytest.raises(ConfigError, match="INTERVIEW_SCORING_CONCURRENCY"):
        Settings.from_env()
    env.setenv("INTERVIEW_SCORING_CONCURRENCY", "2")
    env.setenv("OPENAI_SCORING_TIMEOUT_SECONDS", "300")  # a request outliving its lease
    with pytest.raises(ConfigError, match="must be shorter than INTERVIEW_SCORING_LEASE_SECONDS"):
        Settings.from_env()
