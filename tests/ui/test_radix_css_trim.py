"""The trim step goes into Reflex's PostCSS configuration once, right after ``postcss-import``."""

from __future__ import annotations

import pytest

from interview_app.ui.radix_css_trim import BUILD_FILE, with_trim_step

REFLEX_TEMPLATE = """export default {
  plugins: {
    "postcss-import": {},
    autoprefixer: noVendorPrefix ? false : {},
  },
};
"""


def test_the_step_follows_postcss_import_once():
    config = with_trim_step(REFLEX_TEMPLATE)
    lines = config.splitlines()
    assert BUILD_FILE in lines[lines.index('    "postcss-import": {},') + 1]
    assert with_trim_step(config) == config  # a second compile leaves it as it is


def test_a_changed_reflex_template_is_refused_loudly():
    with pytest.raises(RuntimeError, match="postcss-import"):
        with_trim_step("export default { plugins: { tailwindcss: {} } };")
