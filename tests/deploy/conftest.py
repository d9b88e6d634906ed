"""Browser fixtures for the deployment tests (see ``tests/support/browser.py``)."""

from tests.support.browser import browser, db_name, page, ui_db

__all__ = ["browser", "db_name", "page", "ui_db"]
