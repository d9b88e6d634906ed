"""``make bench`` (part 4): click → live latency of the candidate page in headless Chromium,
direct and through ``deploy/Caddyfile`` (Caddy in front of the app), in the same run.

Runs the app in prod mode against SecantusDB and repeats: open a fresh invite link, wait for
the device check, click Start Interview, stop the clock when ``#interview-phase`` reads
``live`` (session registered through the API, WebRTC connected). Prints P50/P95 for each path.
Through Caddy the page, the event websocket and the signaling all pass the proxy.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
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
from tests.support.browser import end_interview
from tests.support.caddy import running_caddy

RUNS = 15


def click_to_live(browser, db, base: str) -> float:
    """One interview from a fresh invite; the click → live time in ms."""
    app_id = f"bench-{uuid.uuid4().hex[:8]}"
    db.applications.insert_one({"_id": app_id, "userId": "u", "jobTitle": "Bench Engineer"})
    token = tokens.mint_candidate_token(SECRET, "u", app_id, utcnow(), ttl=timedelta(hours=1))
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/interview/{app_id}?token={token}")
    expect(page.locator("#start-interview")).to_be_enabled(timeout=15_000)
    started = time.perf_counter()
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=20_000)
    elapsed = (time.perf_counter() - started) * 1000
    end_interview(page)
    context.close()
    return elapsed


def measure(browser, db, base: str) -> list[float]:
    """RUNS interviews after one warm-up; click → live times in ms."""
    return [click_to_live(browser, db, base) for _ in range(RUNS + 1)][1:]


def main() -> int:
    # One app at a time: each prod build writes the URL browsers use into the shared .web.
    server = embedded.spawn(":memory:")
    samples: dict[str, list[float]] = {}
    proxy_port = free_port()
    try:
        with MongoClient(server.uri) as client, sync_playwright() as playwright:
            db = client["pagebench"]
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            with running_app(server.uri, "pagebench", Path(tempfile.mkdtemp())) as direct:
                samples["direct"] = measure(browser, db, direct)
            with running_app(server.uri, "pagebench", Path(tempfile.mkdtemp()),
                             public_url=f"http://127.0.0.1:{proxy_port}") as behind_proxy, \
                    running_caddy(behind_proxy.removeprefix("http://"), Path(tempfile.mkdtemp()),
                                  port=proxy_port) as proxy:
                samples["through Caddy"] = measure(browser, db, proxy)
            browser.close()
    finally:
        embedded.stop(server)
    print("page benchmark (prod mode, one worker, headless Chromium with fake media, SecantusDB)")
    for path, values in samples.items():
        print(row(f"click -> live, {path}", values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
