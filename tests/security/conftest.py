"""Browser fixtures for the security regression tests (see ``tests/support/browser.py``)."""

from tests.support.browser import db_name, page, ui_db

__all__ = ["db_name", "page", "ui_db"]
