"""The storage tests share the scoring tests' database, session store and scoring queue fixtures."""

from tests.support.scoring_stores import database, queue, sessions  # noqa: F401  (fixtures)
