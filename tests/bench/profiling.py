"""``BENCH_PROFILE=1``: cProfile inside the bench server, dumped on request (``make bench`` leaves it off).

The server process runs every request on one event loop thread, so a profiler enabled there sees
the whole hot path: routing, middleware, validation, the driver, JSON and the JWT. The bench posts
to ``/bench/profile/start`` before a load and to ``/bench/profile/stop`` after it, which answers the
top functions by own time and by cumulative time, as text.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

ENABLED = os.environ.get("BENCH_PROFILE") == "1"
TOP = 40


def install(app: FastAPI) -> None:
    profiler = cProfile.Profile()

    @app.post("/bench/profile/start")
    async def start():
        profiler.enable()
        return PlainTextResponse("on")

    @app.post("/bench/profile/stop")
    async def stop():
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(TOP)
        stats.sort_stats("cumulative").print_stats(TOP)
        stats.sort_stats("cumulative").print_stats("interview_app", TOP)  # our own code, with what it calls
        profiler.clear()
        return PlainTextResponse(out.getvalue())
