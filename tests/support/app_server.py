"""Run the real app (``reflex run --env prod``, one port) for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from interview_app.cli.prod import reflex_command, stop_process_group
from interview_app.cli.prod_settings import ProdSettings
from interview_app.storage.embedded import free_port
from tests.support import prebuilt_page
from tests.support.api_app import TEST_VOICE_WPM
from tests.support.processes import one_reflex_start, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
SECRET = "ui-tests-secret-0123456789abcdefghijklmnopqrstuvwxyz"
SESSION_SECRET = "ui-tests-session-secret-0123456789abcdefghijklmnop"  # prod refuses one secret for both
START_TIMEOUT_S = 240

# Debian's headless shell: Chromium's engine without the browser's UI (the address bar and its
# popups, started again with every context): a full run used about 60 s less CPU (493 s against
# about 550 s) for the same pages, audio and WebRTC. It has no permission prompt, so a test of a
# candidate denying the microphone uses the full browser. The full browser when it is not installed.
CHROMIUM_BROWSER = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM = shutil.which("chromium-headless-shell") or CHROMIUM_BROWSER
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
    # For the full browser only (the headless shell has no address bar): WebUIOmniboxPopup, the
    # address bar's popup, a WebUI renderer started with every new page of headless Chromium 156,
    # cost about 0.3 s of CPU per browser context (8 contexts: 9.4-10.0 s of CPU without it in the
    # list, 6.9-7.2 s with it). Its "AI mode" variant (omnibox_popup_aim.html) still starts with every
    # context, about 0.3 s of CPU each; no feature name found turns it off.
    "--disable-features=WebRtcHideLocalIpsWithMdns,WebUIOmniboxPopup",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class SharedApp:
    """The browser tests' app, shared across test modules: at most one app runs at a time.

    An app's page lives in the worker's one ``.web/build`` (each start writes its own URL into it), so
    a second app started while another runs could hand the first one its bundle. So :meth:`url` keeps
    the running app while the same configuration is asked for and stops it before starting another,
    and :func:`running_app` stops it before starting an app of its own.
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
        port: the port to serve on (default: a free one).
    """
    SHARED_APP.release()  # one app at a time: they share the page build (see SharedApp)
    port = port or free_port()
    env = {
        **os.environ,
        "MONGODB_URI": mongo_uri,
        "MONGODB_DB": db_name,
        "NEXTAUTH_SECRET": SECRET,
        "INTERVIEW_SESSION_SECRET": SESSION_SECRET,
        "INTERVIEW_DATA_DIR": str(data_dir),
        "INTERVIEW_ICE_HOST_ADDRESSES": "127.0.0.1",
        "INTERVIEW_ICE_ALLOW_LOOPBACK": "true",  # prod, but Chromium's candidates are on loopback
        "INTERVIEW_LOCAL_VOICE_WPM": str(TEST_VOICE_WPM),
        "INTERVIEW_PUBLIC_URL": public_url or f"http://127.0.0.1:{port}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_SHOW_BUILT_WITH_REFLEX": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT}/.tools/node_modules/.bin:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        **(extra_env or {}),
    }
    if public_url and workers is None:
        env["REFLEX_API_URL"] = public_url
    if workers is not None:
        env.update({"INTERVIEW_PORT": str(port), "INTERVIEW_HOST": "127.0.0.1", "INTERVIEW_WORKERS": str(workers)})
    log_path = data_dir / "app.log"
    base = f"http://127.0.0.1:{port}"
    web = Path(env.get("REFLEX_WEB_WORKDIR", ROOT / ".web"))
    # Only the run's first start builds: it is held until it answers and its page is kept for every
    # later start (tests/support/prebuilt_page.py). A start on the kept page takes a turn only while
    # Reflex sets up a new web directory (every start syncs the checkout's lockfiles).
    with contextlib.nullcontext() if prebuilt_page.available() and web.is_dir() else one_reflex_start():
        prebuilt = prebuilt_page.available()  # asked again in turn: another worker's start may have built it
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                _command(port, workers, prebuilt),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            urls = [f"{base}/interview/x", f"{base}/ping"]
            wait_until_answering(proc, urls, log_path, START_TIMEOUT_S, "app")
            if not prebuilt:
                prebuilt_page.save(web)
        except BaseException:
            stop_process_group(proc, timeout_s=40)
            raise
    try:
        yield base
    finally:
        stop_process_group(proc, timeout_s=40)  # longer than the prod runner takes to stop its own


def _command(port: int, workers: int | None, prebuilt: bool) -> list[str]:
    """``reflex run --env prod`` on one port as the prod runner starts it, or with ``workers`` the
    runner itself (``make prod``); on the run's kept page when ``prebuilt``."""
    if workers is not None:
        runner = (prebuilt_page.MODULE, "runner") if prebuilt else ("interview_app.cli.prod",)
        return [sys.executable, "-m", *runner]
    command = reflex_command(ProdSettings(host="127.0.0.1", port=port, workers=1, browser_api_url=None))
    if prebuilt:
        command[command.index("interview_app.cli.reflex_prod")] = prebuilt_page.MODULE
    return command
