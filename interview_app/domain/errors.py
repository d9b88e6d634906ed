"""Domain refusals, each with the stable error code clients rely on.

The HTTP layer maps these to statuses (``interview_app.api.errors``); nothing here knows HTTP.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "SERVER_ERROR"
    message = "Something went wrong"

    def __init__(self, details: str | None = None):
        super().__init__(details or self.message)
        self.details = details


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"
    message = "Authentication required"


class Forbidden(DomainError):
    code = "FORBIDDEN"
    message = "This interview belongs to another candidate"


class ApplicationNotFound(DomainError):
    code = "INVALID_APPLICATION"
    message = "Application not found"


class AlreadyCompleted(DomainError):
    code = "INVALID_APPLICATION"
    message = "Interview already completed"


class RateLimitExceeded(DomainError):
    code = "RATE_LIMITED"
    message = "Too many interview sessions started for this application"

    def __init__(self, retry_after_seconds: int):
        super().__init__(f"Try again in {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds


class SessionNotFound(DomainError):
    code = "SESSION_NOT_FOUND"
    message = "Interview session not found"


class SessionNotActive(DomainError):
    code = "SESSION_NOT_ACTIVE"
    message = "This interview session is no longer in progress"


class TranscriptFull(DomainError):
    code = "TRANSCRIPT_FULL"
    message = "The transcript of this session is full"


class ItemLocked(DomainError):
    """The page tried to rewrite a turn the server vouches for, or to change a turn's role (issue 16)."""

    code = "ITEM_LOCKED"
    message = "This transcript item was recorded by the interviewer and cannot be changed"


class RoleNotAllowed(DomainError):
    """Only the interviewer provider writes interviewer turns, except in an offline interview."""

    code = "ROLE_NOT_ALLOWED"
    message = "Interviewer turns are recorded by the server, not posted by the page"


class SessionBusy(DomainError):
    code = "SESSION_BUSY"
    message = "The session is being updated by another request"


class OfflineGrantRequired(DomainError):
    code = "OFFLINE_GRANT_REQUIRED"
    message = "An offline interview is recorded only with the offline grant the server issued"


class InvalidOfflineGrant(DomainError):
    code = "INVALID_OFFLINE_GRANT"
    message = "The offline grant is not valid for this application"


class OfflineGrantUsed(DomainError):
    code = "OFFLINE_GRANT_USED"
    message = "This offline interview has already been recorded"


class DatabaseUnavailable(DomainError):
    code = "DATABASE_UNAVAILABLE"
    message = "The interview service is temporarily unavailable"


class SessionNotCompleted(DomainError):
    """A score read, a decision, an erasure or a re-score of an interview that has not ended."""

    code = "SESSION_NOT_COMPLETED"
    message = "The interview is still in progress"


class InvalidConsent(DomainError):
    code = "VALIDATION_ERROR"
    message = "consent.noticeVersion must be a non-empty string of at most 32 characters"


class NotAReviewer(DomainError):
    code = "FORBIDDEN"
    message = "The review API needs a reviewer token"


class ReviewDisabled(DomainError):
    code = "REVIEW_DISABLED"
    message = "The review API is not configured on this server (INTERVIEW_REVIEWER_SECRET)"


class InvalidReviewRequest(DomainError):
    code = "VALIDATION_ERROR"
    message = "Invalid review request"


class InvalidCursor(DomainError):
    code = "INVALID_CURSOR"
    message = "The cursor is not one this API returned"


class NotRequeueable(DomainError):
    """A re-score of a session without consent, erased, or being scored right now."""

    code = "SCORING_NOT_REQUEUEABLE"
    message = "This session cannot be put back in the scoring queue"


class InvalidInterviewPlan(DomainError):
    """An ``interviewPlan`` the interviewers could not run (issue 20 §4): sent to the API or stored by hand."""

    code = "INVALID_INTERVIEW_PLAN"
    message = "The interview plan is not valid"


class ExternalIdConflict(DomainError):
    """An ``externalId`` that already created another interview (issue 20 §5): a key names one interview."""

    code = "EXTERNAL_ID_CONFLICT"
    message = "This externalId already created an interview with other details"
