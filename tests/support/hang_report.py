"""A pytest plugin that says where a stuck test is stuck, asyncio tasks included.

``faulthandler_timeout`` (pytest.ini) dumps thread stacks, which show an idle event loop but not
the task it waits for. Here a timer sends SIGUSR1 to the test process when one test (setup,
call and teardown) runs longer than :data:`REPORT_AFTER_S`; the handler runs on the main thread,
inside the running loop if there is one, and prints every pending task's stack to stderr.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

import pytest

REPORT_AFTER_S = 150.0


def _print_tasks(signum, frame) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        print("hang report: no running event loop", file=sys.stderr)
        return
    tasks = asyncio.all_tasks(loop)
    print(f"hang report: {len(tasks)} pending task(s)", file=sys.stderr)
    for task in tasks:
        task.print_stack(file=sys.stderr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    signal.signal(signal.SIGUSR1, _print_tasks)
    timer = threading.Timer(REPORT_AFTER_S, os.kill, (os.getpid(), signal.SIGUSR1))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
