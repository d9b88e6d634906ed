"""Applications the hiring team creates (issue 20 §5): the document, and the look-up by ``externalId``.

The document has the shape every reader of ``applications`` expects (``storage/sessions.py``,
the README's "Application document")::

    {_id, userId, jobTitle, candidateProfile: {fullName, email?}, status: "interview_scheduled",
     interviewPlan, createdAt, createdBy, externalId?}

``externalId`` is stored only when given: the unique index on it is partial (``$exists``), so
applications without one never collide.
"""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from interview_app.domain.create_interview import NewApplication, StoredInterview
from interview_app.storage.mongo import Database


def application_document(new: NewApplication) -> dict:
    request = new.request
    profile = {"fullName": request.candidate_name}
    if request.candidate_email is not None:
        profile["email"] = request.candidate_email
    doc = {
        "_id": new.application_id,
        "userId": new.user_id,
        "jobTitle": request.job_title,
        "candidateProfile": profile,
        "status": new.status,
        "interviewPlan": request.plan.document(),
        "createdAt": new.created_at,
        "createdBy": new.created_by,
    }
    if request.external_id is not None:
        doc["externalId"] = request.external_id
    return doc


def _stored(doc: dict) -> StoredInterview:
    profile = doc.get("candidateProfile") or {}
    plan = doc.get("interviewPlan")
    return StoredInterview(
        application_id=doc["_id"],
        user_id=str(doc.get("userId")),
        job_title=doc.get("jobTitle"),
        candidate_name=profile.get("fullName"),
        candidate_email=profile.get("email"),
        plan_document=plan if isinstance(plan, dict) else None,
    )


class ApplicationStore:
    """``domain.create_interview.InterviewStore`` on the ``applications`` collection."""

    def __init__(self, database: Database):
        self._database = database

    async def insert_application(self, new: NewApplication) -> bool:
        try:
            await self._database.applications.insert_one(application_document(new))
        except DuplicateKeyError:
            return False
        return True

    async def by_external_id(self, external_id: str) -> StoredInterview | None:
        doc = await self._database.applications.find_one({"externalId": external_id})
        return _stored(doc) if doc is not None else None
