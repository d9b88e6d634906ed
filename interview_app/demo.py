"""The demo interview of development runs: one application, the same for the seed, the page and the link.

Seeded into the embedded database only (``storage.mongo.seed_demo``), linked from the home page,
and printed as a ready invite by ``reflex run`` / ``make run``.
"""

from __future__ import annotations

DEMO_APPLICATION_ID = "demo-application"
DEMO_USER_ID = "demo-candidate"
DEMO_JOB_TITLE = "Senior Python Engineer"
DEMO_CANDIDATE_NAME = "Alex Candidate"
