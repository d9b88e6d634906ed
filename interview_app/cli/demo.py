"""The development demo from the command line (issue 20 §7): ``python -m interview_app.cli.demo app|link|reset``.

- ``app`` (``make -s demo-app``) prints the id of a demo application a Start would begin a new
  interview on (the newest, or a new one: ``domain/demo.py`` says when), for the README's curl.
- ``link`` (``make demo-link``) prints a ready invite link to it, as ``make run`` does at start-up.
- ``reset`` (``make demo-reset``) deletes the demo's data: the applications marked ``demo: true`` and
  their sessions and offline grants, nothing else.

The demo lives in the embedded database (the one ``make run`` uses, under the data directory); it is
started for the command when it is not running, and stopped again afterwards. With ``MONGODB_URI``
set, every command refuses with one line (exit code 2) unless ``--force``: a shared database is no
place for demo data, and a reset there should be meant.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from interview_app.cli.errors import fail, settings_or_exit
from interview_app.cli.invite import invite_url, link_base
from interview_app.config import Settings
from interview_app.demo import DEMO_USER_ID
from interview_app.domain.clock import utcnow
from interview_app.storage import demo, embedded
from interview_app.storage.mongo import Database, connect

T = TypeVar("T")


@contextlib.contextmanager
def _database_uri(settings: Settings, force: bool, command: str) -> Iterator[str]:
    """The URI of the database holding the demo: the embedded one (started for the command when it
    does not run, then stopped), or ``MONGODB_URI`` when forced."""
    if settings.mongodb_uri is not None:
        if not force:
            fail(
                f"make {command} works on the embedded database only, and MONGODB_URI points to another one: "
                "unset MONGODB_URI, or add FORCE=1 (--force) to use the applications marked demo there"
            )
        yield settings.mongodb_uri
        return
    server, started = embedded.ensure_running(settings.data_dir)
    try:
        yield server.uri
    finally:
        if started:  # leave the embedded server as we found it
            embedded.stop_recorded(settings.data_dir)


def _with_database(settings: Settings, uri: str, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = connect(uri, settings.mongodb_db, settings.database_timeout_ms)
        try:
            return await work(database)
        finally:
            await database.close()

    return asyncio.run(run())


def ready_demo_id(settings: Settings, *, force: bool = False, command: str = "demo-app") -> str:
    """The id of a demo application ready for a new interview (see ``domain/demo.py``)."""
    with _database_uri(settings, force, command) as uri:
        return _with_database(settings, uri, lambda database: demo.ready_application(database, utcnow()))


def ready_demo_link(settings: Settings, base_url: str, *, force: bool = False, command: str = "demo-link") -> str:
    """An invite link to a demo application ready for a new interview."""
    return invite_url(settings, base_url, ready_demo_id(settings, force=force, command=command), DEMO_USER_ID)


def reset(settings: Settings, *, force: bool = False) -> str:
    """Delete the demo's data; the one line that says what was removed, and where."""
    with _database_uri(settings, force, "demo-reset") as uri:
        removed = _with_database(settings, uri, demo.reset)
    where = "MONGODB_URI" if settings.mongodb_uri else f"the embedded database ({settings.data_dir / 'db'})"
    return (
        f"Removed {removed.applications} demo applications, {removed.sessions} sessions and "
        f"{removed.offline_grants} offline grants from {where}."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=("app", "link", "reset"))
    parser.add_argument("--force", action="store_true", help="also with MONGODB_URI set (the demo-marked data there)")
    args = parser.parse_args(argv)
    settings = settings_or_exit()
    if args.command == "app":
        print(ready_demo_id(settings, force=args.force))
    elif args.command == "link":
        print(ready_demo_link(settings, link_base(settings, None), force=args.force))
    else:
        print(reset(settings, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
