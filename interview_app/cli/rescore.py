"""Score a session again: ``python -m interview_app.cli.rescore SESSION_ID`` (``make rescore SESSION=<id>``).

For operators. It only queues the session (``domain.scoring.requeue``: the current result moves into
``scoring.history``); a running app's scorer scores it within its poll interval. Exit 0 when
queued (or already queued: it says so and changes nothing), 1 when the session cannot be queued
again (``SESSION_NOT_FOUND``, ``SESSION_NOT_COMPLETED``, ``SCORING_NOT_REQUEUEABLE``: no consent,
erased, being scored now; ``SESSION_BUSY``: it changed meanwhile), 2 for a bad configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from interview_app.cli.errors import settings_or_exit
from interview_app.config import Settings
from interview_app.domain import errors
from interview_app.domain.clock import utcnow
from interview_app.domain.scoring import Requeued, requeue
from interview_app.storage import embedded
from interview_app.storage.mongo import connect
from interview_app.storage.scoring import ScoringStore


async def rescore(uri: str, settings: Settings, session_id: str) -> Requeued:
    database = connect(uri, settings.mongodb_db, settings.database_timeout_ms)
    try:
        return await requeue(ScoringStore(database), session_id, utcnow())
    finally:
        await database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("session_id")
    args = parser.parse_args(argv)
    settings = settings_or_exit()
    uri, started = settings.mongodb_uri, False
    if uri is None:
        server, started = embedded.ensure_running(settings.data_dir)
        uri = server.uri
    try:
        requeued = asyncio.run(rescore(uri, settings, args.session_id))
    except errors.DomainError as exc:
        print(f"{exc.code}: {exc}", file=sys.stderr)
        return 1
    finally:
        if started:  # leave the embedded server as we found it
            embedded.stop_recorded(settings.data_dir)
    if not requeued.changed:
        print(f"Session {args.session_id} is already queued for scoring; nothing changed.")
    else:
        print(f"Session {args.session_id} is queued for scoring; the earlier result is kept in scoring.history.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
