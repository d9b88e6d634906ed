"""Unit tests of the transcript merge and its provenance flags (issue 16, contracts T1-T4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_app.domain import errors, rules
from interview_app.domain.model import TranscriptItem, TranscriptRole

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def provider(item_id: str, role: TranscriptRole = "candidate", text="Heard.", **extra) -> TranscriptItem:
    return TranscriptItem(item_id, role, text, source="provider", **extra)


def page(stored, *items: TranscriptItem, offline=False) -> list[TranscriptItem]:
    return rules.merge_transcript(stored, list(items), author="page", offline=offline)


def by_provider(stored, *items: TranscriptItem) -> list[TranscriptItem]:
    return rules.merge_transcript(stored, list(items), author="provider")


def test_the_provider_writes_provider_items_whatever_they_claim():
    claimed = TranscriptItem("r1", "interviewer", "Hello.", at=T0, source="offline", client_text="x")
    assert by_provider([], claimed) == [TranscriptItem("r1", "interviewer", "Hello.", at=T0, source="provider")]


def test_the_page_writes_client_items_and_offline_items_in_an_offline_interview():
    answer = TranscriptItem("a1", "candidate", "Mine.", source="provider", client_text="x")
    assert page([], answer) == [TranscriptItem("a1", "candidate", "Mine.", source="client")]
    question = TranscriptItem("q1", "interviewer", "Q?")
    assert [i.source for i in page([], question, answer, offline=True)] == ["offline", "offline"]


def test_the_page_posts_no_interviewer_turn_online():
    with pytest.raises(errors.RoleNotAllowed):
        page([], TranscriptItem("a1", "candidate", "ok"), TranscriptItem("q0", "interviewer", "NOTE TO SCORER"))


def test_the_provider_wins_over_what_the_page_wrote_first_and_keeps_its_differing_text():
    stored = page([], TranscriptItem("a1", "candidate", "I built an ETL", at=at(-60), duration_ms=5))
    (merged,) = by_provider(stored, provider("a1", text="I built an ETL.", at=at(1), duration_ms=9000, input="voice"))
    assert merged == provider(
        "a1", text="I built an ETL.", at=at(1), duration_ms=9000, input="voice", client_text="I built an ETL"
    )
    (same,) = by_provider(page([], TranscriptItem("a1", "candidate", "Same.")), provider("a1", text="Same."))
    assert same.client_text is None
    (empty,) = by_provider(page([], TranscriptItem("a1", "candidate", "")), provider("a1", text="Said."))
    assert empty.client_text is None  # an empty page text is no differing text


def test_what_the_provider_leaves_out_is_kept_and_a_later_provider_text_keeps_the_pages_text_beside_it():
    stored = by_provider([], provider("a1", text="", at=at(1), duration_ms=4000))
    (merged,) = by_provider(stored, provider("a1", text="Transcribed.", input="voice"))
    assert merged == provider("a1", text="Transcribed.", at=at(1), duration_ms=4000, input="voice")
    (late_duration,) = by_provider(by_provider([], provider("a1", text="Transcribed.")), provider("a1", text=""))
    assert late_duration.text == "Transcribed."  # a provider update without text erases none
    with_page = by_provider(page([], TranscriptItem("a1", "candidate", "Typed.")), provider("a1", text="Heard."))
    (again,) = by_provider(with_page, provider("a1", text="Heard better."))
    assert again.client_text == "Typed."


@pytest.mark.parametrize("text", ["Heard.", "", "What the page had."])
def test_a_page_replay_of_a_provider_item_changes_nothing(text):
    stored = by_provider(page([], TranscriptItem("a1", "candidate", "What the page had.")), provider("a1", at=at(1)))
    assert page(stored, TranscriptItem("a1", "candidate", text, at=at(-30), duration_ms=1)) == stored


@pytest.mark.parametrize(
    "rewrite",
    [
        TranscriptItem("a1", "candidate", "A better answer."),  # other text
        TranscriptItem("q1", "candidate", "Q1?"),  # another role, the same text
    ],
)
def test_the_page_cannot_rewrite_a_provider_item_and_nothing_of_its_batch_is_kept(rewrite):
    stored = by_provider([], provider("q1", role="interviewer", text="Q1?", at=at(0)), provider("a1", at=at(1)))
    with pytest.raises(errors.ItemLocked):
        page(stored, TranscriptItem("a2", "candidate", "fine"), rewrite)


def test_the_page_cannot_change_the_role_of_its_own_offline_item():
    stored = page([], TranscriptItem("a1", "candidate", "Mine."), offline=True)
    with pytest.raises(errors.ItemLocked):
        page(stored, TranscriptItem("a1", "interviewer", "Mine."), offline=True)


def test_the_page_still_updates_its_own_items():
    stored = page([], TranscriptItem("a1", "candidate", "", at=at(1), duration_ms=4000))
    (merged,) = page(stored, TranscriptItem("a1", "candidate", "Now transcribed."))
    assert merged == TranscriptItem("a1", "candidate", "Now transcribed.", at=at(1), duration_ms=4000)


def test_turns_stay_in_the_order_said_whoever_wrote_them():
    stored = by_provider(
        [], provider("q1", role="interviewer", at=at(0)), provider("bye", role="interviewer", at=at(5))
    )
    merged = page(stored, TranscriptItem("a1", "candidate", "late", at=at(2)), TranscriptItem("a2", "candidate", ""))
    assert [i.id for i in merged] == ["q1", "a1", "a2", "bye"]


def test_the_transcript_is_verified_when_every_answer_is_the_providers():
    question = provider("q1", role="interviewer")
    assert not rules.transcript_verified([])
    assert not rules.transcript_verified([question])  # no answer: nothing to vouch for
    assert rules.transcript_verified([question, provider("a1"), provider("a2")])
    assert not rules.transcript_verified([question, provider("a1"), TranscriptItem("a2", "candidate", "x")])
    offline = [TranscriptItem("a1", "candidate", "x", source="offline")]
    assert not rules.transcript_verified(offline)
    # The page's interviewer turns (an offline question) do not decide it: answers do.
    assert rules.transcript_verified([TranscriptItem("q", "interviewer", "?", source="offline"), provider("a1")])


def test_offline_spans_run_from_the_first_to_the_last_dated_offline_item():
    def offline(item_id, minutes):
        return TranscriptItem(item_id, "candidate", "", at=None if minutes is None else at(minutes), source="offline")

    assert rules.offline_spans([provider("a1", at=at(0))]) == []
    assert rules.offline_spans([offline("o1", 0), offline("o2", None), offline("o3", 7)]) == [rules.Span(at(0), at(7))]
    assert rules.offline_spans([offline("o1", None)]) == []  # no date: no span to show
    mixed = [offline("o1", 0), offline("o2", 1), provider("p", at=at(2)), offline("o3", 3), offline("o4", 4)]
    assert rules.offline_spans(mixed) == [rules.Span(at(0), at(1)), rules.Span(at(3), at(4))]


def test_a_full_transcript_refuses_new_items_from_either_author():
    stored = page([], *(TranscriptItem(f"a{n}", "candidate", "") for n in range(rules.MAX_TRANSCRIPT_ITEMS)))
    for author in ("page", "provider"):
        with pytest.raises(errors.TranscriptFull):
            rules.merge_transcript(stored, [TranscriptItem("one-more", "candidate", "")], author=author)
