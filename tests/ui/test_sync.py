"""The page's sync against a scripted API (``httpx.MockTransport``): what is retried, what is dropped
and reported, and how an offline interview is reconciled with its grant (issue 15 A1, C8)."""

from __future__ import annotations

import json

import httpx
import pytest

from interview_app import observability
from interview_app.api import paths
from interview_app.ui import sync
from interview_app.ui.feed import Turn
from interview_app.ui.sync import Backoff, Dropped, SyncJob
from tests.support.fake_sentry import FakeSentry, sentry_to

BASE = "http://api.test"
TRANSCRIPT = paths.SESSION_TRANSCRIPT.format(session_id="s1")
END = paths.SESSION_END.format(session_id="s1")
DROPPED = paths.SESSION_DROPPED.format(session_id="s1")
STARTED = {"sessionId": "s1", "token": "tok-new", "expiresAt": "2030-01-01T00:00:00Z"}
START = {"candidate_token": "cand", "metadata": {"offline": True}, "user_agent": "Mozilla/5.0", "client_ip": None}


def turn(n: int, role: str = "candidate") -> Turn:
    return {"id": f"item_{n}", "role": role, "text": f"turn {n}", "at": "2026-11-28T10:00:00Z"}  # pyright: ignore[reportReturnType]


def job(items: list[Turn], **overrides) -> SyncJob:
    fields = {
        "base_url": BASE,
        "application_id": "app-1",
        "session_id": "s1",
        "token": "tok",
        "items": items,
        "heartbeat": False,
        "end_reason": "",
        "start": None,
    }
    return SyncJob(**{**fields, **overrides})  # pyright: ignore[reportArgumentType]


class ScriptedApi:
    """Answers each route from a queue of responses (the last one repeats), and records every request."""

    def __init__(self, **script: list):
        self.script = {route: list(answers) for route, answers in script.items()}
        self.requests: list[httpx.Request] = []

    def route(self, request: httpx.Request) -> str:
        path = request.url.path
        if path == paths.START_SESSION:
            return "start"
        return {TRANSCRIPT: "transcript", END: "end", DROPPED: "dropped"}.get(path, "other")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answers = self.script.get(self.route(request)) or [httpx.Response(200, json={})]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def sent(self, route: str) -> list[dict]:
        return [json.loads(r.content or b"{}") for r in self.requests if self.route(r) == route]

    def stored_ids(self) -> list[list[str]]:
        return [[item["id"] for item in body["items"]] for body in self.sent("transcript")]


def ok(count: int = 1) -> httpx.Response:
    return httpx.Response(200, json={"count": count})


