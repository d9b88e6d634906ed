"""Developer runs: ``reflex run`` (and ``make run``, which is just that) in dev mode.

``rxconfig.py`` calls :func:`attach`, so it runs in every process that loads the Reflex
configuration. In any ``reflex run`` it checks the settings first (one line, exit code 2); in
the dev-mode ``reflex run`` process itself (not its workers, not tests, not prod) it starts the
embedded database (unless ``MONGODB_URI`` is set), prints an invite link to a demo application
ready for a new interview (a fresh one once the last is submitted: ``domain/demo.py``) once the
page really answers on the port Reflex chose, and stops the database it started when Reflex exits
(Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading
import time

import httpx
from pymongo.errors import PyMongoError

from interview_app.cli import demo, run_record
from interview_app.cli.errors import settings_or_exit
from interview_app.cli.reflex_env import chosen_ports, reflex_subcommand
from interview_app.config import Settings, public_url
from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.storage import embedded

OWNER_VARIABLE = "INTERVIEW_DEV_OWNER_PID"  # inherited by Reflex's workers, so they know they are not the owner
READY_TIMEOUT_S = 600


def reflex_run_env(argv: list[str]) -> str | None:
    """The ``--env`` of ``reflex run`` (or ``python -m reflex run``), or None for any other command."""
    if reflex_subcommand(argv) != "run":
        return None
    env = "dev"
    for index, arg in enumerate(argv):
        if arg == "--env" and index + 1 < len(argv):
            env = argv[index + 1]
        elif arg.startswith("--env="):
            env = arg.split("=", 1)[1]
    return env.lower()


def _owned_elsewhere() -> bool:
    raw = os.environ.get(OWNER_VARIABLE, "")
    if not raw.isdigit() or int(raw) == os.getpid():
        return False
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(int(raw), 0)
        return True
    return False


def attach() -> None:
    """Check the settings of any ``reflex run`` (one line and exit code 2 when unusable), then set up
    the dev run around Reflex when this process is ``reflex run`` in dev mode itself (idempotent)."""
    env = reflex_run_env(sys.argv)
    if env is None:
        return
    if env == "prod":
        os.environ["REFLEX_ENV_MODE"] = "prod"  # Reflex sets it a moment later; the settings need it now
    settings = settings_or_exit()
    if env != "dev" or _owned_elsewhere() or os.environ.get(OWNER_VARIABLE) == str(os.getpid()):
        return
    os.environ[OWNER_VARIABLE] = str(os.getpid())
    if settings.mongodb_uri is None:
        server, started = embedded.ensure_running(settings.data_dir)
        print(f"Embedded database (SecantusDB) on {server.uri}, data in {settings.data_dir}/db", flush=True)
        if started:
            atexit.register(_stop_database, settings, server)
    with contextlib.suppress(ValueError):  # only the main thread may install handlers
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    # The client is made here, before the thread starts: its first use imports httpcore, ssl and
    # certifi, and Reflex forks its compile worker meanwhile; a fork taken while this thread held a
    # module's import lock left the worker deadlocked on that import (the second ``make run`` hung).
    client = httpx.Client(timeout=5)
    threading.Thread(target=_announce_when_ready, args=(settings, client), name="demo-link", daemon=True).start()


def _interrupt(*_: object) -> None:
    """SIGTERM shuts Reflex down like Ctrl-C does, so exit handlers (the database stop) run."""
    raise KeyboardInterrupt


def _stop_database(settings: Settings, server: embedded.EmbeddedServer) -> None:
    embedded.stop(server)
    (settings.data_dir / "secantusd.json").unlink(missing_ok=True)
    print("Embedded database stopped.", flush=True)


def _answers(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def _demo_link(settings: Settings, base: str) -> str:
    """A link to a demo application ready for a new interview: a fresh one once the last is submitted,
    rate limited or in progress (``domain/demo.py``)."""
    try:
        return demo.ready_demo_link(settings, base)
    except PyMongoError as exc:  # the page still runs: say why there is no link
        return f"unavailable, the embedded database did not answer ({type(exc).__name__}); try make demo-link"


def _announce_when_ready(settings: Settings, client: httpx.Client) -> None:
    """Wait for the ports Reflex settles on (it moves to the next free one) and for both servers."""
    with client:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            frontend, backend = chosen_ports()
            if (
                frontend
                and backend
                and _answers(client, f"http://127.0.0.1:{backend}/ping")
                and _answers(client, f"http://127.0.0.1:{frontend}/interview/{DEMO_APPLICATION_ID}")
            ):
                base = public_url(settings, frontend)
                run_record.write(settings.data_dir, "dev", frontend, settings.public_url, settings.candidate_secret)
                atexit.register(run_record.remove, settings.data_dir)
                if settings.mongodb_uri is None:
                    print(f"\n  Demo interview: {_demo_link(settings, base)}\n", flush=True)
                else:  # the demo application is seeded on the embedded database only
                    print(f"\n  App ready at {base}; invite links: make invite APP=<applicationId>\n", flush=True)
                return
            time.sleep(0.5)
