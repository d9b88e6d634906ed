"""Browser fixtures for the candidate page tests (see ``tests/support/browser.py``)."""

from tests.support.browser import app_url, database, database_back_up, db, db_name, page, phone_page, ui_db

__all__ = ["app_url", "database", "database_back_up", "db", "db_name", "page", "phone_page", "ui_db"]
