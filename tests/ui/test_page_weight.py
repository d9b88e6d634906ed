"""Regression (issue 20 §13): the page ships far less CSS and JS, paints before its scripts run, and
what the screens use still works.

On the old code the one stylesheet was Radix Themes' whole ``styles.css`` (703 KB, 84 KB gzipped):
every component, every colour palette and every responsive variant of five breakpoints. The trimmed
build keeps the components, palettes and breakpoint the pages use (``Card``, ``red``, ``md``), and
drops the rest (``SegmentedControl``, ``tomato``, ``xs``). The page loaded 836 KB of scripts, the
whole Radix library among them; and its HTML had nothing to paint before they had run.
"""

from __future__ import annotations

import gzip

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, invite, new_application, screenshot
from tests.support.cache_headers import ASSET_URL

pytestmark = pytest.mark.browser

MAX_CSS_BYTES = 300_000  # was 703,453; 226,429 trimmed
MAX_CSS_GZIP_BYTES = 45_000  # was 84,358; 34,873 trimmed
MAX_SCRIPT_BYTES = 720_000  # was 836 KB (Lighthouse's count); 640 KB without the whole Radix library

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
    urls = dict.fromkeys(url for url in ASSET_URL.findall(page_html) if url.endswith(".css"))  # preload + link
    return [httpx.get(f"{base}{url}").content for url in urls]


def test_the_page_ships_the_trimmed_radix_css(app_url, db, page, phone_page):
    url = invite(app_url, new_application(db))
    sheets = stylesheets(app_url, httpx.get(url).text)
    assert sheets
    raw, packed = sum(map(len, sheets)), sum(len(gzip.compress(sheet, 9)) for sheet in sheets)
    assert raw < MAX_CSS_BYTES and packed < MAX_CSS_GZIP_BYTES, (raw, packed)
    stylesheet = next(href for href in ASSET_URL.findall(httpx.get(url).text) if href.endswith(".css"))
    with httpx.stream("GET", f"{app_url}{stylesheet}", headers={"Accept-Encoding": "br, gzip"}) as brotli:
        assert brotli.headers["content-encoding"] == "br"  # the build's brotli file, smaller than gzip's
        assert int(brotli.headers["content-length"]) < packed
    css = b"".join(sheets)
    assert b"xs\\:rt-" not in css and b"md\\:rt-r-fd-row" in css
    assert b".rt-SegmentedControlItem" not in css and b".rt-Card" in css and b".rt-CalloutRoot" in css

    page.goto(url)
    expect(page.locator("#mic-status")).to_be_visible(timeout=15_000)
    expect(page).to_have_title("Interview: Platform Engineer")  # the loading screen's title is gone
    assert page.locator("#page-loading").count() == 0
    theme_accent = page.evaluate(ACCENT_OF, "indigo")
    for palette in ("red", "green", "amber", "gray"):  # named by the screens: kept
        assert page.evaluate(ACCENT_OF, palette) not in ("", theme_accent), palette
    assert page.evaluate(ACCENT_OF, "tomato") == theme_accent  # named by none: dropped
    assert page.evaluate(PANELS_DIRECTION) == "row"  # rx.breakpoints(initial="column", md="row")
    assert_accessible(page, "preview with the trimmed CSS")
    screenshot(page, "page-weight-01-preview-desktop")

    phone_page.goto(url)
    expect(phone_page.locator("#mic-status")).to_be_visible(timeout=15_000)
    assert phone_page.evaluate(PANELS_DIRECTION) == "column"
    assert_accessible(phone_page, "preview with the trimmed CSS, phone")
    screenshot(phone_page, "page-weight-02-preview-phone")


def test_the_page_loads_only_the_radix_components_it_uses(app_url, db, page):
    scripts: list = []
    page.on(
        "response", lambda response: scripts.append(response) if response.request.resource_type == "script" else None
    )
    page.goto(invite(app_url, new_application(db)))
    expect(page.locator("#mic-status")).to_be_visible(timeout=15_000)
    loaded = {response.url: len(response.body()) for response in scripts}
    assert sum(loaded.values()) < MAX_SCRIPT_BYTES, sorted(loaded.items(), key=lambda item: -item[1])[:5]
    assert not any(b"rt-SegmentedControlRoot" in response.body() for response in scripts)  # a component no page uses


def test_the_page_paints_its_loading_screen_before_its_scripts_run(app_url, db, page, phone_page):
    url = invite(app_url, new_application(db))
    html = httpx.get(url).text
    assert 'id="page-loading"' in html and "Loading…" in html  # in the HTML itself
    for screen, name in ((page, "desktop"), (phone_page, "phone")):
        screen.route("**/assets/*.js", lambda route: route.abort())  # the scripts never arrive
        screen.goto(url)
        expect(screen.locator("#page-loading")).to_be_visible()
        expect(screen.get_by_role("status")).to_have_text("Loading…")
        expect(screen).to_have_title("Loading… | Interview")
        assert_accessible(screen, f"loading screen, {name}")
        screenshot(screen, f"page-weight-03-loading-{name}")
