"""``make invite`` mints links that live ``INTERVIEW_INVITE_DAYS`` (issue 20 §5; contract C3): the same
setting, and the same minting function, as ``POST /api/review/interviews``."""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlparse

import jwt
import pytest

from tests.cli.test_config_errors import assert_one_line, run

INVITE = [sys.executable, "-m", "interview_app.cli.invite", "app-1", "--user-id", "u-1"]
SECRET = "c" * 40
DAY = 86_400


def life_in_days(stdout: str) -> float:
    token = parse_qs(urlparse(stdout.strip()).query)["token"][0]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["applicationId"] == "app-1" and claims["sub"] == "u-1"
    return (claims["exp"] - claims["iat"]) / DAY


@pytest.mark.parametrize(("setting", "days"), [(None, 7), ("1", 1), ("30", 30), ("90", 90)])
def test_invite_links_live_interview_invite_days(tmp_path, setting, days):
    env = {"CANDIDATE_TOKEN_SECRET": SECRET, **({"INTERVIEW_INVITE_DAYS": setting} if setting else {})}
    result = run(INVITE, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert life_in_days(result.stdout) == days


def test_days_given_on_the_command_line_win(tmp_path):
    result = run([*INVITE, "--days", "2"], tmp_path, CANDIDATE_TOKEN_SECRET=SECRET, INTERVIEW_INVITE_DAYS="30")
    assert result.returncode == 0, result.stderr
    assert life_in_days(result.stdout) == 2


@pytest.mark.parametrize("value", ["0", "91", "seven", "-3", "1.5"])
def test_a_bad_interview_invite_days_is_one_line(tmp_path, value):
    result = run(INVITE, tmp_path, CANDIDATE_TOKEN_SECRET=SECRET, INTERVIEW_INVITE_DAYS=value)
    assert_one_line(result, "INTERVIEW_INVITE_DAYS", "from 1 to 90", repr(value))
    assert result.stdout == ""
