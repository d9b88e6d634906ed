"""The happy path with two backend workers sharing Reflex state through Redis."""

from __future__ import annotations

import pytest
import redis
from playwright.sync_api import expect
from pymongo import MongoClient

from tests.support.app_server import running_app
from tests.support.browser import LIVE_TIMEOUT_MS, end_via_confirmation, invite, new_application, open_ready, screenshot
from tests.support.redis_server import redis_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def test_happy_path_with_two_workers_and_redis(page, ui_db, db_name, redis_url, tmp_path_factory):
    env = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": "2"}
    with (
        running_app(ui_db.uri, db_name, tmp_path_factory.mktemp("app2"), env) as base,
        MongoClient(ui_db.uri, tz_aware=True) as client,
    ):
        db = client[db_name]
        app_id = new_application(db, job_title="Backend Developer")
        open_ready(page, invite(base, app_id))
        page.click("#start-interview")
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-feed")).to_contain_text("Backend Developer role", timeout=10_000)
        screenshot(page, "08-live-two-workers")
        assert db.interviewSessions.count_documents({"applicationId": app_id, "status": "in_progress"}) == 1
        assert int(redis.Redis.from_url(redis_url).dbsize()) > 0  # pyright: ignore[reportArgumentType]
        end_via_confirmation(page)  # the end and the sync's API calls work across workers too
