"""``make run`` prints a link to a demo interview that starts anew, run after run (issue 20 §7).

The real command, twice, as a developer types it: Reflex in dev mode (page and backend on free ports),
the embedded database of a fresh data directory on a free port. The first run's demo is taken and
submitted through the API; the second run must then print a link to another, untouched application.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx

from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.storage import embedded
from interview_app.storage.embedded import free_port
from tests.cli.test_demo import clean_env
from tests.support.app_server import ROOT
from tests.support.processes import one_reflex_start

START_TIMEOUT_S = 300
LINK_PREFIX = "Demo interview: "


@contextlib.contextmanager
def make_run(data_dir: Path) -> Iterator[tuple[str, str]]:
    """``make run`` until it prints the demo link; yields (the link, the backend's base URL), then
    stops it as Ctrl-C would (its process group) and checks it stopped its database."""
    backend = free_port()
    env = clean_env(
        data_dir,
        REFLEX_FRONTEND_PORT=str(free_port()),
        REFLEX_BACKEND_PORT=str(backend),
        # its own page build: ``make prod`` (tests/cli/test_prod.py) builds into ``.web`` on another worker
        REFLEX_WEB_WORKDIR=str(ROOT / ".web-make-run"),
        REFLEX_STATES_WORKDIR=str(ROOT / ".states-make-run"),
    )
    starting = contextlib.ExitStack()
    starting.enter_context(one_reflex_start())
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()], daemon=True).start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        link = ""
        with starting:  # the link is printed once the page answers
            while not link:
                assert proc.poll() is None, "".join(output)
                assert time.monotonic() < deadline, "no demo link in time:\n" + "".join(output[-40:])
                with contextlib.suppress(queue.Empty):
                    line = lines.get(timeout=1)
                    output.append(line)
                    if LINK_PREFIX in line:
                        link = line.split(LINK_PREFIX, 1)[1].strip()
        yield link, f"http://127.0.0.1:{backend}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        embedded.stop_recorded(data_dir)  # a no-op when make run stopped it, as it should


def open_demo(link: str, api: str) -> tuple[str, str, dict]:
    """The application id, the candidate token and the preview of a printed demo link."""
    parsed = urlparse(link)
    app_id = parsed.path.removeprefix("/interview/")
    token = parse_qs(parsed.query)["token"][0]
    preview = httpx.get(
        f"{api}/api/interview/applications/{app_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert preview.status_code == 200, preview.text
    return app_id, token, preview.json()


def take_and_submit(api: str, app_id: str, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    started = httpx.post(f"{api}/api/interview/start-session", json={"applicationId": app_id}, headers=auth, timeout=10)
    assert started.status_code == 201, started.text
    body = started.json()
    ended = httpx.post(
        f"{api}/api/interview/sessions/{body['sessionId']}/end",
        headers={"Authorization": f"Bearer {body['token']}"},
        timeout=10,
    )
    assert ended.status_code == 200, ended.text


def test_make_run_twice_prints_a_fresh_demo_once_the_last_is_submitted(tmp_path):
    with make_run(tmp_path) as (link, api):
        first, token, preview = open_demo(link, api)
        assert first == DEMO_APPLICATION_ID and preview["status"] == "open"
        take_and_submit(api, first, token)
        assert open_demo(link, api)[2]["status"] == "completed"
    assert not (tmp_path / "secantusd.json").exists()  # make run stopped the database it started

    with make_run(tmp_path) as (link, api):
        second, token, preview = open_demo(link, api)
        assert second != first and second.startswith("demo-")
        assert preview["status"] == "open" and preview["completedSession"] is None  # a whole new interview
