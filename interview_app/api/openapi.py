"""The OpenAPI document, with every ``$ref`` resolvable.

Routes that read their JSON body by hand (for the API's own error codes) declare it with a
pydantic model's ``model_json_schema()``, whose nested models sit in a local ``$defs`` and are
referenced as ``#/$defs/Name``: a pointer into the document's root that does not exist. Those
definitions are moved to ``components/schemas`` and the references rewritten, for every route,
so clients and Schemathesis can resolve the whole document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

LOCAL_DEFS = "#/$defs/"
COMPONENTS = "#/components/schemas/"


def _hoist(node: Any, schemas: dict[str, Any]) -> Any:
    """``node`` with its ``$defs`` moved into ``schemas`` and their references pointed there."""
    if isinstance(node, list):
        return [_hoist(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    for name, definition in node.get("$defs", {}).items():
        schemas.setdefault(name, _hoist(definition, schemas))
    hoisted = {key: _hoist(value, schemas) for key, value in node.items() if key != "$defs"}
    ref = hoisted.get("$ref")
    if isinstance(ref, str) and ref.startswith(LOCAL_DEFS):
        hoisted["$ref"] = COMPONENTS + ref.removeprefix(LOCAL_DEFS)
    return hoisted


def install(api: FastAPI) -> None:
    """Serve the document with local ``$defs`` hoisted (built once, like FastAPI's own)."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is not None:
            return api.openapi_schema
        found: dict[str, Any] = {}
        document = _hoist(build(), found)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in found.items():
            schemas.setdefault(name, definition)
        api.openapi_schema = document
        return document

    api.openapi = openapi  # type: ignore[method-assign]
