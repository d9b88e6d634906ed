"""What the review console shows, from the review API's JSON (``ui/review_view.py``, no browser)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interview_app.domain import tokens
from interview_app.domain.clock import utcnow
from interview_app.ui import review_client, review_view
from interview_app.ui.review_state import EXPIRED_MESSAGE, INVALID_MESSAGE, problem_message


@pytest.mark.parametrize(
    ("item", "badge"),
    [
        ({"source": "provider", "input": "voice"}, "spoken"),
        ({"source": "provider"}, "spoken"),
        ({"source": "provider", "input": "text"}, "typed"),
        ({"source": "client", "input": "text"}, "page record, unverified"),
        ({}, "page record, unverified"),  # stored before sources existed: written by the page
        ({"source": "offline"}, "offline, unverified"),
    ],
)
def test_source_badge_says_what_was_verified(item, badge):
    assert review_view.source_badge(item)[0] == badge


def test_list_row_reads_the_api_row_and_tolerates_missing_fields():
    row = review_view.list_row(
        {
            "sessionId": "s/1",
            "candidateName": "Jordan",
            "jobTitle": "Engineer",
            "status": "completed",
            "startedAt": "2026-11-30T00:31:00Z",
            "duration": 725,
            "finalScore": 71,
            "scoringStatus": "scored",
            "decision": "advance",
            "offline": True,
            "transcriptVerified": False,
        }
    )
    assert row["href"] == "/review/s%2F1"
    assert (row["started"], row["duration"], row["score"]) == ("2026-11-30 00:31 UTC", "12 min 5 s", "71")
    assert (row["decision"], row["scoring"], row["live"]) == ("Advance", "Scored", False)
    assert row["flags"] == "offline, unverified transcript"
    empty = review_view.list_row({"status": "in_progress"})
    assert (empty["candidate"], empty["score"], empty["decision"], empty["live"]) == (
        "—",
        "—",
        "Awaiting decision",
        True,
    )


def test_chart_and_its_accessible_name_carry_every_number():
    bars = review_view.chart({"clarity": 80, "correctness": 70, "depth": 60, "other": 5})
    assert [bar["score"] for bar in bars] == [80, 70, 60]
    assert review_view.chart_summary(bars) == "Scores out of 100: Clarity 80, Correctness 70, Depth 60"
    assert review_view.chart(None) == []
    assert review_view.chart_summary([]) == "No dimension scores"


def test_dimensions_keep_evidence_pointing_at_turns():
    scoring = {
        "dimensions": {
            "depth": {"score": 60, "rationale": "Thin.", "evidence": [{"itemId": "a 1", "quote": "q"}, "junk"]},
        }
    }
    [depth] = review_view.dimensions(scoring)
    assert depth["evidence"] == [{"item_id": "a 1", "quote": "q"}]
    assert review_view.turn_dom_id("a 1") == "turn-a_1"
    assert review_view.turn({"id": "a 1", "role": "candidate", "text": "x"})["dom_id"] == "turn-a_1"


def test_timeline_entries_name_who_and_what():
    entry = review_view.event_entry(
        {
            "type": "review.decided",
            "timestamp": "2026-11-30T01:00:00+00:00",
            "payload": {"decision": "hold", "by": "a@x"},
        }
    )
    assert entry == {"time": "2026-11-30 01:00 UTC", "label": "Decided", "detail": "Hold · by a@x"}
    assert review_view.event_entry({"type": "something.new"})["label"] == "Something new"


def test_a_refusal_is_told_in_words():
    expired = tokens.mint_session_token("s" * 40, "x", "y", utcnow() - timedelta(hours=2))[0]
    assert problem_message(review_client.Problem(401, "UNAUTHORIZED", ""), expired) == EXPIRED_MESSAGE
    assert problem_message(review_client.Problem(401, "UNAUTHORIZED", ""), "garbage") == INVALID_MESSAGE
    refusal = review_client.Problem(400, "NOTE_REQUIRED", "A reject needs a note")
    assert problem_message(refusal) == "A reject needs a note"
