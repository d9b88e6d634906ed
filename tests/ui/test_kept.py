"""The browser's kept interview (issue 15 A2): bounded, and what comes back from the browser is checked."""

from __future__ import annotations

import json

from interview_app.ui import kept
from interview_app.ui.feed import Turn


def turn(n: int, text: str = "") -> Turn:
    return {"id": f"item_{n}", "role": "candidate", "text": text or f"turn {n}", "at": "2026-11-28T10:00:00Z"}


def test_what_is_kept_comes_back_the_same():
    turns = [turn(1), {**turn(2), "durationMs": 4200}]
    value = kept.encode(turns, "grant-jwt", "2026-11-28T09:59:00+00:00")
    assert kept.decode(value) == kept.Kept(tuple(turns), "grant-jwt", "2026-11-28T09:59:00+00:00")


def test_nothing_to_keep_removes_the_key():
    assert kept.encode([], "", "") == kept.NOTHING
    assert kept.decode(kept.NOTHING) is None and kept.decode(None) is None


def test_at_most_500_turns_and_256_kib_the_oldest_first():
    many = [turn(n) for n in range(600)]
    assert [t["id"] for t in json.loads(kept.encode(many, "", ""))["turns"]] == [f"item_{n}" for n in range(500)]
    long = [turn(n, "x" * 2000) for n in range(200)]
    value = kept.encode(long, "g", "")
    assert len(value.encode()) <= kept.MAX_BYTES
    ids = [t["id"] for t in json.loads(value)["turns"]]
    assert ids == [f"item_{n}" for n in range(len(ids))] and len(ids) >= 120


def test_garbage_from_the_browser_is_left_out():
    good = turn(1)
    bad = [
        {"id": "", "role": "candidate", "text": "", "at": ""},
        {"id": "x", "role": "system", "text": "", "at": ""},
        {"id": "x" * 65, "role": "candidate", "text": "", "at": ""},
        {"id": "y", "role": "candidate", "text": 5, "at": ""},
        "not a turn",
    ]
    found = kept.decode(json.dumps({"turns": [good, *bad], "grant": 42, "startedAt": ["no"]}))
    assert found == kept.Kept((good,), "", "")
    for value in ("not json", "[1]", json.dumps({"turns": "no"}), json.dumps({"turns": [], "grant": ""})):
        assert kept.decode(value) is None
