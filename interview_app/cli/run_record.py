"""Which server runs from this checkout: ``make prod`` and ``make run`` leave a small record in the
data directory while they run, so that ``make invite`` (and other link printers) print a link for
the server actually running and refuse to sign with a key that server does not accept.

The record holds the page's port, the public URL and a fingerprint of the candidate-token secret
(the first 16 hex digits of its SHA-256: enough to tell two keys apart, useless to forge one).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

FILE = "run.json"


@dataclass(frozen=True)
class RunRecord:
    kind: str  # "prod" or "dev"
    pid: int
    port: int
    public_url: str | None
    candidate_key: str


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def write(data_dir: Path, kind: str, port: int, public_url: str | None, candidate_secret: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "kind": kind,
        "pid": os.getpid(),
        "port": port,
        "publicUrl": public_url,
        "candidateKey": fingerprint(candidate_secret),
    }
    (data_dir / FILE).write_text(json.dumps(record))


def remove(data_dir: Path) -> None:
    """Forget the record, only when it is this process's own."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads((data_dir / FILE).read_text()).get("pid") == os.getpid():
            (data_dir / FILE).unlink()


def running(data_dir: Path) -> RunRecord | None:
    """The record of a server that still runs, or None (none, unreadable, or its process is gone)."""
    try:
        raw = json.loads((data_dir / FILE).read_text())
        record = RunRecord(raw["kind"], int(raw["pid"]), int(raw["port"]), raw.get("publicUrl"), raw["candidateKey"])
        os.kill(record.pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record
