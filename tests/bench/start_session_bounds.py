"""``python -m tests.bench.start_session_bounds``: how close to the floor start-session could come.

Issue 21 asks start-session's P95 within 1.2x of a bare floor. This runs the start-session
comparison (c=1 and c=10) four times, each on a fresh database and server:

1. the floor against itself: the bench's own noise and bias (a ratio means little closer to 1 than this);
2. start-session as shipped;
3. without the rules' read (``no-rules-read``, ``tests/bench/variants.py``): the best any cheaper
   form of that read could give;
4. without the rules' read and with only the story's indexes (``no-rules-read,story-indexes``).

Variants 3 and 4 give wrong answers (no reuse, no rate limit, a second interview after a completed
one, a slow review console); they bound what the target costs, they are never a product. Not part
of ``make bench``; the README's performance section quotes its runs.
"""

from __future__ import annotations

import sys

from tests.bench.start_session import API, FLOOR, compare

LEVELS = [(1, 100), (10, 150)]  # the levels the 1.2x target names, as many requests as `make bench`
RUNS = [
    ("the floor against itself", FLOOR, ""),
    ("start-session as shipped", API, ""),
    ("start-session without the rules' read", API, "no-rules-read"),
    ("start-session without the rules' read, with the story's indexes only", API, "no-rules-read,story-indexes"),
]


def main() -> int:
    for title, path, variant in RUNS:
        print(f"\n=== {title} ===", flush=True)
        compare(LEVELS, api_path=path, variant=variant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
