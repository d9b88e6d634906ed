"""What a route declares is what it does: session authorisation in its signature, its JSON body
in the OpenAPI document (issue 19 item 4)."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from interview_app.api import paths, sessions
from interview_app.api.app import create_api
from interview_app.api.deps import session_claims
from interview_app.api.schemas import DroppedReport, EndRequest, StartSessionRequest, TranscriptBatch

SESSION_ROUTES = [
    paths.SESSION,
    paths.SESSION_HEARTBEAT,
    paths.SESSION_TRANSCRIPT,
    paths.SESSION_END,
    paths.SESSION_DROPPED,
]


@pytest.fixture
def api(settings):
    return create_api(settings)


@pytest.mark.parametrize("path", SESSION_ROUTES)
def test_every_session_route_states_its_authorisation_in_its_signature(path):
    """Not pasted into the body: a route that forgets ``SessionClaimsDep`` is seen here."""
    route = next(r for r in sessions.router.routes if isinstance(r, APIRoute) and r.path == path)
    assert session_claims in [dependency.call for dependency in route.dependant.dependencies]


@pytest.mark.parametrize(
    ("path", "model", "required"),
    [
        (paths.START_SESSION, StartSessionRequest, True),
        (paths.SESSION_TRANSCRIPT, TranscriptBatch, True),
        (paths.SESSION_DROPPED, DroppedReport, True),
        (paths.SESSION_END, EndRequest, False),
    ],
)
def test_each_json_body_is_declared_whole_with_its_nested_models_in_place(api, path, model, required):
    body = api.openapi()["paths"][path]["post"]["requestBody"]
    assert body["required"] is required and list(body["content"]) == ["application/json"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["title"] == model.__name__ and schema["additionalProperties"] is False
    assert "$ref" not in str(schema) and "$defs" not in str(schema)


def test_a_nested_model_keeps_its_constraints_where_it_is_written(api):
    schema = api.openapi()["paths"][paths.SESSION_TRANSCRIPT]["post"]["requestBody"]["content"]["application/json"]
    item = schema["schema"]["properties"]["items"]["items"]
    assert item["title"] == "TranscriptItemIn" and item["required"] == ["id", "role", "text"]
    assert item["properties"]["role"]["enum"] == ["interviewer", "candidate"]
    start = api.openapi()["paths"][paths.START_SESSION]["post"]["requestBody"]["content"]["application/json"]
    metadata = start["schema"]["properties"]["metadata"]["anyOf"][0]
    assert metadata["title"] == "StartMetadata" and "deviceType" in metadata["properties"]
