"""``make bench`` (part 4): click → live latency of the candidate page in headless Chromium,
direct and through ``deploy/Caddyfile`` (Caddy in front of the app), in the same run.

Runs the app in prod mode against SecantusDB and repeats: open a fresh invite link, wait for
the device check, click Start Interview, and time it in the page from the click event until
``#interview-phase`` reads ``live`` (session registered through the API, WebRTC connected).
Prints P50/P95 for each path. Through Caddy the page, the event websocket and the signaling all pass the proxy.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from pymongo import MongoClient

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.storage import embedded
from interview_app.storage.embedded import free_port
from tests.bench.common import row
from tests.support.app_server import CHROMIUM_ARGS, SECRET, running_app
from tests.support.browser import agree_to_notice, end_via_confirmation
from tests.support.caddy import running_caddy

RUNS = 15
PROXY_HOST = "127.0.0.2"
# The page's own clock, from the click event to the phase reading "live": Playwright's polling of
# the text (100, 250, 500 ms apart) would add up to half a second of its own to a sample.
CLOCK = """() => {
  window.__clickAt = window.__liveAt = null;
  const button = document.getElementById('start-interview');
  button.addEventListener('click', () => { window.__clickAt = performance.now(); }, {capture: true, once: true});
  const phase = document.getElementById('interview-phase');
  new MutationObserver(() => {
    if (phase.textContent === 'live' && window.__liveAt === null) window.__liveAt = performance.now();
  }).observe(phase, {childList: true, characterData: true, subtree: true});
}"""


def click_to_live(browser, db, base: str) -> float:
    """One interview from a fresh invite; the click → live time in ms."""
    app_id = f"bench-{uuid.uuid4().hex[:8]}"
    db.applications.insert_one({"_id": app_id, "userId": "u", "jobTitle": "Bench Engineer"})
    token = tokens.mint_candidate_token(SECRET, "u", app_id, utcnow(), ttl=timedelta(hours=1))
    context = browser.new_context()
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.goto(f"{base}/interview/{app_id}?token={token}")
    agree_to_notice(page)
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)
    page.evaluate(CLOCK)
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=20_000)
    elapsed = page.evaluate("() => window.__liveAt - window.__clickAt")
    if not sockets or not all(url.startswith(base.replace("http", "ws", 1)) for url in sockets):
        raise RuntimeError(f"the event websocket bypassed {base}: {sockets}")
    end_via_confirmation(page)
    context.close()
    return elapsed


def main() -> int:
    # One app, one build: Caddy listens on the app's port number on 127.0.0.2, and the page keeps
    # its own host for the event websocket, so the same page runs direct or through the proxy.
    server = embedded.spawn(":memory:")
    port = free_port()
    samples: dict[str, list[float]] = {"direct": [], "through Caddy": []}
    try:
        with (
            MongoClient(server.uri) as client,
            sync_playwright() as playwright,
            running_app(
                server.uri,
                "pagebench",
                Path(tempfile.mkdtemp()),
                {"INTERVIEW_EXTRA_ORIGINS": f"http://{PROXY_HOST}:{port}"},  # the page through Caddy
                port=port,
            ) as direct,
            running_caddy(
                direct.removeprefix("http://"), Path(tempfile.mkdtemp()), port=port, host=PROXY_HOST
            ) as proxy,
        ):
            db = client["pagebench"]
            # Chromium resolves nothing but 127.0.0.1 (no background lookups); let it reach the proxy too.
            args = [
                arg + f" , EXCLUDE {PROXY_HOST}" if arg.startswith("--host-resolver-rules") else arg
                for arg in CHROMIUM_ARGS
            ]
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=args
            )
            for run in range(RUNS + 1):  # alternating, so both paths see the same machine; run 0 warms up
                order = [("direct", direct), ("through Caddy", proxy)]
                for path, base in order if run % 2 else order[::-1]:
                    elapsed = click_to_live(browser, db, base)
                    if run:
                        samples[path].append(elapsed)
            browser.close()
    finally:
        embedded.stop(server)
    print("page benchmark (prod mode, one worker, headless Chromium with fake media, SecantusDB)")
    for path, values in samples.items():
        print(row(f"click -> live, {path}", values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
