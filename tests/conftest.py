"""Shared fixtures: a real wire-protocol database server and the API wired to it.

The database is SecantusDB on a free port with in-memory storage, started once per test run
(once per pytest-xdist worker); set ``MONGODB_URI`` to run the very same suite against a real
MongoDB instead. Each test gets its own database name, dropped afterwards.

The suite runs on pytest-xdist workers (``pytest.ini``): whole modules are handed out, so a module's
tests keep their order and its app; each worker builds the page into a web directory of its own
(see :func:`pytest_configure`). ``-n 0`` runs everything in this one process, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import uuid

import pytest
from pymongo import MongoClient

from interview_app.storage import embedded
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
# ends even): whole interviews under a fault (browser, 20 to 50 s each; one of them builds the run's
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order the workers take modules in (``--no-loadscope-reorder`` keeps it; a module is moved
    whole, so its tests keep their order): :data:`FIRST_MODULES`, then the browser modules, those on
    the default app first, each followed by its share of the other modules.

    The browser modules keep the CPU busy (Chromium, the app); most other modules wait (on real-time
    calls, a database outage, a timeout) and use little of it. Handed out in turn, the two kinds run
    side by side on the workers instead of the waiting kind making a tail of its own at the end (on
    two cores: about a minute). Browser modules stay together in their groups: they share one
    database server, one Chromium and one app per configuration, so each starts about once per worker.
    """
    default_modules = {item.module for item in items if _on_the_default_app(item)}  # pyright: ignore[reportAttributeAccessIssue]
    modules: dict[object, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.module, []).append(item)  # pyright: ignore[reportAttributeAccessIssue]

    def first(module: object) -> int:
        nodeid = modules[module][0].nodeid
        return next((i for i, prefix in enumerate(FIRST_MODULES) if nodeid.startswith(prefix)), len(FIRST_MODULES))

    firsts = sorted((m for m in modules if first(m) < len(FIRST_MODULES)), key=first)
    rest = [m for m in modules if first(m) == len(FIRST_MODULES)]
    in_browser = [m for m in rest if _runs_the_app_in_a_browser(modules[m][0])]
    browser_modules = [m for m in in_browser if m in default_modules] + [
        m for m in in_browser if m not in default_modules
    ]
    others = [m for m in rest if not _runs_the_app_in_a_browser(modules[m][0])]
    order = list(firsts)
    for i, module in enumerate(browser_modules):
        share = others[len(others) * i // len(browser_modules) : len(others) * (i + 1) // len(browser_modules)]
        order += [module, *share]
    if not browser_modules:
        order += others
    items[:] = [item for module in order for item in modules[module]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Chromium stays open across the tests that run an event loop of their own (async tests, and
    tests that are not browser tests, which may call ``asyncio.run``).

    Sync Playwright marks its loop as the thread's running loop between its calls, and asyncio refuses
    to run a second loop beside it. Such a test makes no Playwright call, so its loop runs with the mark
    taken off, and the mark is put back after its teardown. (Closing Chromium before each such test and
    launching it again after cost about 2 s of CPU a time.)
    """
    if _runs_the_app_in_a_browser(item) and not inspect.iscoroutinefunction(getattr(item, "obj", None)):
        return (yield)
    playwright_loop = asyncio._get_running_loop()  # pyright: ignore[reportPrivateUsage]
    asyncio._set_running_loop(None)  # pyright: ignore[reportPrivateUsage]
    try:
        return (yield)
    finally:
        asyncio._set_running_loop(playwright_loop)  # pyright: ignore[reportPrivateUsage]


def pytest_sessionfinish() -> None:
    SHARED_APP.release()
    SHARED_BROWSER.close()
