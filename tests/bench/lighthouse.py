"""``make bench`` (Lighthouse part, issue 20 §13): Lighthouse mobile on the prod build of the interview page.

Runs the app in prod mode against SecantusDB, opens a fresh invite link with Lighthouse (pinned in
``.tools/lighthouse``, its default mobile profile: a Moto G Power screen, simulated slow 4G and a
4x slower CPU) driving Debian's Chromium, and prints the Performance score, FCP, LCP, TBT and the
JS/CSS bytes the page loads. Then the same for a blank Reflex app built in the same run, the
baseline the issue compares with (``LIGHTHOUSE_BASELINE=0`` skips it). ``make bench-lighthouse``
runs only this part.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pymongo import MongoClient

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.storage import embedded
from interview_app.storage.embedded import free_port
from tests.support.app_server import CHROMIUM_ARGS, ROOT, SECRET, START_TIMEOUT_S, running_app
from tests.support.processes import wait_until_answering

LIGHTHOUSE = ROOT / ".tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
RUNS = 3  # Lighthouse's own advice: take the median of several runs
REPORTS = ROOT / "test-artifacts" / "lighthouse"  # every run's JSON report, for a look at what costs
# The Chromium flags of the browser tests, minus those Lighthouse sets itself.
CHROME_FLAGS = " ".join(
    f'--host-resolver-rules="{arg.split("=", 1)[1]}"' if arg.startswith("--host-resolver-rules") else arg
    for arg in CHROMIUM_ARGS
)


@dataclass(frozen=True)
class Figures:
    """One Lighthouse run: score (0-100), timings (ms) and bytes (raw = decoded, wire = transferred)."""

    score: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    js_raw: int
    js_wire: int
    css_raw: int
    css_wire: int

    def row(self, label: str) -> str:
        return (
            f"{label:<26} score {self.score:4.0f}  FCP {self.fcp_ms:6.0f} ms  LCP {self.lcp_ms:6.0f} ms  "
            f"TBT {self.tbt_ms:5.0f} ms  CLS {self.cls:.3f}  "
            f"JS {self.js_raw / 1024:5.0f} KB ({self.js_wire / 1024:4.0f} KB sent)  "
            f"CSS {self.css_raw / 1024:5.0f} KB ({self.css_wire / 1024:4.0f} KB sent)"
        )


def figures_of(report: dict) -> Figures:
    """The figures of one Lighthouse JSON report."""
    audits = report["audits"]
    sizes = {"Script": [0, 0], "Stylesheet": [0, 0]}
    for request in audits["network-requests"]["details"]["items"]:
        if request.get("resourceType") in sizes:
            sizes[request["resourceType"]][0] += request.get("resourceSize") or 0
            sizes[request["resourceType"]][1] += request.get("transferSize") or 0
    return Figures(
        score=(report["categories"]["performance"]["score"] or 0) * 100,
        fcp_ms=audits["first-contentful-paint"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        js_raw=sizes["Script"][0],
        js_wire=sizes["Script"][1],
        css_raw=sizes["Stylesheet"][0],
        css_wire=sizes["Stylesheet"][1],
    )


def lighthouse(url: str, label: str) -> Figures:
    """One Lighthouse mobile run (performance only) against ``url``."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{label}-{uuid.uuid4().hex[:6]}.json"
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    return figures_of(json.loads(report.read_text()))


def median(runs: list[Figures]) -> Figures:
    """The run of median score (Lighthouse's own way of summarising several runs)."""
    return sorted(runs, key=lambda run: run.score)[len(runs) // 2]


def interview_page_figures(work: Path) -> list[Figures]:
    """Lighthouse on the interview page of the prod build, a fresh invite per run."""
    server = embedded.spawn(":memory:")
    try:
        with (
            MongoClient(server.uri) as client,
            running_app(server.uri, "lighthouse", work / "app") as base,
        ):
            runs = []
            for _ in range(RUNS):
                app_id = f"lighthouse-{uuid.uuid4().hex[:8]}"
                client["lighthouse"].applications.insert_one(
                    {"_id": app_id, "userId": "u", "jobTitle": "Site Reliability Engineer"}
                )
                token = tokens.mint_candidate_token(SECRET, "u", app_id, utcnow(), ttl=timedelta(hours=1))
                runs.append(lighthouse(f"{base}/interview/{app_id}?token={token}", "interview"))
            return runs
    finally:
        embedded.stop(server)


@contextmanager
def blank_reflex_app(work: Path):
    """``reflex init --template blank`` built and served in prod mode (one port); yields its URL."""
    root = work / "blank"
    root.mkdir()
    env = {
        **os.environ,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_SHOW_BUILT_WITH_REFLEX": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT}/.tools/node_modules/.bin:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    reflex = str(Path(sys.executable).with_name("reflex"))
    subprocess.run(
        [reflex, "init", "--template", "blank", "--no-agents"],
        cwd=root,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=START_TIMEOUT_S,
    )
    port = str(free_port())
    log_path = work / "blank.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [reflex, "run", "--env", "prod", "--single-port", "--frontend-port", port, "--backend-port", port],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(proc, [f"{base}/", f"{base}/ping"], log_path, START_TIMEOUT_S, "blank reflex app")
        yield base
    finally:
        from interview_app.cli.prod import stop_process_group

        stop_process_group(proc, timeout_s=40)


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed at {LIGHTHOUSE}: run `make bootstrap`", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    (work / "app").mkdir()
    interview = interview_page_figures(work)
    baseline: list[Figures] = []
    if os.environ.get("LIGHTHOUSE_BASELINE", "1") != "0":
        with blank_reflex_app(work) as base:
            baseline = [lighthouse(f"{base}/", "blank") for _ in range(RUNS)]
    print(f"Lighthouse 12 mobile (simulated slow 4G, 4x CPU slowdown), median of {RUNS} runs, prod build")
    print(median(interview).row("interview page"))
    for index, run in enumerate(interview, 1):
        print(run.row(f"  run {index}"))
    if baseline:
        print(median(baseline).row("blank Reflex app"))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
