"""Mint a review link for someone of the hiring team: ``python -m interview_app.cli.reviewer_link WHO``.

``make reviewer-link WHO=alice@example.com`` prints ``<public URL>/review?token=…``: a reviewer
token (``sub`` = WHO, 8 hours) signed with ``INTERVIEW_REVIEWER_SECRET``. The page moves the token
out of the URL into sessionStorage. The base URL is the one invite links use (``make invite``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from urllib.parse import urlencode

from interview_app.api import paths
from interview_app.cli.errors import fail, settings_or_exit
from interview_app.cli.reflex_env import frontend_port
from interview_app.config import Settings, public_url
from interview_app.domain import tokens
from interview_app.domain.clock import utcnow

MAX_HOURS = 24


def reviewer_url(settings: Settings, base_url: str, who: str, hours: float = 8) -> str:
    """The review page's link for ``who``; raises ``ValueError`` without a reviewer secret."""
    if not settings.reviewer_secret:
        raise ValueError("INTERVIEW_REVIEWER_SECRET is not set: the review API is off")
    token, _ = tokens.mint_reviewer_token(settings.reviewer_secret, who, utcnow(), ttl=timedelta(hours=hours))
    return f"{base_url.rstrip('/')}{paths.REVIEW_PAGE}?{urlencode({'token': token})}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("who", help="the reviewer's email or id (recorded with every view and decision)")
    parser.add_argument(
        "--base-url",
        default=None,
        help="public URL of the app (default: INTERVIEW_PUBLIC_URL, else localhost on the page's port)",
    )
    parser.add_argument("--hours", type=float, default=8, help=f"how long the link stays valid (at most {MAX_HOURS})")
    args = parser.parse_args(argv)
    who = (args.who or "").strip()
    if not who:
        fail("say who the link is for: make reviewer-link WHO=alice@example.com")
    if not 0 < args.hours <= MAX_HOURS:
        fail(f"--hours must be more than 0 and at most {MAX_HOURS}")
    settings = settings_or_exit()
    base_url = args.base_url or public_url(settings, frontend_port())
    try:
        print(reviewer_url(settings, base_url, who, args.hours))
    except ValueError as exc:
        fail(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
