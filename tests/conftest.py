"""Shared fixtures: a real wire-protocol database server and the API wired to it.

The database is SecantusDB on a free port with in-memory storage, started once per test run
(once per pytest-xdist worker); set ``MONGODB_URI`` to run the very same suite against a real
MongoDB instead. Each test gets its own database name, dropped afterwards.

The suite runs on pytest-xdist workers (``pytest.ini``): whole modules are handed out, so a module's
tests keep their order and its app; each worker builds the page into a web directory of its own
(see :func:`pytest_configure`). ``-n 0`` runs everything in this one process, as before.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import uuid

import pytest
from pymongo import MongoClient

from interview_app.storage import embedded
from tests.support import scheduling
from tests.support.api_app import api_client, make_settings, wait_for_indexes
from tests.support.app_server import ROOT, SHARED_APP
from tests.support.browser import (  # noqa: F401  (fixtures registered once, for every browser folder)
    SHARED_BROWSER,
    browser,
    browser_database,
    browser_db,
    browser_db_name,
    browser_ui_db,
    shared_app,
)

pytest_plugins = ["tests.support.hang_report"]  # where a stuck test is stuck, asyncio tasks included


def pytest_configure(config: pytest.Config) -> None:
    """On a pytest-xdist worker, Reflex builds into ``.web-<worker>`` (and keeps its states beside it).

    Every prod start bakes its own port into the page it builds, so two workers' apps sharing the
    one ``.web`` would hand each other their bundles. A fresh web directory costs about a second
    (its packages come from bun's cache). ``.web`` itself stays for runs without workers and for
    ``make prod`` (``tests/cli/test_prod.py`` runs it with Reflex's variables cleared).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        os.environ["REFLEX_WEB_WORKDIR"] = str(ROOT / f".web-{worker}")
        os.environ["REFLEX_STATES_WORKDIR"] = str(ROOT / f".states-{worker}")
        scheduling.exit_without_teardown()


@pytest.fixture(scope="session")
def mongo_uri():
    if os.environ.get("MONGODB_URI"):
        yield os.environ["MONGODB_URI"]
        return
    server = embedded.spawn(":memory:")
    try:
        yield server.uri
    finally:
        embedded.stop(server)


@pytest.fixture
def db_name(mongo_uri):
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with MongoClient(mongo_uri, serverSelectionTimeoutMS=3000) as client, contextlib.suppress(Exception):
        client.drop_database(name)


@pytest.fixture
def sync_db(mongo_uri, db_name):
    with MongoClient(mongo_uri, tz_aware=True) as client:
        yield client[db_name]


@pytest.fixture
def settings(mongo_uri, db_name, tmp_path):
    return make_settings(mongo_uri, db_name, tmp_path)


@pytest.fixture
async def client(settings):
    async with api_client(settings) as c:
        await wait_for_indexes(c)
        yield c


def _runs_the_app_in_a_browser(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None


def _on_the_default_app(item: pytest.Item) -> bool:
    """The test asks for the shared app with default settings (``tests.support.browser.app_url``)."""
    definitions = getattr(item, "_fixtureinfo", None)
    chain = definitions.name2fixturedefs.get("app_url", ()) if definitions else ()
    return bool(chain) and chain[-1].func.__module__ == "tests.support.browser"


# The longest units of the run, handed out first and in this order (longest first keeps the workers'
# ends even): whole interviews under a fault (browser, 20 to 50 s each, one of them builds the run's
# page), and the command-line and API modules that mostly wait on processes, outages and timeouts.
FIRST_MODULES = (
    "tests/faults/test_database_and_api_faults.py",
    "tests/cli/test_demo.py",
    "tests/api/test_schemathesis.py",
    "tests/faults/",
    "tests/cli/test_prod.py",
    "tests/cli/test_make_run.py",
    "tests/api/test_database_down.py",
)


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """:data:`FIRST_MODULES` first; then the browser modules together: those on the default app, then
    the others (file order within each): they share one database server, one Chromium and one app
    per configuration, so each starts once per worker. The many short modules come last and even out
    the workers' ends (``--no-loadscope-reorder`` keeps this order). A module is moved whole, so its
    tests keep their order. The first and the browser modules are the heavy ones for the scheduler:
    one worker runs the others from the start (``tests/support/scheduling.py``)."""
    default_modules = {item.module for item in items if _on_the_default_app(item)}  # pyright: ignore[reportAttributeAccessIssue]

    def rank(item: pytest.Item) -> tuple[int, int]:
        first = [i for i, prefix in enumerate(FIRST_MODULES) if item.nodeid.startswith(prefix)]
        if first:
            return 0, first[0]
        if not _runs_the_app_in_a_browser(item):
            return 3, 0
        return (1 if item.module in default_modules else 2), 0  # pyright: ignore[reportAttributeAccessIssue]

    items.sort(key=rank)  # stable: file order within each rank
    scheduling.record_heavy_modules({_module(item) for item in items if rank(item)[0] < 3})


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """The last worker runs the light modules from the start (``tests/support/scheduling.py``)."""
    return scheduling.LightWorkerScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Sync Playwright's loop must not run beside an async test, nor beside a test that runs its own
    loop (``asyncio.run``): close the shared Chromium before any test that is not a browser test."""
    if inspect.iscoroutinefunction(getattr(item, "obj", None)) or not _runs_the_app_in_a_browser(item):
        SHARED_BROWSER.close()


def pytest_sessionfinish() -> None:
    SHARED_APP.release()
    SHARED_BROWSER.close()
