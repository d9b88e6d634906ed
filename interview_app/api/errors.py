"""The one error shape of the HTTP API: ``{"error", "code", "details"?}`` with a stable code.

Fits RFC 9457's idea (a machine-readable code beside a human message) without its media type,
because our clients already read these three members.
"""

from __future__ import annotations

import logging

import sentry_sdk
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure, PyMongoError
from starlette.exceptions import HTTPException as StarletteHTTPException

from interview_app.domain import errors as domain

log = logging.getLogger(__name__)
DATABASE_RETRY_AFTER_S = 5  # the driver reconnects by itself within a few seconds

STATUS_BY_ERROR: dict[type[domain.DomainError], int] = {
    domain.Unauthorized: 401,
    domain.Forbidden: 403,
    domain.ApplicationNotFound: 404,
    domain.AlreadyCompleted: 400,
    domain.RateLimitExceeded: 429,
    domain.SessionNotFound: 404,
    domain.SessionNotActive: 409,
    domain.TranscriptFull: 409,
    domain.ItemLocked: 409,
    domain.RoleNotAllowed: 400,
    domain.SessionBusy: 409,
    domain.DatabaseUnavailable: 503,
    domain.OfflineGrantRequired: 400,
    domain.InvalidOfflineGrant: 400,
    domain.OfflineGrantUsed: 409,
    domain.SessionNotCompleted: 409,  # a score read, decision, erasure or re-score before the end
    domain.InvalidConsent: 400,
    domain.NotAReviewer: 403,
    domain.ReviewDisabled: 503,
    domain.InvalidReviewRequest: 400,
    domain.InvalidCursor: 400,
    domain.NotRequeueable: 409,
    domain.InvalidInterviewPlan: 422,
    domain.ExternalIdConflict: 409,
}


class ApiError(Exception):
    """An error the API answers as is (bad input, size limits...)."""

    def __init__(
        self, status: int, code: str, error: str, details: str | None = None, headers: dict[str, str] | None = None
    ):
        super().__init__(error)
        self.status, self.code, self.error, self.details, self.headers = status, code, error, details, headers


def error_response(
    status: int, code: str, error: str, details: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": error, "code": code}
    if details:
        body["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def is_outage(exc: PyMongoError) -> bool:
    """The database could not answer in time (down, paused, pool exhausted, operation timed out), as
    opposed to answering with an error: worth retrying, so a 503 rather than a 500."""
    return isinstance(exc, ConnectionFailure) or exc.timeout


def from_domain(exc: domain.DomainError) -> JSONResponse:
    headers = None
    if isinstance(exc, domain.RateLimitExceeded):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    elif isinstance(exc, domain.DatabaseUnavailable):
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
    return error_response(STATUS_BY_ERROR.get(type(exc), 500), exc.code, exc.message, exc.details, headers)


def install(api: FastAPI) -> None:
    """Register handlers so that no input, and no failure, escapes this error shape."""

    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.error, exc.details, exc.headers)

    @api.exception_handler(domain.DomainError)
    async def _domain_error(_: Request, exc: domain.DomainError):
        return from_domain(exc)

    @api.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        return error_response(400, "INVALID_REQUEST", "Invalid request", str(exc.errors()[:1]))

    @api.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "INVALID_REQUEST")
        return error_response(exc.status_code, code, str(exc.detail))

    @api.exception_handler(PyMongoError)
    async def _database(_: Request, exc: PyMongoError):
        log.warning("database error: %s", exc)
        sentry_sdk.capture_exception(exc)
        if is_outage(exc):  # the page treats it as an outage and retries
            return from_domain(domain.DatabaseUnavailable("database unavailable"))
        return error_response(
            500, "SERVER_ERROR", "The interview service is temporarily unavailable", "database unavailable"
        )

    @api.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):
        log.exception("unexpected error")
        sentry_sdk.capture_exception(exc)
        return error_response(500, "SERVER_ERROR", "Internal server error")
