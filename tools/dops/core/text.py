"""Text from records and file names, made safe to show: every control character as a visible escape."""

from __future__ import annotations

import re

#: Characters that must not reach a terminal, a log or a calendar raw: C0 and C1 controls (ESC starts the
#: sequences that move the cursor, clear the screen or rewrite a line), DEL, the bidirectional overrides that
#: reorder what is shown, and the Unicode line and paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character written as a visible escape (``\\x1b``), for any text output.

    Record values, IDs and file names are the user's; an escape sequence in one must show as text,
    not act on the terminal, whatever NO_COLOR says and wherever the output goes.
    """
    return _UNSAFE.sub(_escaped, text)
