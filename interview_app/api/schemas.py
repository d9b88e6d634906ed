"""Request and response bodies of the HTTP API (pydantic), with their bounds.

Strict types: ``applicationId`` must be a real string, so ``{"$ne": null}``, arrays, numbers
and null never reach a query. Unknown members are refused rather than silently ignored, so a
client typo is seen at once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from interview_app.domain.device import CONTROL_FREE_PATTERN, USER_AGENT_MAX_CHARS

MAX_BODY_BYTES = 16 * 1024

ApplicationId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128,
                                                 pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
UserAgent = Annotated[str, StringConstraints(strict=True, max_length=USER_AGENT_MAX_CHARS, pattern=CONTROL_FREE_PATTERN)]
DeviceType = Literal["desktop", "mobile", "tablet"]
NetworkQuality = Literal["poor", "fair", "good"]


class StartMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    deviceType: DeviceType | None = None
    networkQuality: NetworkQuality | None = None
    userAgent: UserAgent | None = None


class StartSessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    applicationId: ApplicationId
    metadata: StartMetadata | None = None


class ApplicationSummary(BaseModel):
    id: str
    jobTitle: str | None
    candidateName: str | None


class StartSessionResponse(BaseModel):
    sessionId: str
    token: str
    expiresAt: str
    application: ApplicationSummary


class ErrorBody(BaseModel):
    error: str
    code: str
    details: str | None = None
