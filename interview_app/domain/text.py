"""What text a client may hand us to store and show: the one rule for the User-Agent and transcripts.

No control character (C0, DEL, C1) except, where text has lines, newline and tab; and no bidi
override or isolate (U+202A-U+202E, U+2066-U+2069), which can make a stored text read differently
from what it holds (a reviewer's screen, a log line).
"""

from __future__ import annotations

import re

_BIDI = r"\u202a-\u202e\u2066-\u2069"
_LINE_REFUSED = r"\x00-\x1f\x7f-\x9f" + _BIDI
_TEXT_REFUSED = r"\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI  # newline (0a) and tab (09) allowed
SAFE_LINE_PATTERN = f"^[^{_LINE_REFUSED}]*$"  # the same rule, as JSON Schema states it (API docs)
SAFE_TEXT_PATTERN = f"^[^{_TEXT_REFUSED}]*$"
# Python's whitespace (what ``str.strip`` removes) that the line rule does not refuse already.
_BLANK = " \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A safe line with at least one character that is not whitespace (a name, a job title).
SAFE_NONBLANK_LINE_PATTERN = f"^[^{_LINE_REFUSED}]*[^{_LINE_REFUSED}{_BLANK}][^{_LINE_REFUSED}]*$"
_UNSAFE_LINE = re.compile(f"[{_LINE_REFUSED}]")
_UNSAFE_TEXT = re.compile(f"[{_TEXT_REFUSED}]")


def unsafe_character(text: str, multiline: bool = False) -> str | None:
    """The first character ``text`` may not hold (as ``U+XXXX``), or None when it is safe."""
    found = (_UNSAFE_TEXT if multiline else _UNSAFE_LINE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def require_safe(text: str, multiline: bool = False) -> str:
    """``text`` unchanged, or ``ValueError`` naming the character refused (a pydantic validator)."""
    bad = unsafe_character(text, multiline)
    if bad is not None:
        raise ValueError(f"must not contain control or bidi override characters (found {bad})")
    return text
