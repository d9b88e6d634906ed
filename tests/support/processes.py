"""Waiting for a server process the tests started to answer over HTTP."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


def wait_until_answering(proc: subprocess.Popen, urls: list[str], log_path: Path, timeout_s: float, what: str) -> None:
    """Until every URL answers 200; raises with the end of the process's log if it dies or is too slow."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if all(httpx.get(url, timeout=2).status_code == 200 for url in urls):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
