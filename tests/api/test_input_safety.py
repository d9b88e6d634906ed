"""Bad input gets a clear 4xx with a stable code, and writes nothing."""

import json

import pytest

from tests.support.api_app import add_application

URL = "/api/interview/start-session"

INJECTIONS = [
    {"$ne": None},
    {"$gt": ""},
    ["a"],
    42,
    None,
    True,
    "",
    "a" * 129,
    "abc\x00def",
    "line\nbreak",
    "$where",
    "app'; db.dropDatabase(); '",
    "../../etc/passwd",
    {"$regex": ".*"},
]


@pytest.mark.parametrize("value", INJECTIONS, ids=[repr(v)[:24] for v in INJECTIONS])
async def test_application_id_must_be_a_plain_string(client, sync_db, value):
    add_application(sync_db)
    response = await client.post(URL, json={"applicationId": value})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"
    assert sync_db.interviewSessions.count_documents({}) == 0


@pytest.mark.parametrize(
    "metadata",
    [
        "desktop",
        ["mobile"],
        {"deviceType": "fridge"},
        {"networkQuality": "excellent"},
        {"userAgent": "x" * 513},
        {"userAgent": "bad\x07agent"},
        {"deviceType": 1},
        {"unknown": "field"},
    ],
)
async def test_metadata_is_validated_and_bounded(client, sync_db, metadata):
    app_id = add_application(sync_db)
    response = await client.post(URL, json={"applicationId": app_id, "metadata": metadata})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"
    assert "metadata" in response.json()["details"]
    assert sync_db.interviewSessions.count_documents({}) == 0


@pytest.mark.parametrize("body", [{}, {"metadata": {}}])
async def test_missing_application_id(client, body):
    response = await client.post(URL, json=body)
    assert response.status_code == 400 and response.json()["code"] == "MISSING_FIELD"


@pytest.mark.parametrize("raw", [b"{", b"not json", b"", b"\xff\xfe", b"[1, 2]", b'"string"', b"null"])
async def test_invalid_json(client, raw):
    response = await client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_non_json_content_type_is_415(client, sync_db, content_type):
    app_id = add_application(sync_db)
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post(URL, content=json.dumps({"applicationId": app_id}), headers=headers)
    assert response.status_code == 415 and response.json()["code"] == "INVALID_REQUEST"
    assert sync_db.interviewSessions.count_documents({}) == 0


async def test_oversized_body_is_413(client, sync_db):
    app_id = add_application(sync_db)
    body = json.dumps({"applicationId": app_id, "metadata": {"userAgent": "x" * 20000}})
    response = await client.post(URL, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "PAYLOAD_TOO_LARGE"


async def test_oversized_chunked_body_is_413(client):
    async def chunks():
        for _ in range(40):
            yield b" " * 1024

    response = await client.post(URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


async def test_every_error_has_the_same_shape(client):
    responses = [
        await client.post(URL, json={}),
        await client.post(URL, json={"applicationId": "missing-app"}),
        await client.post(URL, content=b"x", headers={"Content-Type": "text/plain"}),
        await client.get(URL),
    ]
    for response in responses:
        body = response.json()
        assert set(body) <= {"error", "code", "details"} and isinstance(body["error"], str) and body["code"].isupper()


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("line one\nline two\tand a tab", True),
        ("a bell \x07", False),
        ("a carriage return \r", False),
        ("a C1 control \x85", False),
        ("invoice \u202egnp.exe", False),  # right-to-left override
        ("an isolate \u2066x\u2069", False),
    ],
)
async def test_transcript_text_refuses_control_and_bidi_characters(client, sync_db, text, stored):
    """Regression (issue 15 D12): the old code stored any character in a transcript turn."""
    from interview_app.api import paths
    from tests.support.sessions import bearer, start

    session_id, token = await start(client, add_application(sync_db))
    response = await client.post(
        paths.SESSION_TRANSCRIPT.format(session_id=session_id),
        json={"items": [{"id": "c1", "role": "candidate", "text": text}]},
        headers=bearer(token),
    )
    if stored:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST", response.text
        assert "U+" in response.json()["details"]


@pytest.mark.parametrize("agent", ["Mozilla/5.0 \u202e", "Mozilla/5.0\n", "Mozilla/5.0 \x9b"])
async def test_the_user_agent_follows_the_same_rule(client, sync_db, agent):
    response = await client.post(
        "/api/interview/start-session",
        json={"applicationId": add_application(sync_db), "metadata": {"userAgent": agent}},
    )
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"