def refused(status: int, code: str, retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return httpx.Response(status, json={"error": code.lower(), "code": code}, headers=headers)


@pytest.mark.parametrize(
    ("answer", "retry_after", "outage"),
    [
        (refused(409, "SESSION_BUSY"), None, False),
        (refused(429, "RATE_LIMITED", retry_after="7"), 7.0, False),
        (refused(503, "DATABASE_UNAVAILABLE", retry_after="2"), 2.0, True),
        (httpx.Response(500, json={"code": "SERVER_ERROR"}), None, True),
        (httpx.ConnectError("refused"), None, True),
        (httpx.ReadTimeout("slow"), None, True),
    ],
    ids=["409-busy", "429", "503", "500", "network", "timeout"],
)
async def test_a_failure_worth_retrying_keeps_the_batch_for_the_next_round(answer, retry_after, outage):
    """Regression (A1): a 409 SESSION_BUSY used to count the whole batch as sent, and lose it."""
    api = ScriptedApi(transcript=[answer])
    result = await job([turn(1), turn(2)]).run(api.transport)
    assert (result.sent, result.dropped, result.retry, result.outage) == ((), (), True, outage)
    assert result.retry_after == retry_after
    api.script["transcript"] = [ok(2)]  # the API takes it on the next round
    again = await job([turn(1), turn(2)]).run(api.transport)
    assert (again.sent, again.retry) == (("item_1", "item_2"), False)


async def test_a_later_batch_failing_keeps_what_was_stored_and_stops_there():
    items = [turn(n) for n in range(60)]  # two batches of 50 and 10
    api = ScriptedApi(transcript=[ok(50), refused(409, "SESSION_BUSY")])
    result = await job(items).run(api.transport)
    assert result.sent == tuple(f"item_{n}" for n in range(50)) and result.retry and not result.dropped


def refuse_item(bad_ids: set[str]):
    """The API's transcript route: a batch holding a bad item is refused whole (400), as it is today."""

    def answer(request: httpx.Request) -> httpx.Response:
        ids = {item["id"] for item in json.loads(request.content)["items"]}
        return refused(400, "INVALID_REQUEST") if ids & bad_ids else ok(len(ids))

    return answer


async def test_a_refused_batch_is_split_to_isolate_the_bad_item_and_the_rest_is_stored(caplog):
    items = [turn(n) for n in range(7)]
    api = ScriptedApi(transcript=[refuse_item({"item_4"})])
    with caplog.at_level("INFO", logger="interview_app.events"):
        result = await job(items).run(api.transport)
    assert sorted(result.sent) == sorted(f"item_{n}" for n in range(7) if n != 4)
    assert result.dropped == (Dropped("item_4", "candidate", "INVALID_REQUEST"),) and not result.retry
    assert ["item_4"] in api.stored_ids()  # it was offered alone at last, and refused alone
    reports = [r.getMessage() for r in caplog.records if sync.TRANSCRIPT_DROPPED in r.getMessage()]
    assert len(reports) == 1 and "item_4" in reports[0] and "INVALID_REQUEST" in reports[0]


async def test_an_item_locked_by_the_provider_is_dropped_alone_and_reported():
    """Contract T5/T3: 409 ITEM_LOCKED refuses the whole batch for one provider item; it is a permanent
    refusal (dropped, reported), and the rest of the batch is stored (it used to be dropped with it)."""

    def answer(request: httpx.Request) -> httpx.Response:
        ids = {item["id"] for item in json.loads(request.content)["items"]}
        return refused(409, "ITEM_LOCKED") if "item_2" in ids else ok(len(ids))

    api = ScriptedApi(transcript=[answer], dropped=[httpx.Response(204)])
    result = await job([turn(n) for n in range(5)]).run(api.transport)
    assert sorted(result.sent) == ["item_0", "item_1", "item_3", "item_4"] and not result.retry
    assert result.dropped == (Dropped("item_2", "candidate", "ITEM_LOCKED"),)
    assert api.sent("dropped") == [{"items": [{"itemId": "item_2", "code": "ITEM_LOCKED"}]}]


async def test_a_dropped_item_is_reported_to_the_session():
    api = ScriptedApi(transcript=[refuse_item({"item_2"})], dropped=[httpx.Response(204)])
    result = await job([turn(1), turn(2), turn(3)]).run(api.transport)
    assert [d.item_id for d in result.dropped] == ["item_2"]
    assert api.sent("dropped") == [{"items": [{"itemId": "item_2", "code": "INVALID_REQUEST"}]}]
    assert api.requests[-1].headers["Authorization"] == "Bearer tok"


async def test_a_failed_drop_report_changes_nothing_else():
    api = ScriptedApi(transcript=[refuse_item({"item_2"})], dropped=[httpx.ConnectError("down")])
    result = await job([turn(1), turn(2), turn(3)]).run(api.transport)
    assert sorted(result.sent) == ["item_1", "item_3"] and [d.item_id for d in result.dropped] == ["item_2"]
    assert not result.retry


async def test_two_bad_items_in_one_batch_drop_only_those_two():
    items = [turn(n) for n in range(50)]
    api = ScriptedApi(transcript=[refuse_item({"item_0", "item_33"})])
    result = await job(items).run(api.transport)
    assert {d.item_id for d in result.dropped} == {"item_0", "item_33"}
    assert len(result.sent) == 48 and not result.retry


async def test_a_retryable_failure_while_splitting_drops_nothing():
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return refused(400, "INVALID_REQUEST") if len(calls) == 1 else refused(409, "SESSION_BUSY")

    api = ScriptedApi(transcript=[answer])
    result = await job([turn(1), turn(2)]).run(api.transport)
    assert (result.sent, result.dropped, result.retry) == ((), (), True)


async def test_a_dropped_item_is_a_sentry_event(settings):
    api = ScriptedApi(transcript=[refuse_item({"item_1"})])
    with FakeSentry() as fake, sentry_to(fake, settings):
        result = await job([turn(1, role="interviewer")]).run(api.transport)
        observability.flush()
        events = [e for e in fake.events() if e.get("message") == sync.TRANSCRIPT_DROPPED]
    assert result.dropped == (Dropped("item_1", "interviewer", "INVALID_REQUEST"),)
    (event,) = events
    assert {k: event["extra"][k] for k in ("applicationId", "sessionId", "itemId", "role", "code")} == {
        "applicationId": "app-1",
        "sessionId": "s1",
        "itemId": "item_1",
        "role": "interviewer",
        "code": "INVALID_REQUEST",
    }
    assert event["tags"]["session_id"] == "s1"


@pytest.mark.parametrize("status", [401, 404])
async def test_a_refused_token_or_a_lost_session_asks_for_a_new_one_and_drops_nothing(status):
    api = ScriptedApi(transcript=[refused(status, "UNAUTHORIZED" if status == 401 else "SESSION_NOT_FOUND")])
    result = await job([turn(1)]).run(api.transport)
    assert (result.sent, result.dropped, result.retry, result.renew) == ((), (), True, True)


async def test_a_session_that_no_longer_takes_turns_drops_them_and_says_so():
    api = ScriptedApi(transcript=[refused(409, "SESSION_NOT_ACTIVE")])
    result = await job([turn(1), turn(2)]).run(api.transport)
    assert [d.code for d in result.dropped] == ["SESSION_NOT_ACTIVE"] * 2 and not result.retry


async def test_an_end_the_api_is_too_busy_for_is_tried_again_not_given_up():
    """Regression: any refusal of the end used to be final (``ended={}``), a 409 SESSION_BUSY too."""
    api = ScriptedApi(end=[refused(409, "SESSION_BUSY")])
    result = await job([], end_reason="candidate_ended").run(api.transport)
    assert result.ended is None and result.retry
    api.script["end"] = [httpx.Response(200, json={"status": "completed", "duration": 61})]
    api.script["other"] = [httpx.Response(200, json={"status": "completed", "duration": 61, "transcript": []})]
    done = await job([], end_reason="candidate_ended").run(api.transport)
    assert done.ended == {"status": "completed", "duration": 61, "transcript": []}


async def test_an_end_refused_for_good_is_final():
    api = ScriptedApi(end=[refused(403, "FORBIDDEN")])
    result = await job([], end_reason="candidate_ended").run(api.transport)
    assert result.ended == {} and not result.retry


def offline_job(items: list[Turn], **overrides) -> SyncJob:
    options = {"session_id": "", "token": "", "start": START, "offline_grant": "grant-jwt", **overrides}
    return job(items, **options)


async def test_a_429_during_offline_reconciliation_waits_and_tries_again():
    """Regression (A1): a 429 on the reconciliation set ``gave_up``, so the interview was never stored."""
    api = ScriptedApi(start=[refused(429, "RATE_LIMITED", retry_after="60")])
    result = await offline_job([turn(1)]).run(api.transport)
    assert (result.sent, result.dropped, result.retry, result.retry_after) == ((), (), True, 60.0)
    api.script["start"] = [httpx.Response(201, json=STARTED)]
    api.script["transcript"] = [ok()]
    again = await offline_job([turn(1)]).run(api.transport)
    assert (again.session_id, again.token, again.sent) == ("s1", "tok-new", ("item_1",))


async def test_the_reconciliation_carries_the_offline_grant():
    api = ScriptedApi(start=[httpx.Response(201, json=STARTED)], transcript=[ok()])
    await offline_job([turn(1)]).run(api.transport)
    (body,) = api.sent("start")
    assert body["offlineGrant"] == "grant-jwt" and body["metadata"]["offline"] is True


async def test_a_grant_used_already_becomes_a_plain_reuse_and_the_turns_go_there():
    api = ScriptedApi(start=[refused(409, "OFFLINE_GRANT_USED"), httpx.Response(200, json=STARTED)], transcript=[ok(2)])
    result = await offline_job([turn(1), turn(2)]).run(api.transport)
    first, second = api.sent("start")
    assert first["offlineGrant"] == "grant-jwt"
    assert "offlineGrant" not in second and "offline" not in second["metadata"]
    assert (result.session_id, result.token, result.sent) == ("s1", "tok-new", ("item_1", "item_2"))
    assert api.requests[-1].headers["Authorization"] == "Bearer tok-new"


async def test_an_offline_interview_refused_for_good_is_dropped_and_reported(caplog):
    api = ScriptedApi(start=[refused(400, "INVALID_OFFLINE_GRANT")])
    with caplog.at_level("INFO", logger="interview_app.events"):
        result = await offline_job([turn(1), turn(2, "interviewer")], end_reason="candidate_ended").run(api.transport)
    assert [(d.item_id, d.code) for d in result.dropped] == [
        ("item_1", "INVALID_OFFLINE_GRANT"),
        ("item_2", "INVALID_OFFLINE_GRANT"),
    ]
    assert result.ended == {} and not result.retry
    assert sum(sync.TRANSCRIPT_DROPPED in r.getMessage() for r in caplog.records) == 2


async def test_a_refused_token_refresh_keeps_the_old_token_and_tries_again_later():
    api = ScriptedApi(start=[refused(429, "RATE_LIMITED", retry_after="5")], transcript=[ok()])
    result = await job([turn(1)], start={**START, "metadata": {}}).run(api.transport)
    assert result.sent == ("item_1",) and result.token == "" and result.retry and result.retry_after == 5.0
    assert api.requests[-1].headers["Authorization"] == "Bearer tok"


def test_the_back_off_doubles_up_to_its_cap_with_jitter_and_honours_retry_after():
    low, high = Backoff(jitter=lambda: 0.0), Backoff(jitter=lambda: 1.0)
    assert [low.next_delay() for _ in range(7)] == [0.5, 1, 2, 4, 8, 15, 15]
    assert [high.next_delay() for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert high.next_delay(retry_after=60) == 60  # a Retry-After longer than the back-off wins
    assert high.next_delay(retry_after=10_000) == sync.MAX_RETRY_AFTER_S
    high.reset()
    assert high.next_delay() == 1
