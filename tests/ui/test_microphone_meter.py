"""The microphone meter of the candidate's page: sampled about ten times a second, never per frame.

A meter redrawn on every animation frame kept headless Chromium at about half a core on an idle
live call (and drains a phone's battery). The page counts its own reads of the analyser here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import LIVE_TIMEOUT_MS, end_via_confirmation, invite, new_application, open_ready

pytestmark = pytest.mark.browser

COUNT_METER_READS = """(() => {
  window.__meterReads = 0;
  const read = AnalyserNode.prototype.getByteTimeDomainData;
  AnalyserNode.prototype.getByteTimeDomainData = function (...args) {
    window.__meterReads += 1;
    return read.apply(this, args);
  };
})();"""
WINDOW_MS = 3_000
MOVES = "() => Number(document.querySelector('[role=meter]').getAttribute('aria-valuenow')) > 0"


def meter_reads_over(page, window_ms: int) -> tuple[int, float]:
    """How many times the meter read the microphone while about ``window_ms`` passed, and how many ms
    really passed, by the page's own clock (a loaded machine stretches the test's wait)."""
    reads, at = page.evaluate("[window.__meterReads, performance.now()]")
    page.wait_for_timeout(window_ms)
    reads_after, at_after = page.evaluate("[window.__meterReads, performance.now()]")
    return reads_after - reads, at_after - at


def test_the_meter_reads_the_microphone_ten_times_a_second_and_stops_when_the_call_ends(page, app_url, db):
    page.add_init_script(COUNT_METER_READS)
    app_id = new_application(db)
    open_ready(page, invite(app_url, app_id))
    page.mouse.click(5, 5)  # a first touch of the page, as a candidate's would be
    page.wait_for_function(MOVES, timeout=10_000)  # it still moves with the fake microphone's beeps
    page.click("#start-interview")
    expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)

    reads, elapsed_ms = meter_reads_over(page, WINDOW_MS)
    # 10 a second (a frame-rate meter reads 60 a second); a loaded machine may delay a timer, never add one
    assert 0 < reads <= elapsed_ms / 1000 * 10 + 2, f"{reads} reads of the microphone in {elapsed_ms:.0f} ms"
    meter = page.locator("[role=meter]")
    assert meter.get_attribute("aria-valuemin") == "0"
    assert meter.get_attribute("aria-valuemax") == "100"

    end_via_confirmation(page)
    assert meter_reads_over(page, 1_000)[0] == 0, "the meter still reads the microphone after the call ended"
