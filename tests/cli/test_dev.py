"""Which process the developer run attaches to, and the URLs it derives from the real ports."""

import pytest

from interview_app.cli.dev import is_dev_run
from interview_app.config import local_backend_url, public_url


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/repo/.venv/bin/reflex", "run"], True),
        (["/repo/.venv/lib/python3.11/site-packages/reflex/__main__.py", "run", "--loglevel", "info"], True),
        (["reflex", "run", "--env", "dev"], True),
        (["reflex", "run", "--env", "prod"], False),
        (["reflex", "run", "--env=prod"], False),
        (["reflex", "export"], False),
        (["/repo/.venv/bin/pytest", "run"], False),
        ([], False),
    ],
)
def test_only_reflex_run_in_dev_mode_attaches(argv, expected):
    assert is_dev_run(argv) is expected


def test_invite_links_follow_the_port_reflex_chose(settings, monkeypatch):
    monkeypatch.setenv("REFLEX_FRONTEND_PORT", "3001")
    assert public_url(settings) == "http://localhost:3001"
    assert public_url(settings, 4000) == "http://localhost:4000"


def test_the_backend_reaches_itself_on_loopback_when_bound_to_every_address():
    assert local_backend_url("0.0.0.0", 8123) == "http://127.0.0.1:8123"
    assert local_backend_url("10.0.0.5", 8000) == "http://10.0.0.5:8000"
    assert local_backend_url("::1", 8000) == "http://[::1]:8000"
