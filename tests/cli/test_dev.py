"""Which process the developer run attaches to, and the URLs it derives from the real ports."""

import pytest

from interview_app.cli.dev import reflex_run_env
from interview_app.cli.reflex_env import frontend_port
from interview_app.config import local_backend_url, public_url


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/repo/.venv/bin/reflex", "run"], "dev"),
        (["/repo/.venv/lib/python3.11/site-packages/reflex/__main__.py", "run", "--loglevel", "info"], "dev"),
        (["reflex", "run", "--env", "dev"], "dev"),
        (["reflex", "run", "--env", "prod"], "prod"),
        (["reflex", "run", "--env=prod"], "prod"),
        (["reflex", "export"], None),
        (["/repo/.venv/bin/pytest", "run"], None),
        ([], None),
    ],
)
def test_only_reflex_run_attaches_and_its_env_is_read(argv, expected):
    assert reflex_run_env(argv) == expected


def test_invite_links_follow_the_port_reflex_chose(settings, monkeypatch):
    monkeypatch.setenv("REFLEX_FRONTEND_PORT", "3001")
    assert public_url(settings, frontend_port()) == "http://localhost:3001"
    assert public_url(settings, 4000) == "http://localhost:4000"
    monkeypatch.delenv("REFLEX_FRONTEND_PORT")
    assert public_url(settings, frontend_port()) == "http://localhost:3000"


def test_the_backend_reaches_itself_on_loopback_when_bound_to_every_address():
    assert local_backend_url("0.0.0.0", 8123) == "http://127.0.0.1:8123"
    assert local_backend_url("10.0.0.5", 8000) == "http://10.0.0.5:8000"
    assert local_backend_url("::1", 8000) == "http://[::1]:8000"
