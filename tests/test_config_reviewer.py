"""``INTERVIEW_REVIEWER_SECRET`` (issue 18 §1): its own secret, refused in prod when it equals another."""

import pytest

from interview_app.config import ConfigError, Settings


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in (
        "INTERVIEW_SESSION_SECRET",
        "CANDIDATE_TOKEN_SECRET",
        "INTERVIEW_REVIEWER_SECRET",
        "NEXTAUTH_SECRET",
        "INTERVIEW_REQUIRE_AUTH",
        "REFLEX_ENV_MODE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEW_DATA_DIR", str(tmp_path))
    return monkeypatch


def prod(env, **secrets):
    env.setenv("REFLEX_ENV_MODE", "prod")
    env.setenv("INTERVIEW_SESSION_SECRET", "s" * 32)
    env.setenv("CANDIDATE_TOKEN_SECRET", "c" * 32)
    for name, value in secrets.items():
        env.setenv(name, value)


def test_dev_generates_its_own_reviewer_secret_never_nextauths(env, tmp_path):
    env.setenv("NEXTAUTH_SECRET", "n" * 32)
    settings = Settings.from_env()
    assert settings.reviewer_secret and len(settings.reviewer_secret) >= 32
    assert settings.reviewer_secret not in (settings.session_secret, settings.candidate_secret)
    assert (tmp_path / "interview_reviewer_secret.key").exists()
    assert Settings.from_env().reviewer_secret == settings.reviewer_secret  # kept across restarts


@pytest.mark.parametrize("same_as", ["s" * 32, "c" * 32])
def test_prod_refuses_a_reviewer_secret_equal_to_another(env, same_as):
    prod(env, INTERVIEW_REVIEWER_SECRET=same_as)
    with pytest.raises(ConfigError, match="INTERVIEW_REVIEWER_SECRET must differ"):
        Settings.from_env()


def test_prod_refuses_a_short_reviewer_secret(env):
    prod(env, INTERVIEW_REVIEWER_SECRET="short")
    with pytest.raises(ConfigError, match="INTERVIEW_REVIEWER_SECRET"):
        Settings.from_env()


def test_prod_without_a_reviewer_secret_runs_without_the_review_api_and_says_so(env):
    prod(env, NEXTAUTH_SECRET="n" * 32)  # never used as the reviewer's
    settings = Settings.from_env()
    assert settings.reviewer_secret is None
    assert any("INTERVIEW_REVIEWER_SECRET" in risk for risk in settings.risks())


def test_prod_with_its_own_reviewer_secret(env):
    prod(env, INTERVIEW_REVIEWER_SECRET="r" * 32)
    settings = Settings.from_env()
    assert settings.reviewer_secret == "r" * 32
    assert not any("INTERVIEW_REVIEWER_SECRET" in risk for risk in settings.risks())
