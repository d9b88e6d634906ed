"""``make rescore``: the command queues a scored session again, keeping the earlier result, and says
why when it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from interview_app.config import PROJECT_ROOT
from tests.support.scoring_sessions import add_session

SCORED = {"status": "scored", "queuedAt": datetime(2026, 11, 30, tzinfo=UTC), "attempts": 1, "provider": "local"}


def run(mongo_uri: str, db_name: str, session_id: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MONGODB_URI": mongo_uri, "MONGODB_DB": db_name, "INTERVIEW_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "interview_app.cli.rescore", session_id],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_rescore_queues_the_session_and_keeps_its_result(mongo_uri, db_name, sync_db, tmp_path):
    session_id = add_session(sync_db, status="completed", scoring=SCORED)
    sync_db.interviewSessions.update_one({"sessionId": session_id}, {"$set": {"finalScore": 71}})
    done = run(mongo_uri, db_name, session_id, tmp_path)
    assert done.returncode == 0, done.stderr
    scoring = sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"]
    assert scoring["status"] == "pending" and scoring["history"][0]["finalScore"] == 71
    again = run(mongo_uri, db_name, session_id, tmp_path)  # already queued: said, and nothing changes
    assert again.returncode == 0 and "already queued" in again.stdout, again.stderr
    assert sync_db.interviewSessions.find_one({"sessionId": session_id})["scoring"] == scoring


def test_rescore_refuses_an_unconsented_or_unknown_session_or_one_in_progress(mongo_uri, db_name, sync_db, tmp_path):
    session_id = add_session(sync_db, status="completed", consent=False, scoring={"status": "not_consented"})
    refused = run(mongo_uri, db_name, session_id, tmp_path)
    assert refused.returncode == 1 and refused.stderr.startswith("SCORING_NOT_REQUEUEABLE")
    unknown = run(mongo_uri, db_name, "no-such-session", tmp_path)
    assert unknown.returncode == 1 and unknown.stderr.startswith("SESSION_NOT_FOUND")
    running = run(mongo_uri, db_name, add_session(sync_db), tmp_path)
    assert running.returncode == 1 and running.stderr.startswith("SESSION_NOT_COMPLETED")
