"""The invite command mints a link whose token verifies as the application's owner."""

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

from interview_app.cli import run_record
from interview_app.cli.invite import invite_url
from interview_app.domain import tokens
from tests.cli.test_config_errors import assert_one_line, run


def test_invite_link_carries_an_owner_token(settings):
    link = invite_url(settings, "https://jobs.example/", "app-7", "user-7")
    parsed = urlparse(link)
    assert parsed.path == "/interview/app-7"
    identity = tokens.verify_candidate_token(settings.candidate_secret, parse_qs(parsed.query)["token"][0])
    assert identity == tokens.CandidateIdentity(user_id="user-7", application_id="app-7")


# `make invite` tells the truth (issue 20 item 6): the link of the server actually running, never one
# signed with a key that server refuses, and a public URL without a scheme is a configuration error.
INVITE = [sys.executable, "-m", "interview_app.cli.invite", "app-1", "--user-id", "u-1"]
PROD_SECRET = "p" * 40


def pretend_server_runs(data_dir, kind: str, port: int, secret: str) -> None:
    """A run record naming this (live) test process as the server."""
    run_record.write(data_dir, kind, port, None, secret)


def test_invite_refuses_the_dev_key_while_make_prod_expects_its_secret(tmp_path):
    pretend_server_runs(tmp_path, "prod", 18_443, PROD_SECRET)
    result = run(INVITE, tmp_path)  # no secret in the environment: the development key
    assert_one_line(result, "make prod running on port 18443", "CANDIDATE_TOKEN_SECRET")
    assert result.stdout == ""  # no link at all


def test_invite_signs_for_the_running_make_prod_on_its_port(tmp_path):
    pretend_server_runs(tmp_path, "prod", 18_443, PROD_SECRET)
    result = run(INVITE, tmp_path, CANDIDATE_TOKEN_SECRET=PROD_SECRET)
    assert result.returncode == 0, result.stderr
    link = urlparse(result.stdout.strip())
    assert (link.scheme, link.netloc, link.path) == ("http", "localhost:18443", "/interview/app-1")
    identity = tokens.verify_candidate_token(PROD_SECRET, parse_qs(link.query)["token"][0])
    assert identity.application_id == "app-1"


def test_invite_prefers_the_public_url(tmp_path):
    pretend_server_runs(tmp_path, "prod", 18_443, PROD_SECRET)
    result = run(INVITE, tmp_path, CANDIDATE_TOKEN_SECRET=PROD_SECRET, INTERVIEW_PUBLIC_URL="https://jobs.example.com/")
    assert result.stdout.startswith("https://jobs.example.com/interview/app-1?token="), result.stderr


def test_a_stale_run_record_is_ignored(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / run_record.FILE).write_text(
        f'{{"kind": "prod", "pid": {dead.stdout.strip()}, "port": 18443, "candidateKey": "x"}}'
    )
    result = run(INVITE, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "localhost:18443" not in result.stdout


def test_a_public_url_without_a_scheme_is_one_line(tmp_path):
    result = run(INVITE, tmp_path, INTERVIEW_PUBLIC_URL="interview.example.com")
    assert_one_line(result, "INTERVIEW_PUBLIC_URL", "'interview.example.com'", "https://")


def test_run_record_is_removed_only_by_its_owner(tmp_path):
    pretend_server_runs(tmp_path, "dev", 3000, "k")
    expected = run_record.RunRecord("dev", os.getpid(), 3000, None, run_record.fingerprint("k"))
    assert run_record.running(tmp_path) == expected
    run_record.remove(tmp_path)
    assert run_record.running(tmp_path) is None
