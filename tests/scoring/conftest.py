"""A database, the session store and the scoring queue for the scoring tests (no app: no scorer runs)."""

from tests.support.scoring_stores import database, queue, sessions  # noqa: F401  (fixtures)
