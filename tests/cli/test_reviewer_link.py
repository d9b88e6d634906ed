"""``make reviewer-link WHO=…`` prints a /review link whose token opens the review API only."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from interview_app.cli.reviewer_link import reviewer_url
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from tests.support.app_server import ROOT


def test_the_link_carries_a_reviewer_token_for_who(settings):
    link = reviewer_url(settings, "https://jobs.example/", "alice@example.com")
    parsed = urlparse(link)
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", "jobs.example", "/review")
    token = parse_qs(parsed.query)["token"][0]
    assert tokens.verify_reviewer_token(settings.reviewer_secret, token) == "alice@example.com"
    claims = tokens.jwt.decode(token, options={"verify_signature": False})
    assert claims["type"] == "interview-reviewer"
    assert claims["exp"] - claims["iat"] == timedelta(hours=8).total_seconds()
    with pytest.raises(tokens.TokenError):
        tokens.verify_candidate_token(settings.reviewer_secret, token)


def test_no_link_without_a_reviewer_secret(settings):
    with pytest.raises(ValueError, match="INTERVIEW_REVIEWER_SECRET"):
        reviewer_url(replace(settings, reviewer_secret=None), "https://jobs.example", "alice")


def run(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("INTERVIEW_", "REFLEX_"))},
        "INTERVIEW_DATA_DIR": str(tmp_path),
        "INTERVIEW_PUBLIC_URL": "https://interviews.example.com/",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "interview_app.cli.reviewer_link", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_uses_the_public_url_like_invite_links(tmp_path):
    done = run(tmp_path, "bob@example.com", INTERVIEW_REVIEWER_SECRET="r" * 40)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()
    assert link.startswith("https://interviews.example.com/review?token=")
    token = parse_qs(urlparse(link).query)["token"][0]
    assert tokens.verify_reviewer_token("r" * 40, token) == "bob@example.com"
    assert tokens.jwt.decode(token, options={"verify_signature": False})["iat"] <= utcnow().timestamp()


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (("",), {}, "WHO="),
        (("bob", "--hours", "48"), {}, "--hours"),
        (
            ("bob",),
            {"REFLEX_ENV_MODE": "prod", "INTERVIEW_SESSION_SECRET": "s" * 40, "CANDIDATE_TOKEN_SECRET": "c" * 40},
            "INTERVIEW_REVIEWER_SECRET",
        ),
    ],
    ids=["no one", "too long", "prod without a reviewer secret"],
)
def test_the_command_refuses_with_one_clear_line(tmp_path, args, env, says):
    done = run(tmp_path, *args, **env)
    assert done.returncode == 2 and done.stdout == ""
    assert says in done.stderr and "Traceback" not in done.stderr
