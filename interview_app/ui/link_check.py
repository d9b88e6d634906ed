"""Is the interview link good? The preview's answer at page load, read before any device is touched.

A bad link (issue 20 §8) says so before anything else: an unknown application (or another
candidate's, which the API answers alike), a missing, garbage or expired token, one signed with
another key, or an interview plan the hiring team got wrong. The page then shows one screen that
says what happened and what to do, and asks for no microphone. An outage (network failure, a 5xx)
is not a bad link: the page goes on as before, and the interview may run offline.
No Reflex here: plain rules the state applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview_app.ui import api_client

NEW_LINK_ADVICE = (
    "Open the link from your invitation again. If it still doesn't work, ask the recruiter for a new link."
)


@dataclass(frozen=True)
class LinkProblem:
    """What the candidate reads: what happened (``title``, ``message``) and what to do (``advice``)."""

    title: str
    message: str
    advice: str


NOT_FOUND = LinkProblem(
    "We couldn't find this interview",
    "We couldn't find this interview. The link may be mistyped, cut short, or meant for someone else.",
    NEW_LINK_ADVICE,
)
EXPIRED = LinkProblem(
    "This interview link has expired",
    "Invitation links work for a limited time, and this one is no longer valid.",
    "Ask the recruiter for a new link. Your interview hasn't started, so nothing is lost.",
)
NOT_VALID = LinkProblem(
    "This interview link isn't valid",
    "This interview link isn't valid for you: we couldn't verify it. It may have been changed, or replaced "
    "by a newer invitation.",
    NEW_LINK_ADVICE,
)
INCOMPLETE = LinkProblem(
    "This interview link looks incomplete",
    "This interview link looks incomplete: part of it is missing or damaged.",
    NEW_LINK_ADVICE,
)
PLAN_BROKEN = LinkProblem(
    "This interview isn't ready yet",
    "The hiring team's setup of this interview has a mistake, so it can't start. This isn't anything you did.",
    "Please tell the recruiter: they can correct it and send you a new link.",
)


def link_problem(outcome: api_client.Answered | api_client.Failure, sent_token: bool) -> LinkProblem | None:
    """The problem with the link, from the preview's answer; None when the link is good or could not
    be checked (an outage: the page goes on, and Start explains any refusal then).

    Args:
        outcome: what ``GET /api/interview/applications/{id}`` answered.
        sent_token: whether the link carried a candidate token (a 401 without one: the token is missing).
    """
    if isinstance(outcome, api_client.Invalid):  # the token cannot even be sent (a control character)
        return INCOMPLETE
    if not isinstance(outcome, api_client.Refused):
        return None
    if outcome.status == 404:
        return NOT_FOUND
    if outcome.status == 422 or outcome.code == "INVALID_INTERVIEW_PLAN":
        return PLAN_BROKEN
    if outcome.status == 401:
        if not sent_token:
            return INCOMPLETE
        # PyJWT's "Signature has expired", in the API's details: the one refusal with its own advice
        return EXPIRED if "expired" in outcome.details.lower() else NOT_VALID
    if outcome.status == 403:
        return NOT_VALID
    if outcome.status == 400:
        return INCOMPLETE
    return None  # 408, 429...: not the link's fault; Start explains it if it lasts
