"""The demo's documents (issue 20 §7): the seed, a ready demo application, and the reset.

What is demo data is said once, in ``domain/demo.py``: applications marked ``demo: true`` (the seed
``demo-application`` included, also when it was seeded before the mark existed), and the sessions and
offline grants of those applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pymongo import DESCENDING

from interview_app.demo import DEMO_APPLICATION_ID
from interview_app.domain import demo
from interview_app.storage.mongo import Database, seed_demo
from interview_app.storage.sessions import SessionStore

DEMO_APPLICATIONS = {"$or": [{demo.DEMO_MARK: True}, {"_id": DEMO_APPLICATION_ID}]}


@dataclass(frozen=True)
class Removed:
    applications: int
    sessions: int
    offline_grants: int


async def ready_application(database: Database, now: datetime) -> str:
    """The id of a demo application a Start would begin a new interview on: the newest demo
    application when it can (``domain.demo.ready_for_a_new_interview``), else a new one."""
    await seed_demo(database)
    newest = await database.applications.find_one(DEMO_APPLICATIONS, {"_id": 1}, sort=[("createdAt", DESCENDING)])
    if newest is not None:
        snapshot = await SessionStore(database).load_snapshot(newest["_id"], now)
        if snapshot is not None and demo.ready_for_a_new_interview(snapshot, now):
            return newest["_id"]
    fresh = demo.new_demo_id(now)
    await database.applications.insert_one(demo.demo_application_document(fresh, now))
    return fresh


async def reset(database: Database) -> Removed:
    """Delete every demo application with its sessions and offline grants; nothing else."""
    ids = [doc["_id"] async for doc in database.applications.find(DEMO_APPLICATIONS, {"_id": 1})]
    sessions = await database.sessions.delete_many({"applicationId": {"$in": ids}})
    grants = await database.offline_grants.delete_many({"applicationId": {"$in": ids}})
    applications = await database.applications.delete_many({"_id": {"$in": ids}})
    return Removed(applications.deleted_count, sessions.deleted_count, grants.deleted_count)
