"""Reading a JSON body safely: content type, size cap (413 before reading it all), JSON, schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from interview_app.api.errors import ApiError
from interview_app.api.schemas import MAX_BODY_BYTES

M = TypeVar("M", bound=BaseModel)


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


async def parse_json(request: Request, model: type[M], limit: int = MAX_BODY_BYTES, optional: bool = False) -> M:
    """Validate a JSON request body against ``model`` (400/413/415 with the API's error shape).

    With ``optional``, an empty body (any content type) means the model's defaults.
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
        if first["type"] == "missing":
            raise ApiError(400, "MISSING_FIELD", "Missing required field", _describe(first)) from exc
        raise ApiError(400, "INVALID_REQUEST", "Invalid request", _describe(first)) from exc
