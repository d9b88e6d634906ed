"""Regression (security item 10): the OpenAPI document is complete enough to be tested and trusted.

On the old code the start-session body pointed at ``#/$defs/StartMetadata``, which does not exist
in the document, so no client or fuzzer could resolve it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from interview_app.api import paths
from interview_app.api.app import create_api


@pytest.fixture
def document(settings) -> dict:
    return create_api(settings).openapi()


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolve(document: dict, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_reference_resolves(document):
    refs = set(references(document))
    assert refs
    for ref in sorted(refs):
        try:
            resolve(document, ref)
        except (KeyError, TypeError):
            pytest.fail(f"unresolvable $ref {ref}")
    assert "$defs" not in str(document)


def test_bearer_schemes_are_declared_and_used(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes and all(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    for path, operations in document["paths"].items():
        if path == paths.HEALTH:
            continue
        for method, operation in operations.items():
            declared = [name for requirement in operation.get("security", []) for name in requirement]
            assert declared and set(declared) <= set(schemes), f"{method} {path}"


def test_the_offer_is_an_sdp_request_body(document):
    body = document["paths"][paths.REALTIME_CALLS]["post"]["requestBody"]
    assert body["required"] is True and list(body["content"]) == ["application/sdp"]
    assert body["content"]["application/sdp"]["schema"]["type"] == "string"
    answer = document["paths"][paths.REALTIME_CALLS]["post"]["responses"]["201"]["content"]
    assert "application/sdp" in answer
