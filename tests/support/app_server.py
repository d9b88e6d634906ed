"""Run the real app (``reflex run --env prod``, one port) for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from interview_app.cli.prod import reflex_command, stop_process_group
from interview_app.cli.prod_settings import ProdSettings
from interview_app.storage.embedded import free_port
from tests.support.processes import one_reflex_start, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
SECRET = "ui-tests-secret-0123456789abcdefghijklmnopqrstuvwxyz"
SESSION_SECRET = "ui-tests-session-secret-0123456789abcdefghijklmnop"  # prod refuses one secret for both
START_TIMEOUT_S = 240

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    # One list (Chromium keeps the last --disable-features; Playwright's own list is replaced by it).
    # WebUIOmniboxPopup: the address bar's popup, a WebUI renderer started with every new page of
    # headless Chromium 156, cost about 0.3 s of CPU per browser context (8 contexts: 9.4-10.0 s of
    # CPU without it in the list, 6.9-7.2 s with it).
    "--disable-features=WebRtcHideLocalIpsWithMdns,WebUIOmniboxPopup",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class SharedApp:
    """The browser tests' app, shared across test modules: at most one app runs at a time.

    A prod start that builds writes the page into the worker's one ``.web/build``, baking its own
    port into the bundle, so a second app started while another runs could hand the first one its
    bundle. So
    :meth:`url` keeps the running app while the same configuration is asked for and stops it
    before starting another, and :func:`running_app` stops it before starting an app of its own.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._stack: contextlib.ExitStack | None = None
        self._url = ""

    def url(self, key: tuple, start: Callable[[], contextlib.AbstractContextManager[str]]) -> str:
        """The base URL of the app of configuration ``key``, started by ``start`` unless already running."""
        if self._stack is None or self._key != key:
            self.release()
            stack = contextlib.ExitStack()
            self._url = stack.enter_context(start())
            self._stack, self._key = stack, key
        return self._url

    def release(self) -> None:
        """Stop the shared app, if one runs."""
        stack, self._stack, self._key = self._stack, None, None
        if stack is not None:
            stack.close()


SHARED_APP = SharedApp()


class PageBuild:
    """The port this worker's apps are served on, and whether its web directory holds a bundle this
    run built for an app URL (so a start there can skip the build: ``tests/support/prebuilt_page.py``).

    One port per worker, so every app of the worker asks for the same bundle. The bundle is reused
    only when this process built one since it began (the code cannot have changed since) and the
    web directory's ``env.json`` still names the URL asked for: any other start in that directory
    (another port, a proxy's URL, ``make prod``'s workers, a dev run) rewrites it, and the next
    start builds again.
    """

    def __init__(self) -> None:
        self._port: int | None = None
        self.built_here = False

    def port(self, workers: int | None = None) -> int:
        """The worker's port (a new one if something else took it meanwhile: that start builds).
        An app of ``make prod``'s runner (``workers``) gets a free port of its own: its workers may
        outlive the runner for a moment on their port."""
        if workers is not None:
            return free_port()
        if self._port is None or not _bindable(self._port):
            self._port = free_port()
        return self._port

    def reusable(self, api_url: str) -> bool:
        web = Path(os.environ.get("REFLEX_WEB_WORKDIR", ROOT / ".web"))
        try:
            baked = json.loads((web / "env.json").read_text()).get("PING")
        except (OSError, ValueError):
            return False
        return self.built_here and baked == f"{api_url}/ping" and (web / "build" / "client").is_dir()


PAGE_BUILD = PageBuild()


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the app's server binds it
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextlib.contextmanager
def running_app(
    mongo_uri: str,
    db_name: str,
    data_dir: Path,
    extra_env: dict | None = None,
    *,
    public_url: str | None = None,
    workers: int | None = None,
    port: int | None = None,
):
    """Start the app in prod mode on a free port; yields its base URL; stops it afterwards.

    Args:
        public_url: the URL browsers use when it is not the app's own (a proxy in front of it):
            the page then opens its event websocket there too.
        workers: run it the way ``make prod`` does (``interview_app.cli.prod``: this many workers,
            Reflex state in a local redis-server it starts and stops) instead of plain ``reflex run``.
        port: the port to serve on (default: :meth:`PageBuild.port`).
    """
    SHARED_APP.release()  # one app at a time: they share the page build (see SharedApp)
    port = port or PAGE_BUILD.port(workers)
    env = {
        **os.environ,
        "MONGODB_URI": mongo_uri,
        "MONGODB_DB": db_name,
        "NEXTAUTH_SECRET": SECRET,
        "INTERVIEW_SESSION_SECRET": SESSION_SECRET,
        "INTERVIEW_DATA_DIR": str(data_dir),
        "INTERVIEW_ICE_HOST_ADDRESSES": "127.0.0.1",
        "INTERVIEW_ICE_ALLOW_LOOPBACK": "true",  # prod, but Chromium's candidates are on loopback
        "INTERVIEW_PUBLIC_URL": public_url or f"http://127.0.0.1:{port}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_SHOW_BUILT_WITH_REFLEX": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT}/.tools/node_modules/.bin:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        **(extra_env or {}),
    }
    prebuilt = False
    if workers is None:  # plain ``reflex run``, as the prod runner starts it (one port)
        command = reflex_command(ProdSettings(host="127.0.0.1", port=port, workers=1, browser_api_url=None))
        if public_url:
            env["REFLEX_API_URL"] = public_url
        prebuilt = PAGE_BUILD.reusable(public_url or f"http://localhost:{port}")
        if prebuilt:
            command[command.index("interview_app.cli.reflex_prod")] = "tests.support.prebuilt_page"
    else:
        command = [sys.executable, "-m", "interview_app.cli.prod"]
        env.update({"INTERVIEW_PORT": str(port), "INTERVIEW_HOST": "127.0.0.1", "INTERVIEW_WORKERS": str(workers)})
    log_path = data_dir / "app.log"
    base = f"http://127.0.0.1:{port}"
    # A build is held until it answers (builds at once slowed the fault tests' timings); a start
    # on a prebuilt page touches no shared file and takes no turn.
    with contextlib.nullcontext() if prebuilt else one_reflex_start():
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            urls = [f"{base}/interview/x", f"{base}/ping"]
            wait_until_answering(proc, urls, log_path, START_TIMEOUT_S, "app")
        except BaseException:
            stop_process_group(proc, timeout_s=40)
            raise
    PAGE_BUILD.built_here = True
    try:
        yield base
    finally:
        stop_process_group(proc, timeout_s=40)  # longer than the prod runner takes to stop its own
