"""Record text into Markdown, inertly.

Staff write free text into records; on the site it must read as text and
nothing else: no HTML, no Markdown links or emphasis, no table breaks, no
template syntax. Every character that Markdown, HTML, the table syntax or an
extension could act on is written as a numeric character reference, which
browsers show as the character itself and Markdown leaves alone.
"""

from __future__ import annotations

import re

# Markdown and its extensions act on these anywhere; HTML on < > & " '; tables on |.
_ACTIVE = set("\\`*_{}[]()|<>&\"'~^:=$%@")
# ... and on these at the start of a line: lists (- + 1.), headings (#), quotes (>).
_LEADING = re.compile(r"^(\d+)(\.)|^([-+#])")
_SPACE = re.compile(r"\s+")


def inline(value: object) -> str:
    """Any value as inert inline Markdown on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = _SPACE.sub(" ", str(value)).strip()
    escaped = "".join(f"&#{ord(char)};" if char in _ACTIVE else char for char in text)
    return _LEADING.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else f"&#{ord(m.group(3))};", escaped, count=1)


def block(value: object) -> str:
    """Multi-line text as inert Markdown, line breaks kept."""
    if value is None:
        return ""
    lines = [inline(line) for line in str(value).splitlines()]
    return "<br>\n".join(line for line in lines if line)


def anchor(value: str) -> str:
    """An id usable in a URL fragment (IDs are already safe; this guards the rest)."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", value)
