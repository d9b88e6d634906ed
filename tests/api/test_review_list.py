"""The review list against a real database: filters, counts, keyset pagination (issue 18 §2, §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_app.api import paths
from interview_app.domain.review import ListFilter
from interview_app.storage import review as review_storage
from interview_app.storage.review import ReviewStore
from tests.support.api_app import add_application, api_client, wait_for_indexes
from tests.support.review import insert_session, reviewer
from tests.support.sessions import start

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def listed(client, **params) -> dict:
    response = await client.get(paths.REVIEW_SESSIONS, params=params, headers=reviewer())
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_started_session_is_listed_with_its_candidate_and_job(client, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer", name="Grace Hopper")
    session_id, _ = await start(client, app_id)
    body = await listed(client)
    assert [row["sessionId"] for row in body["items"]] == [session_id]
    row = body["items"][0]
    assert row == {
        "sessionId": session_id,
        "applicationId": app_id,
        "candidateName": "Grace Hopper",
        "jobTitle": "Data Engineer",
        "status": "in_progress",
        "startedAt": row["startedAt"],
        "duration": None,
        "endReason": None,
        "deviceType": "desktop",
        "offline": False,
        "transcriptVerified": False,
        "finalScore": None,
        "scoringStatus": None,
        "decision": None,
        "erased": False,
    }
    assert row["startedAt"].endswith("Z")
    assert body["nextCursor"] is None
    assert body["counts"] == {"inProgress": 1, "completed": 0, "awaitingDecision": 0, "averageScore": None}


async def test_filters_combine_and_counts_cover_the_whole_filter(client, sync_db):
    now = datetime.now(UTC)
    ids = {
        "running": insert_session(sync_db, status="in_progress", started_at=now - timedelta(minutes=3)),
        "stale": insert_session(
            sync_db, status="in_progress", started_at=now - timedelta(hours=2), name="Stale Person"
        ),
        "scored": insert_session(
            sync_db, started_at=now - timedelta(days=1), finalScore=80, scoring={"status": "scored"}, name="Alan Turing"
        ),
        "decided": insert_session(
            sync_db,
            started_at=now - timedelta(days=2),
            finalScore=60,
            scoring={"status": "scored"},
            review={"decision": "advance", "note": "", "by": "bob", "at": now},
            job_title="Site Reliability Engineer",
        ),
        "pending": insert_session(sync_db, started_at=now - timedelta(days=3), scoring={"status": "pending"}),
        "abandoned": insert_session(sync_db, status="abandoned", started_at=now - timedelta(days=4)),
    }
    body = await listed(client)
    assert [row["sessionId"] for row in body["items"]] == list(ids.values())  # newest first
    assert body["counts"] == {"inProgress": 1, "completed": 3, "awaitingDecision": 2, "averageScore": 70.0}

    def names(body):
        return [row["sessionId"] for row in body["items"]]

    assert names(await listed(client, status="completed")) == [ids["scored"], ids["decided"], ids["pending"]]
    assert names(await listed(client, scoring="scored")) == [ids["scored"], ids["decided"]]
    assert names(await listed(client, scoring="none", status="completed")) == []
    assert names(await listed(client, decision="advance")) == [ids["decided"]]
    none = await listed(client, decision="none", status="completed")
    assert names(none) == [ids["scored"], ids["pending"]]
    assert none["counts"] == {"inProgress": 0, "completed": 2, "awaitingDecision": 2, "averageScore": 80.0}
    assert names(await listed(client, q="turING")) == [ids["scored"]]  # name, case-insensitive
    assert names(await listed(client, q="reliability")) == [ids["decided"]]  # job title
    assert names(await listed(client, q="a.*")) == []  # a literal text, never a pattern
    window = await listed(
        client, **{"from": (now - timedelta(days=2, hours=1)).isoformat(), "to": (now - timedelta(hours=1)).isoformat()}
    )
    assert names(window) == [ids["stale"], ids["scored"], ids["decided"]]
    assert window["counts"]["inProgress"] == 0  # the stale one is not interviewing right now
    assert names(await listed(client, **{"from": now.isoformat(), "to": (now - timedelta(days=9)).isoformat()})) == []


async def test_pages_stay_stable_while_sessions_arrive(client, sync_db):
    seeded = [insert_session(sync_db, started_at=T0 - timedelta(minutes=n)) for n in range(7)]
    # Two sessions started in the same millisecond are ordered by id, never lost between pages.
    twins = sorted([insert_session(sync_db, started_at=T0 - timedelta(minutes=3)) for _ in range(2)], reverse=True)
    expected = seeded[:3] + sorted([seeded[3], *twins], reverse=True) + seeded[4:]
    seen, cursor = [], None
    for page in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = await listed(client, **params)
        seen += [row["sessionId"] for row in body["items"]]
        # New interviews start between pages (now, after the list's newest) and an offline one is
        # recorded afterwards with an old start: neither shifts or repeats what is still to come.
        insert_session(sync_db, started_at=datetime.now(UTC))
        insert_session(sync_db, started_at=T0 - timedelta(minutes=page), status="completed")
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert seen == expected  # no row repeated, none skipped, in order


async def test_bad_filters_are_400_with_a_stable_code(client):
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"status": "nope"},
        {"decision": "maybe"},
        {"scoring": "great"},
        {"from": "yesterday"},
        {"q": "x" * 101},
        {"cursor": "not-a-cursor"},
    ):
        response = await client.get(paths.REVIEW_SESSIONS, params=params, headers=reviewer())
        assert response.status_code == 400, params
        assert response.json()["code"] == "INVALID_REQUEST", params


async def test_sessions_stored_before_the_copy_get_name_and_title_when_the_indexes_are_made(settings, sync_db):
    app_id = add_application(sync_db, job_title="Data Engineer", name="Katherine Johnson")
    legacy = insert_session(sync_db, applicationId=app_id)
    sync_db.interviewSessions.update_one({"sessionId": legacy}, {"$unset": {"candidateName": "", "jobTitle": ""}})
    async with api_client(settings) as client:
        await wait_for_indexes(client)
        body = await listed(client, q="katherine")
    assert [(r["sessionId"], r["candidateName"], r["jobTitle"]) for r in body["items"]] == [
        (legacy, "Katherine Johnson", "Data Engineer")
    ]
    indexes = sync_db.interviewSessions.index_information()
    assert indexes["review_order"]["key"] == [("startedAt", -1), ("sessionId", -1)]
    for name, field in (
        ("review_status", "status"),
        ("review_decision", "review.decision"),
        ("review_scoring", "scoring.status"),
    ):
        assert indexes[name]["key"] == [(field, 1), ("startedAt", -1), ("sessionId", -1)]


async def test_pages_cross_the_read_windows_in_order_with_ties_and_searches(client, sync_db):
    """Sessions years, days and minutes old, two of them started at the same millisecond: pages of 2
    walk them all newest first, once each, across the widening windows (storage/review.py)."""
    now = datetime.now(UTC).replace(microsecond=0)
    ages = [timedelta(minutes=1), timedelta(hours=3), timedelta(hours=30), timedelta(days=40), timedelta(days=900)]
    ids = [insert_session(sync_db, started_at=now - age, name=f"Ada {n}") for n, age in enumerate(ages)]
    tie = now - timedelta(days=40)
    ids += [insert_session(sync_db, started_at=tie, name="Grace Twin", sessionId=f"tie-{k}") for k in "ab"]
    expected = sorted(
        (
            (doc["startedAt"], doc["sessionId"])
            for doc in sync_db.interviewSessions.find({}, {"startedAt": 1, "sessionId": 1})
        ),
        reverse=True,
    )
    seen, cursor = [], None
    while True:
        body = await listed(client, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [row["sessionId"] for row in body["items"]]
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert seen == [session_id for _, session_id in expected] and sorted(seen) == sorted(ids)
    twins = await listed(client, q="GRACE twin", limit=1)  # the search is applied to every window read
    follow = await listed(client, q="GRACE twin", limit=1, cursor=twins["nextCursor"])
    assert [twins["items"][0]["sessionId"], follow["items"][0]["sessionId"]] == ["tie-b", "tie-a"]
    assert follow["nextCursor"] is None


async def test_counts_of_a_small_list_are_always_fresh(client, sync_db):
    store = ReviewStore(client.api.state.runtime.database)
    now = datetime.now(UTC)
    insert_session(sync_db, started_at=now - timedelta(hours=1))
    assert (await store.counts(ListFilter(), now))["completed"] == 1
    insert_session(sync_db, started_at=now - timedelta(hours=2))
    assert (await store.counts(ListFilter(), now + timedelta(seconds=1)))["completed"] == 2


async def test_slow_counts_are_kept_five_seconds_per_filter(client, sync_db, monkeypatch):
    monkeypatch.setattr(review_storage, "SLOW_COUNT_S", 0.0)  # every count here is "slow"
    store = ReviewStore(client.api.state.runtime.database)
    now = datetime.now(UTC)
    insert_session(sync_db, started_at=now - timedelta(hours=1))
    first = await store.counts(ListFilter(), now)
    insert_session(sync_db, started_at=now - timedelta(hours=2))
    assert await store.counts(ListFilter(), now + timedelta(seconds=4)) == first  # kept
    assert (await store.counts(ListFilter(status="completed"), now))["completed"] == 2  # another filter: counted
    assert (await store.counts(ListFilter(), now + timedelta(seconds=6)))["completed"] == 2  # 5 s old: counted again
