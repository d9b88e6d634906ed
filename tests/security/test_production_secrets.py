"""Regression (issue 15 C10): production refuses one secret for candidate and session tokens, and
anonymous starts unless said explicitly; one line and exit code 2, like every configuration error.

On the old code both started: the first silently, the second with a warning in the log.
"""

from __future__ import annotations

from tests.cli.test_config_errors import PROD, assert_one_line, run


def test_prod_refuses_the_session_secret_equal_to_the_candidate_secret(tmp_path):
    result = run(PROD, tmp_path, INTERVIEW_SESSION_SECRET="same" * 10, CANDIDATE_TOKEN_SECRET="same" * 10)
    assert_one_line(result, "INTERVIEW_SESSION_SECRET must differ from CANDIDATE_TOKEN_SECRET")


def test_prod_refuses_nextauth_secret_alone_for_both(tmp_path):
    result = run(PROD, tmp_path, NEXTAUTH_SECRET="n" * 40)
    assert_one_line(result, "INTERVIEW_SESSION_SECRET must differ")


def test_prod_refuses_anonymous_starts_unless_allowed_explicitly(tmp_path):
    secrets = {"INTERVIEW_SESSION_SECRET": "s" * 40, "CANDIDATE_TOKEN_SECRET": "c" * 40}
    result = run(PROD, tmp_path, INTERVIEW_REQUIRE_AUTH="false", **secrets)
    assert_one_line(result, "INTERVIEW_REQUIRE_AUTH=false", "INTERVIEW_ALLOW_ANONYMOUS=true")
