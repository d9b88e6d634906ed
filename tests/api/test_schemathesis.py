"""Schemathesis over the whole OpenAPI document, in-process against the real database server.

Generic on purpose: every operation the document declares (new routes included) is generated
from its schema, positive and negative, and checked with all of Schemathesis's checks: no 5xx,
every status and body declared, auth not ignored, bad input refused. A bounded number of examples
per operation keeps it to about half a minute.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from pymongo import MongoClient
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from interview_app.api.app import create_api
from tests.support.api_app import add_application, make_settings
from tests.support.review import reviewer_token
from tests.support.sessions import candidate_token, offline_token

EXAMPLES_PER_OPERATION = 40
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True, "database": "none"},
        "checks": {
            # A schema-valid request may still name an application or session that does not exist, or belong to
            # another candidate: those answers are the API's rules, not a rejected valid input.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "429"]},
        },
    }
)
APPLICATION = "app-schemathesis"


# The SDP offer is text: send generated strings as they are.
schemathesis.serializer.alias("application/sdp", "text/plain")


def declared_runs() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) for every operation of the document; building it needs no database.

    Negative cases only where there is something to break: parameters or a request body.
    """
    document = create_api(make_settings("mongodb://127.0.0.1:1", "unused", Path(tempfile.gettempdir()))).openapi()
    runs = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            runs.append((method.upper(), path, GenerationMode.POSITIVE))
            if operation.get("parameters") or operation.get("requestBody"):
                runs.append((method.upper(), path, GenerationMode.NEGATIVE))
    return runs


def schema_describes_the_whole_body(operation) -> bool:
    """JSON bodies are fully described by their schema; a text format such as SDP is not (any string is
    "schema-valid"), so Schemathesis cannot expect a generated one to be accepted."""
    body = (operation.definition.raw.get("requestBody") or {}).get("content", {})
    return all(media_type == "application/json" for media_type in body)


def token_for(path: str) -> str:
    """A valid token of the kind the operation takes, so generated cases get past authentication."""
    if path.startswith("/api/review/"):
        return reviewer_token()
    return offline_token(APPLICATION) if "/realtime/" in path else candidate_token("user-1", APPLICATION)


def with_offline_grant(body: object) -> object:
    """An offline reconciliation carries a grant the server minted, like the token above: generated
    cases get a valid one for their application (issue 15 C8), so they get past it."""
    if not isinstance(body, dict) or not isinstance(body.get("applicationId"), str):
        return body
    metadata, grant = body.get("metadata"), body.get("offlineGrant")
    schema_valid_grant = isinstance(grant, str) and re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", grant, re.ASCII)
    if schema_valid_grant or (grant is None and isinstance(metadata, dict) and metadata.get("offline") is True):
        return {**body, "offlineGrant": offline_token(body["applicationId"])}
    return body


@pytest.fixture(scope="module")
def api_schema(mongo_uri, tmp_path_factory):
    db_name = f"t_schemathesis_{uuid.uuid4().hex[:8]}"
    settings = replace(make_settings(mongo_uri, db_name, tmp_path_factory.mktemp("schemathesis")), require_auth=True)
    with MongoClient(mongo_uri, tz_aware=True) as client:
        add_application(client[db_name], APPLICATION)
        yield schemathesis.openapi.from_asgi("/api/openapi.json", create_api(settings), config=CONFIG)
        client.drop_database(db_name)


@pytest.mark.parametrize(("method", "path", "mode"), declared_runs(), ids=lambda v: str(getattr(v, "value", v)))
def test_the_api_keeps_its_contract(api_schema, method, path, mode):
    operation = api_schema[path][method]
    excluded = [] if schema_describes_the_whole_body(operation) else [positive_data_acceptance]

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def keeps_its_contract(case):
        if not (case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)):
            # a valid token, unless the case is about a broken header (then it must be refused)
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token_for(path)}"}
        case.body = with_offline_grant(case.body)
        case.call_and_validate(excluded_checks=excluded)

    keeps_its_contract()
