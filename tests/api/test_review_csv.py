"""The CSV export: RFC 4180, the filters of the list, scores beside decisions, no formula runs (issue 18 §2)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from interview_app.api import paths
from interview_app.api.review import CSV_COLUMNS
from tests.support.review import insert_session, reviewer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def export(client, **params) -> tuple[str, list[dict]]:
    response = await client.get(paths.REVIEW_SESSIONS_CSV, params=params, headers=reviewer())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return response.text, list(csv.DictReader(io.StringIO(response.text, newline="")))


async def test_cells_that_a_spreadsheet_would_run_get_a_quote(client, sync_db):
    dangerous = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    for n, name in enumerate(dangerous):
        insert_session(sync_db, started_at=T0 - timedelta(minutes=n), name=name, job_title='Engineer, "Data"')
    insert_session(
        sync_db,
        started_at=T0 - timedelta(hours=1),
        name="Plain Name",
        review={"decision": "reject", "note": "=cmd|' /C calc'!A0\nsecond line", "by": "bob", "at": T0},
    )
    text, rows = await export(client)
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert text.count("\r\n") >= len(rows) + 1  # CRLF records (RFC 4180)
    assert [row["candidateName"] for row in rows] == ["'" + name for name in dangerous] + ["Plain Name"]
    assert all(row["jobTitle"] == 'Engineer, "Data"' for row in rows[:-1])  # quoted, quotes doubled
    assert '"Engineer, ""Data"""' in text
    assert rows[-1]["decisionNote"] == "'=cmd|' /C calc'!A0\nsecond line"


async def test_the_export_has_the_scores_and_the_human_decision_and_honours_filters(client, sync_db):
    decided = insert_session(
        sync_db,
        started_at=T0,
        finalScore=82,
        scoreBreakdown={"clarity": 80, "correctness": 85, "depth": 79},
        scoring={"status": "scored"},
        review={"decision": "advance", "note": "Strong", "by": "alice", "at": T0 + timedelta(days=1)},
    )
    insert_session(sync_db, started_at=T0 - timedelta(days=1), status="abandoned")
    _, rows = await export(client, status="completed")
    assert len(rows) == 1
    row = rows[0]
    assert row["sessionId"] == decided
    assert (row["finalScore"], row["clarity"], row["correctness"], row["depth"]) == ("82", "80", "85", "79")
    assert (row["scoringStatus"], row["decision"], row["decisionNote"], row["decidedBy"]) == (
        "scored",
        "advance",
        "Strong",
        "alice",
    )
    assert row["decidedAt"] == "2026-03-03T09:00:00Z" and row["startedAt"] == "2026-03-02T09:00:00Z"
    _, everything = await export(client)
    assert len(everything) == 2


async def test_an_empty_export_is_just_the_header(client):
    text, rows = await export(client, q="nobody")
    assert rows == [] and text == ",".join(CSV_COLUMNS) + "\r\n"
