"""Regression (issue 20 §13): the page ships far less CSS, and what the screens use still works.

On the old code the one stylesheet was Radix Themes' whole ``styles.css`` (703 KB, 84 KB gzipped):
every colour palette and every responsive variant of five breakpoints. The trimmed build keeps the
palettes and the breakpoint the pages name (``md``), and drops the rest (``tomato``, ``xs``).
"""

from __future__ import annotations

import gzip

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, invite, new_application, screenshot
from tests.support.cache_headers import ASSET_URL

pytestmark = pytest.mark.browser

MAX_CSS_BYTES = 450_000  # was 703,453
MAX_CSS_GZIP_BYTES = 70_000  # was 84,358

# The value a palette gives ``--accent-9`` on an element asking for it (the theme's accent when the
# palette's rule is gone), and the direction of the page's two-panel row.
ACCENT_OF = """(palette) => {
  const probe = document.createElement('span');
  probe.setAttribute('data-accent-color', palette);
  document.querySelector('.radix-themes').appendChild(probe);
  const value = getComputedStyle(probe).getPropertyValue('--accent-9').trim();
  probe.remove();
  return value;
}"""
PANELS_DIRECTION = """() => getComputedStyle(
  document.querySelector('#interview-feed').closest('.rt-Flex[class*="md:rt-r-fd-row"]')
).flexDirection"""


def stylesheets(base: str, page_html: str) -> list[bytes]:
    return [httpx.get(f"{base}{url}").content for url in ASSET_URL.findall(page_html) if url.endswith(".css")]


def test_the_page_ships_the_trimmed_radix_css(app_url, db, page, phone_page):
    url = invite(app_url, new_application(db))
    sheets = stylesheets(app_url, httpx.get(url).text)
    assert sheets
    raw, packed = sum(map(len, sheets)), sum(len(gzip.compress(sheet, 9)) for sheet in sheets)
    assert raw < MAX_CSS_BYTES and packed < MAX_CSS_GZIP_BYTES, (raw, packed)
    assert b"xs\\:rt-" not in b"".join(sheets) and b"md\\:rt-r-fd-row" in b"".join(sheets)

    page.goto(url)
    expect(page.locator("#mic-status")).to_be_visible(timeout=15_000)
    theme_accent = page.evaluate(ACCENT_OF, "indigo")
    for palette in ("red", "green", "amber", "gray"):  # named by the screens: kept
        assert page.evaluate(ACCENT_OF, palette) not in ("", theme_accent), palette
    assert page.evaluate(ACCENT_OF, "tomato") == theme_accent  # named by none: dropped
    assert page.evaluate(PANELS_DIRECTION) == "row"  # rx.breakpoints(initial="column", md="row")
    assert_accessible(page, "preview with the trimmed CSS")
    screenshot(page, "trimmed-css-01-preview-desktop")

    phone_page.goto(url)
    expect(phone_page.locator("#mic-status")).to_be_visible(timeout=15_000)
    assert phone_page.evaluate(PANELS_DIRECTION) == "column"
    assert_accessible(phone_page, "preview with the trimmed CSS, phone")
    screenshot(phone_page, "trimmed-css-02-preview-phone")
