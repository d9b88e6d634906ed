"""Waiting for a server process the tests started to answer over HTTP."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_LOCK = ROOT / ".web-start.lock"  # ignored by git with the workers' .web-* directories


@contextlib.contextmanager
def one_reflex_start() -> Iterator[None]:
    """Hold while a Reflex app starts (from its spawn until it answers): one start at a time across
    the pytest-xdist workers.

    Every ``reflex run`` copies its lockfiles between ``reflex.lock/`` (shared by the checkout) and its
    web directory, with no lock of its own; two starts at once can read each other's half-written
    ``bun.lock`` and fail ("The persisted lockfile is out of sync"), leaving ``reflex.lock/bun.lock``
    empty for every start after. The builds are CPU-bound on this 2-core machine, so queueing them
    costs little.
    """
    with open(START_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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
