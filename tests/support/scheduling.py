"""How the suite's modules are shared among pytest-xdist workers: one worker for the light modules.

The run has two kinds of modules. The heavy ones keep the CPU busy: the browser modules (a page in
Chromium and its app) and the long ones ``tests/conftest.py`` hands out first (the fault scenarios,
the page builds of ``make prod`` and ``make run``). The light ones mostly wait (real-time calls,
timeouts, outages, the API on its own): at the end of the run, on their own, they left the two
cores 60 % idle for most of a minute.
So the last worker takes only light modules, from the start, while the others take the heavy ones
in the collection's order (``tests/conftest.py`` sorts it), then help with the light ones. The
heavy workers keep Chromium and their app between modules; the light worker never starts either.

The workers classify the modules (they collect; the controller only sees test ids) and write the
heavy ones to a file of the run, which the controller reads when it first schedules.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from xdist.scheduler import LoadFileScheduling


def _plan_file(run_id: str) -> Path:
    return Path(tempfile.gettempdir()) / f"interview-tests-{run_id}-heavy.json"


def record_heavy_modules(paths: set[str]) -> None:
    """On a worker: write the run's heavy module paths (the same on every worker)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run_id:
        target = _plan_file(run_id)
        scratch = target.with_suffix(f".{os.getpid()}")
        scratch.write_text(json.dumps(sorted(paths)))
        scratch.replace(target)  # whole or absent, whichever worker writes last


def exit_without_teardown() -> None:
    """On a worker: once the run is over (after the other exit handlers), end the process at once.

    Python's own teardown of a worker that ran hundreds of tests (freeing every object one by one)
    took 1 to 3 s, and once about 9 s, the controller waiting for it, at the end of every run.
    """

    def leave() -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    # Called after every handler registered during the run (tests', fixtures'); the libraries' own,
    # registered at import, are skipped: they stop their daemon threads, which the exit ends anyway.
    atexit.register(leave)


class LightWorkerScheduling(LoadFileScheduling):
    """Whole modules in the collection's order; the last worker of several takes light ones only."""

    _heavy: set[str] | None = None

    def _is_light_worker(self, node) -> bool:
        return self.numnodes > 1 and node.gateway.id == f"gw{self.numnodes - 1}"

    def _heavy_modules(self, node) -> set[str]:
        if self._heavy is None:
            plan = _plan_file(node.workerinput["testrunuid"])
            # Without a plan (a run that never sorted its modules) every module counts as light.
            self._heavy = set(json.loads(plan.read_text())) if plan.exists() else set()
            plan.unlink(missing_ok=True)
        return self._heavy

    def _next_unit(self, node) -> str | None:
        """The light worker: the first light module. The others: the first heavy one, and once
        none is left, the first light one."""
        heavy = self._heavy_modules(node)
        if self._is_light_worker(node):
            return next((scope for scope in self.workqueue if scope not in heavy), None)
        return next((scope for scope in self.workqueue if scope in heavy), next(iter(self.workqueue), None))

    def _assign_work_unit(self, node) -> None:
        scope = self._next_unit(node)
        if scope is None:
            return
        work_unit = self.workqueue.pop(scope)
        self.assigned_work.setdefault(node, {})[scope] = work_unit
        collection = self.registered_collections[node]
        node.send_runtest_some([collection.index(nodeid) for nodeid, done in work_unit.items() if not done])

    def _reschedule(self, node) -> None:
        if node.shutting_down:
            return
        if self._next_unit(node) is None:
            node.shutdown()  # it finishes what it holds, then stops
            return
        # One module in reserve, not xdist's two tests: a worker holding the run's last long
        # one-test modules in reserve kept the others idle at the end (a worker needs the next
        # test before it runs the last one it holds, hence one).
        if self._pending_of(self.assigned_work[node]) > 1:
            return
        self._assign_work_unit(node)
