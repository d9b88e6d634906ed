"""Waiting for a server process the tests started to answer over HTTP."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_LOCK = ROOT / ".web-start.lock"  # ignored by git with the workers' .web-* directories
LAST_SYNCED = ROOT / "reflex.lock" / "package.json"  # the last file a start writes back


@contextlib.contextmanager
def one_reflex_start() -> Iterator[Callable[[], bool]]:
    """Hold while a Reflex app starts: one start at a time across the pytest-xdist workers, until it
    has written its lockfiles back (``settled()``, which the waits below call) or has answered.

    Every ``reflex run`` copies its lockfiles from ``reflex.lock/`` (shared by the checkout) into its
    web directory and, after its package install, back again, with no lock of its own: two starts at
    once can read each other's half-written ``bun.lock`` and fail ("The persisted lockfile is out of
    sync"), leaving ``reflex.lock/bun.lock`` empty for every start after. The write-back ends with
    ``package.json``, so a new modification time on it means this start is past the shared files.
    """
    with open(START_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        synced = LAST_SYNCED.stat().st_mtime_ns
        held = True

        def settled() -> bool:
            nonlocal held
            if held and LAST_SYNCED.stat().st_mtime_ns != synced:
                fcntl.flock(lock, fcntl.LOCK_UN)
                held = False
            return not held

        try:
            yield settled
        finally:
            if held:
                fcntl.flock(lock, fcntl.LOCK_UN)


def wait_until_answering(
    proc: subprocess.Popen,
    urls: list[str],
    log_path: Path,
    timeout_s: float,
    what: str,
    settled: Callable[[], bool] | None = None,
) -> None:
    """Until every URL answers 200; raises with the end of the process's log if it dies or is too slow.
    ``settled``: ``one_reflex_start``'s, polled meanwhile so the next start can begin early."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2) as http:  # one client: each new one builds a TLS context (~16 ms of CPU)
        while True:
            if settled is not None:
                settled()
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited early:\n{log_path.read_text()[-3000:]}")
            try:
                if all(http.get(url).status_code == 200 for url in urls):
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
