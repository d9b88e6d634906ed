"""The hiring team creates an interview (issue 20 §5): the application a candidate's link opens.

The use case behind ``POST /api/review/interviews``. An ATS retries a request it is unsure about,
so a request carrying an ``externalId`` is idempotent (Stripe's idempotency keys, the usual
semantics):

* the first request with an ``externalId`` creates the application (201);
* a retry with the same ``externalId`` and the same interview answers the same application (200)
  with a fresh invite link (a link is never stored: it carries a token, and a fresh one with a fresh
  expiry is what a retrying ATS wants to send);
* the same ``externalId`` with a different interview (job title, candidate, email, plan, or a
  ``userId`` other than the stored one) is refused with ``409 EXTERNAL_ID_CONFLICT``, naming the
  fields that differ: two interviews cannot share one key, and silently answering the first would
  send the candidate to the wrong interview.

Two concurrent first requests race on a unique index of ``externalId`` (``storage/mongo.py``): one
insert wins and the other reads the winner, so one ``externalId`` never makes two applications.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from interview_app.domain import errors
from interview_app.domain.plan import InterviewPlan

SCHEDULED = "interview_scheduled"  # what an application waiting for its interview says (the demo's too)


@dataclass(frozen=True)
class InterviewRequest:
    """What the hiring team asks for: the role, the candidate and the plan."""

    job_title: str
    candidate_name: str
    plan: InterviewPlan
    candidate_email: str | None = None
    external_id: str | None = None  # the ATS's own id: the idempotency key
    user_id: str | None = None  # the candidate's id on the recruiting platform; None: a new one


@dataclass(frozen=True)
class NewApplication:
    """An application the use case has decided to store (storage maps it to its document)."""

    application_id: str
    user_id: str
    request: InterviewRequest
    created_by: str  # the reviewer (their token's ``sub``): the audit of who created it
    created_at: datetime
    status: str = SCHEDULED


@dataclass(frozen=True)
class StoredInterview:
    """An application already created for an ``externalId``, as far as a retry is compared with it."""

    application_id: str
    user_id: str
    job_title: str | None
    candidate_name: str | None
    candidate_email: str | None
    plan_document: dict | None


class InterviewStore(Protocol):
    async def insert_application(self, new: NewApplication) -> bool:
        """Store it; False when an application already holds its ``externalId``."""
        ...

    async def by_external_id(self, external_id: str) -> StoredInterview | None: ...


@dataclass(frozen=True)
class CreatedInterview:
    application_id: str
    user_id: str
    created: bool  # False: a retry answered with the application its externalId already made


def new_id(prefix: str) -> str:
    """An unguessable id (128 random bits): application ids appear in links."""
    return f"{prefix}-{uuid.uuid4().hex}"


def differences(request: InterviewRequest, stored: StoredInterview) -> list[str]:
    """The request's fields that differ from the stored interview (a ``userId`` left out matches any)."""
    compared = {
        "jobTitle": (request.job_title, stored.job_title),
        "candidateName": (request.candidate_name, stored.candidate_name),
        "candidateEmail": (request.candidate_email, stored.candidate_email),
        "interviewPlan": (request.plan.document(), stored.plan_document),
    }
    if request.user_id is not None:
        compared["userId"] = (request.user_id, stored.user_id)
    return [name for name, (asked, kept) in compared.items() if asked != kept]


def replayed(request: InterviewRequest, stored: StoredInterview) -> CreatedInterview:
    """The application a retry gets, or ``ExternalIdConflict`` when it asks for another interview."""
    changed = differences(request, stored)
    if changed:
        raise errors.ExternalIdConflict(
            f"externalId {request.external_id!r} already created application {stored.application_id} "
            f"with another {', '.join(changed)}"
        )
    return CreatedInterview(stored.application_id, stored.user_id, created=False)


async def create_interview(
    store: InterviewStore, request: InterviewRequest, reviewer: str, now: datetime
) -> CreatedInterview:
    """Create the application for ``request`` (or answer the one its ``externalId`` already made)."""
    if request.external_id is not None:
        existing = await store.by_external_id(request.external_id)
        if existing is not None:
            return replayed(request, existing)
    new = NewApplication(
        application_id=new_id("app"),
        user_id=request.user_id or new_id("cand"),
        request=request,
        created_by=reviewer,
        created_at=now,
    )
    if await store.insert_application(new):
        return CreatedInterview(new.application_id, new.user_id, created=True)
    # Another request with this externalId won the race between our read and our insert.
    winner = await store.by_external_id(request.external_id) if request.external_id is not None else None
    if winner is None:  # it was there a moment ago: the database lost it; the client retries
        raise errors.DatabaseUnavailable("the application of this externalId is not readable yet")
    return replayed(request, winner)
