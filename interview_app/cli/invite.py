"""Mint an invite link for an application: ``python -m interview_app.cli.invite APPLICATION_ID``.

For recruiters (and the demo): the link carries a candidate token signed with
``CANDIDATE_TOKEN_SECRET`` whose ``sub`` is the application's user and whose ``applicationId``
claim limits it to that one interview. It lives ``INTERVIEW_INVITE_DAYS`` (default 7), minted by
the very function the create-interview API uses (``domain/invites.py``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from pymongo import MongoClient

from interview_app.cli import run_record
from interview_app.cli.errors import fail, settings_or_exit
from interview_app.cli.reflex_env import frontend_port
from interview_app.config import Settings, public_url
from interview_app.domain.clock import utcnow
from interview_app.domain.invites import mint_invite
from interview_app.domain.tokens import INVITE_DAYS_RANGE
from interview_app.storage import embedded
from interview_app.storage.mongo import APPLICATIONS


def invite_url(settings: Settings, base_url: str, application_id: str, user_id: str, days: int | None = None) -> str:
    """The invite link, living ``days`` when given, else ``INTERVIEW_INVITE_DAYS``."""
    ttl = timedelta(days=days) if days is not None else settings.invite_ttl
    return mint_invite(settings.candidate_secret, base_url, application_id, user_id, utcnow(), ttl).url


def _days(raw: str) -> int:
    low, high = INVITE_DAYS_RANGE
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}")
    return int(raw)


def _owner_of(settings: Settings, application_id: str) -> str | None:
    uri, started = settings.mongodb_uri, False
    if uri is None:
        server, started = embedded.ensure_running(settings.data_dir)
        uri = server.uri
    try:
        with MongoClient(uri, serverSelectionTimeoutMS=3000) as client:
            doc = client[settings.mongodb_db][APPLICATIONS].find_one({"_id": application_id}, {"userId": 1})
    finally:
        if started:  # leave the embedded server as we found it
            embedded.stop_recorded(settings.data_dir)
    return doc.get("userId") if doc else None


def link_base(settings: Settings, given: str | None) -> str:
    """Where the link points: ``--base-url``, else ``INTERVIEW_PUBLIC_URL``, else the server running
    from this checkout (``make prod`` or ``make run``, on its port), else Reflex's page port.

    Refuses (one line, exit code 2) to sign with a key the running server does not accept: a link
    signed with the development key of ``.data/`` while ``make prod`` expects its own secret would
    look valid and fail as soon as the candidate opens it."""
    server = run_record.running(settings.data_dir)
    if server is not None and server.candidate_key != run_record.fingerprint(settings.candidate_secret):
        fail(
            f"the make {'prod' if server.kind == 'prod' else 'run'} running on port {server.port} expects another "
            "candidate key: run this with the same CANDIDATE_TOKEN_SECRET (or NEXTAUTH_SECRET) as that server "
            "(without one, the development key in the data directory is used)"
        )
    if given:
        return given
    if settings.public_url:
        return settings.public_url
    if server is not None:
        return server.public_url or f"http://localhost:{server.port}"
    return public_url(settings, frontend_port())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("application_id")
    parser.add_argument("--user-id", help="skip the database look-up of the application's owner")
    parser.add_argument(
        "--base-url",
        default=None,
        help="public URL of the app (default: INTERVIEW_PUBLIC_URL, else the running make prod/make run's port)",
    )
    parser.add_argument(
        "--days", type=_days, default=None, help="how long the link stays valid (default: INTERVIEW_INVITE_DAYS, 7)"
    )
    args = parser.parse_args(argv)
    settings = settings_or_exit()
    base_url = link_base(settings, args.base_url)
    user_id = args.user_id or _owner_of(settings, args.application_id)
    if user_id is None:
        print(f"No application {args.application_id!r}", file=sys.stderr)
        return 1
    print(invite_url(settings, base_url, args.application_id, user_id, args.days))
    return 0


if __name__ == "__main__":
    sys.exit(main())
