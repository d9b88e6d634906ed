"""A configuration the app cannot run with stops every entry point with one line and exit code 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.support.app_server import ROOT

PROD = [sys.executable, "-m", "interview_app.cli.prod"]
SECRETS = {"INTERVIEW_SESSION_SECRET": "s" * 40, "CANDIDATE_TOKEN_SECRET": "c" * 40}


def run(command: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERVIEW_", "REFLEX_", "MONGODB_", "GRANIAN_"))
        and k not in ("NEXTAUTH_SECRET", "CANDIDATE_TOKEN_SECRET")
    }
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**clean, "INTERVIEW_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in lines[0]


def test_prod_without_secrets_names_the_variable_and_how_to_make_one(tmp_path):
    result = run(PROD, tmp_path)
    assert_one_line(result, "INTERVIEW_SESSION_SECRET", "must be set in production", "secrets.token_urlsafe")


def test_prod_with_a_short_secret(tmp_path):
    result = run(PROD, tmp_path, NEXTAUTH_SECRET="short")
    assert_one_line(result, "INTERVIEW_SESSION_SECRET", "at least 32 bytes")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INTERVIEW_WORKERS", "zero"),
        ("INTERVIEW_PORT", "80000"),
        ("REFLEX_REDIS_URL", "localhost:6379"),
        ("INTERVIEW_TRUSTED_PROXIES", "not-a-network"),
        ("SENTRY_TRACES_SAMPLE_RATE", "lots"),
    ],
)
def test_prod_with_a_bad_value_names_it(tmp_path, name, value):
    assert_one_line(run(PROD, tmp_path, **SECRETS, **{name: value}), name, repr(value))


def test_prod_on_a_port_in_use_says_which_and_how_to_change_it(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(PROD, tmp_path, **SECRETS, INTERVIEW_PORT=str(port))
    assert_one_line(result, f"127.0.0.1:{port}", "INTERVIEW_PORT")


def test_reflex_run_with_a_bad_value_stops_before_reflex_starts(tmp_path):
    result = run([sys.executable, "-m", "reflex", "run"], tmp_path, INTERVIEW_REQUIRE_AUTH="maybe")
    assert_one_line(result, "INTERVIEW_REQUIRE_AUTH", "'maybe'")
    assert not (tmp_path / "secantusd.json").exists()  # no database was started


def test_reflex_run_in_prod_without_secrets_stops_before_reflex_starts(tmp_path):
    result = run([sys.executable, "-m", "reflex", "run", "--env", "prod"], tmp_path)
    assert_one_line(result, "INTERVIEW_SESSION_SECRET", "must be set in production")


def test_invite_with_a_bad_value(tmp_path):
    result = run(
        [sys.executable, "-m", "interview_app.cli.invite", "app-1", "--user-id", "u"],
        tmp_path,
        INTERVIEW_ICE_SERVERS="{",
    )
    assert_one_line(result, "INTERVIEW_ICE_SERVERS")


MALFORMED_URIS = [
    ("mongodb//localhost:27017", "Invalid URI scheme"),
    ("mongodb://app:s3cr@t@db.internal:27017/interviews", "must be escaped"),
    ("mongodb+srv://cluster0.example.com:27017/interviews", "must not include a port number"),
]


@pytest.mark.parametrize(("uri", "reason"), MALFORMED_URIS)
def test_prod_with_a_malformed_mongodb_uri_says_why_in_one_line(tmp_path, uri, reason):
    result = run(PROD, tmp_path, **SECRETS, MONGODB_URI=uri)
    assert_one_line(result, "MONGODB_URI", reason)
    assert "s3cr" not in result.stderr + result.stdout  # a password never reaches the logs


def test_reflex_run_with_a_malformed_mongodb_uri_stops_before_reflex_starts(tmp_path):
    result = run([sys.executable, "-m", "reflex", "run"], tmp_path, MONGODB_URI=MALFORMED_URIS[1][0])
    assert_one_line(result, "MONGODB_URI", MALFORMED_URIS[1][1])
    assert "s3cr" not in result.stderr + result.stdout


def test_invite_with_a_malformed_mongodb_uri(tmp_path):
    result = run(
        [sys.executable, "-m", "interview_app.cli.invite", "app-1", "--user-id", "u"],
        tmp_path,
        MONGODB_URI=MALFORMED_URIS[2][0],
    )
    assert_one_line(result, "MONGODB_URI", MALFORMED_URIS[2][1])
