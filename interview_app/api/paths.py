"""Every HTTP path of the interview API, in one place: the routers and the page's client use these."""

from __future__ import annotations

PREFIX = "/api/interview"
START_SESSION = f"{PREFIX}/start-session"
APPLICATION = f"{PREFIX}/applications/{{application_id}}"
SESSION = f"{PREFIX}/sessions/{{session_id}}"
SESSION_HEARTBEAT = f"{SESSION}/heartbeat"
SESSION_TRANSCRIPT = f"{SESSION}/transcript"
SESSION_END = f"{SESSION}/end"
SESSION_DROPPED = f"{SESSION}/dropped"
SESSION_ACCOMMODATION = f"{SESSION}/accommodation"
SESSION_SCORE = f"{SESSION}/score"
REALTIME_CALLS = f"{PREFIX}/realtime/calls"
REALTIME_CALL = f"{REALTIME_CALLS}/{{call_id}}"
HEALTH = "/api/health"
REVIEW_PREFIX = "/api/review"  # the hiring team's API (reviewer tokens only)
REVIEW_SESSIONS = f"{REVIEW_PREFIX}/sessions"
REVIEW_SESSIONS_CSV = f"{REVIEW_PREFIX}/sessions.csv"
REVIEW_SESSION = f"{REVIEW_SESSIONS}/{{session_id}}"
REVIEW_DECISION = f"{REVIEW_SESSION}/decision"
REVIEW_RESCORE = f"{REVIEW_SESSION}/rescore"
REVIEW_PERSONAL_DATA = f"{REVIEW_SESSION}/personal-data"
REVIEW_INTERVIEWS = f"{REVIEW_PREFIX}/interviews"  # the hiring team creates an interview (issue 20 §5)
REVIEW_PAGE = "/review"  # the console's page, where a reviewer link points


def relative(path: str) -> str:
    """``path`` under :data:`PREFIX`, for a router mounted with ``prefix=PREFIX``."""
    return path.removeprefix(PREFIX)
