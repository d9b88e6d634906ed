"""A JSON body, declared and read: content type, size cap (413 before reading it all), JSON, schema.

The routes read their body here rather than through a FastAPI body parameter, so that a bad body
gets the API's own codes (415, 413 before it is all read, ``MISSING_FIELD``) rather than a 422;
:func:`json_body` then declares it in the OpenAPI document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from interview_app.api.errors import ApiError
from interview_app.api.schemas import MAX_BODY_BYTES

M = TypeVar("M", bound=BaseModel)
LOCAL_DEFS = "#/$defs/"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with each ``#/$defs/`` reference replaced by its definition (our bodies nest no
    model in itself, so this ends)."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(LOCAL_DEFS):
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        return _inline({**defs[ref.removeprefix(LOCAL_DEFS)], **siblings}, defs)
    return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}


def json_body(model: type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    """The ``openapi_extra`` of a route that reads ``model`` with :func:`parse_json`.

    Nested models are written in place: pydantic refers to them as ``#/$defs/Name``, a pointer
    into the root of the OpenAPI document, where nothing is, so no client could resolve it.
    """
    schema = model.model_json_schema()
    body = {"required": required, "content": {"application/json": {"schema": _inline(schema, schema.get("$defs", {}))}}}
    return {"requestBody": body}


async def read_capped(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refusing with 413 as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "PAYLOAD_TOO_LARGE", "Request body too large", f"limit is {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "PAYLOAD_TOO_LARGE", "Request body too large", f"limit is {limit} bytes")
    return bytes(body)


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())) or "body"
    return f"{where}: {error.get('msg', 'invalid')}"


def media_type(request: Request) -> str:
    """The request's media type, without parameters, lower-cased ("" when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def parse_json(
    request: Request,
    model: type[M],
    limit: int = MAX_BODY_BYTES,
    optional: bool = False,
    invalid_code: str | None = None,
) -> M:
    """Validate a JSON request body against ``model`` (400/413/415 with the API's error shape).

    With ``optional``, an empty body (any content type) means the model's defaults. ``invalid_code``
    replaces ``MISSING_FIELD`` / ``INVALID_REQUEST`` for a body that is JSON but not the model (its
    details still name the field).
    """
    if optional and not request.headers.get("content-type"):
        if await read_capped(request, limit):
            raise ApiError(415, "INVALID_REQUEST", "Content-Type must be application/json")
        return model()
    if media_type(request) != "application/json":
        raise ApiError(415, "INVALID_REQUEST", "Content-Type must be application/json")
    raw = await read_capped(request, limit)
    if optional and not raw.strip():
        return model()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "INVALID_REQUEST", "Body is not valid JSON", str(exc)) from exc
    except RecursionError as exc:  # a few KiB of brackets nest deeper than the parser's stack
        raise ApiError(400, "INVALID_REQUEST", "Body is not valid JSON", "nested too deeply") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "INVALID_REQUEST", "Body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        if invalid_code is not None:
            raise ApiError(400, invalid_code, "Invalid request", _describe(first)) from exc
        if first["type"] == "missing":
            raise ApiError(400, "MISSING_FIELD", "Missing required field", _describe(first)) from exc
        raise ApiError(400, "INVALID_REQUEST", "Invalid request", _describe(first)) from exc
