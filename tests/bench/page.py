"""``make bench`` (part 3): click → live latency of the candidate page in headless Chromium.

Runs the app in prod mode against SecantusDB and repeats: open a fresh invite link, wait for
the device check, click Start Interview, stop the clock when ``#interview-phase`` reads
``live`` (session registered through the API, WebRTC connected). Prints P50/P95.
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
from interview_app.storage import embedded
from interview_app.domain.clock import utcnow
from tests.bench.common import row
from tests.support.app_server import CHROMIUM_ARGS, SECRET, running_app

RUNS = 15


def main() -> int:
    server = embedded.spawn(":memory:")
    try:
        with running_app(server.uri, "pagebench", Path(tempfile.mkdtemp())) as base, \
                MongoClient(server.uri) as client, sync_playwright() as playwright:
            db = client["pagebench"]
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            samples = []
            for run in range(RUNS + 1):  # the first run warms caches and is not counted
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
                if run:
                    samples.append((time.perf_counter() - started) * 1000)
                page.click("#end-interview")
                context.close()
            browser.close()
            print("page benchmark (prod mode, headless Chromium with fake media, SecantusDB)")
            print(row("click -> live", samples))
    finally:
        embedded.stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
