"""A demo that works every time (issue 20 §7): the real commands, on a real embedded database, twice.

The API runs under granian on a free port with no ``MONGODB_URI``, so it starts the embedded
database of its data directory (on a free port) exactly as ``make run`` does; the commands then run
as a developer types them: ``make -s demo-app``, ``make demo-link``, ``make demo-reset``, and the
README's start-session example, read from README.md (only its ``localhost:8000`` becomes the test
server's address), so this test fails when the README drifts from what works.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from pymongo import MongoClient

from interview_app.demo import DEMO_APPLICATION_ID, DEMO_USER_ID
from interview_app.domain import tokens
from interview_app.storage import embedded
from interview_app.storage.embedded import free_port
from tests.cli.test_config_errors import assert_one_line
from tests.support.app_server import ROOT
from tests.support.processes import wait_until_answering

README_HOST = "localhost:8000"


def readme_start_session_example() -> str:
    """The README's shell block that starts a session with the demo application."""
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    examples = [block for block in blocks if "start-session" in block and "curl" in block]
    assert len(examples) == 1, examples
    assert README_HOST in examples[0]
    return examples[0]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """This machine's environment without the app's settings: a developer's plain shell."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERVIEW_", "REFLEX_", "MONGODB_", "GRANIAN_", "MAKE"))
        and k not in ("NEXTAUTH_SECRET", "CANDIDATE_TOKEN_SECRET")
    }
    return {**env, "INTERVIEW_DATA_DIR": str(data_dir), **extra}


def sh(command: str, data_dir: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=clean_env(data_dir, **extra), capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def dev_api(tmp_path):
    """The API as in development (no MONGODB_URI: the embedded database of ``tmp_path``); yields
    (base URL, database name, data dir). Stops the server and the database afterwards."""
    port = free_port()
    log_path = tmp_path / "api.log"
    granian = str(Path(sys.executable).with_name("granian"))
    command = [granian, "--interface", "asgi", "--factory", "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*command, "--log-level", "warning", "interview_app.api.app:create_api"],
            cwd=ROOT,
            env=clean_env(tmp_path),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(proc, [f"{base}/api/health"], log_path, 120, "api")
        yield base, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        embedded.stop_recorded(tmp_path)


def database_of(data_dir: Path):
    record = json.loads((data_dir / "secantusd.json").read_text())
    return MongoClient(embedded.EmbeddedServer(**record).uri, tz_aware=True)["interview"]


def run_readme_example(base: str, data_dir: Path) -> dict:
    example = readme_start_session_example().replace(README_HOST, base.removeprefix("http://"))
    result = sh(example, data_dir)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body.get("sessionId") and body.get("token"), body
    return body


def test_the_readme_example_works_twice_and_after_the_demo_is_submitted(dev_api):
    base, data_dir = dev_api
    first = run_readme_example(base, data_dir)
    assert first["application"]["id"] == DEMO_APPLICATION_ID  # the seeded one, on a fresh database
    second = run_readme_example(base, data_dir)  # the first is in progress: a fresh demo application
    assert second["application"]["id"] != first["application"]["id"]
    assert second["sessionId"] != first["sessionId"]

    ended = httpx.post(
        f"{base}/api/interview/sessions/{second['sessionId']}/end",
        headers={"Authorization": f"Bearer {second['token']}"},
        timeout=10,
    )
    assert ended.status_code == 200, ended.text
    third = run_readme_example(base, data_dir)  # the last one is submitted: again a fresh one
    assert third["application"]["id"] not in (first["application"]["id"], second["application"]["id"])
    db = database_of(data_dir)
    assert db.interviewSessions.count_documents({"status": "in_progress"}) == 2


def test_demo_link_opens_a_fresh_demo_once_the_last_is_submitted(dev_api):
    base, data_dir = dev_api
    links = []
    for _ in range(2):  # twice: the second run must not hand out the submitted interview
        result = sh("make demo-link", data_dir, INTERVIEW_PUBLIC_URL=base)
        assert result.returncode == 0, result.stderr
        link = urlparse(result.stdout.strip())
        app_id = link.path.removeprefix("/interview/")
        token = parse_qs(link.query)["token"][0]
        identity = tokens.verify_candidate_token((data_dir / "candidate_token_secret.key").read_text().strip(), token)
        assert identity == tokens.CandidateIdentity(user_id=DEMO_USER_ID, application_id=app_id)
        preview = httpx.get(
            f"{base}/api/interview/applications/{app_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert preview.json()["status"] == "open", preview.text  # a whole new interview, not a resume
        links.append(app_id)
        start = httpx.post(
            f"{base}/api/interview/start-session",
            json={"applicationId": app_id},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        httpx.post(
            f"{base}/api/interview/sessions/{start['sessionId']}/end",
            headers={"Authorization": f"Bearer {start['token']}"},
            timeout=10,
        ).raise_for_status()
    assert links[0] == DEMO_APPLICATION_ID and links[1] != links[0]
    assert sh("make -s demo-app", data_dir).stdout.strip() not in links


def test_demo_reset_removes_the_demos_data_and_nothing_else(dev_api):
    base, data_dir = dev_api
    run_readme_example(base, data_dir)
    run_readme_example(base, data_dir)
    db = database_of(data_dir)
    db.applications.insert_one({"_id": "real-app", "userId": "u-1", "jobTitle": "Nurse", "status": "open"})
    db.interviewSessions.insert_one({"sessionId": "real-session", "applicationId": "real-app", "status": "completed"})

    results = [sh("make -s demo-reset", data_dir) for _ in range(2)]  # twice: the second finds nothing left
    assert [result.returncode for result in results] == [0, 0], [result.stderr for result in results]
    where = f"from the embedded database ({data_dir}/db)."
    assert results[0].stdout.strip() == f"Removed 2 demo applications, 2 sessions and 0 offline grants {where}"
    assert results[1].stdout.strip() == f"Removed 0 demo applications, 0 sessions and 0 offline grants {where}"
    assert db.applications.count_documents({}) == 1 and db.applications.find_one({"_id": "real-app"})
    assert [s["sessionId"] for s in db.interviewSessions.find()] == ["real-session"]
    assert run_readme_example(base, data_dir)["application"]["id"] == DEMO_APPLICATION_ID  # the demo is back


def test_demo_reset_refuses_another_database_in_one_line_unless_forced(tmp_path, mongo_uri):
    result = sh(f"{sys.executable} -m interview_app.cli.demo reset", tmp_path, MONGODB_URI=mongo_uri)
    assert_one_line(result, "embedded database only", "MONGODB_URI", "FORCE=1")
    db_name = f"t_demo_{os.getpid()}"
    with MongoClient(mongo_uri) as client:
        db = client[db_name]
        db.applications.insert_many([{"_id": "demo-x", "demo": True}, {"_id": "kept"}])
        forced = sh("make -s demo-reset FORCE=1", tmp_path, MONGODB_URI=mongo_uri, MONGODB_DB=db_name)
        assert forced.returncode == 0, forced.stderr
        assert forced.stdout.startswith("Removed 1 demo applications"), forced.stdout
        assert [doc["_id"] for doc in db.applications.find()] == ["kept"]
        client.drop_database(db_name)
