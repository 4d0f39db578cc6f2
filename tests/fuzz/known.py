"""Bugs the fuzzing found that are not fixed yet: each with its smallest example and how to recognise it.

While a bug is listed here, a fuzz example that fails *in that way* passes (Hypothesis counts it as an
event, shown by ``--hypothesis-show-statistics``), so the fuzzing keeps looking for other bugs; and
``test_known.py`` runs the smallest example as ``xfail(strict=True)``. When a fix lands, that test
passes unexpectedly and fails the run: delete the entry here, and the fuzzing guards the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .strategies import Case


@dataclass(frozen=True)
class Known:
    name: str
    summary: str
    example: Case
    # (the file, the assertion's message) → whether this failure is this bug
    matches: Callable[[Case, str], bool]


def _no_final_break(case: Case) -> bool:
    return not case.raw.endswith((b"\n", b"\r"))


def _has_non_ascii(case: Case) -> bool:
    return any(byte >= 0x80 for byte in case.raw)


def _has_lone_cr(case: Case) -> bool:
    return b"\r" in case.raw.replace(b"\r\n", b"")


def _has_yaml11_break(case: Case) -> bool:
    return any(char in case.raw for char in ("\x85".encode(), "\u2028".encode(), "\u2029".encode()))


KNOWN: list[Known] = [
    Known(
        "line-after-the-last",
        "A YAML syntax error in a file that does not end with a line break is reported on the line after "
        "the last (libyaml's mark past the end), e.g. 4:1 in a file of 3 lines.",
        Case("records/people/EMP-0001.yaml", b"id: EMP-0001\nname: x\nt"),
        lambda case, failure: "is outside the file's" in failure and _no_final_break(case),
    ),
    Known(
        "integer-over-4300-digits",
        "An integer of more than 4,300 digits (Python's int-string limit) crashes the loader: exit 3, "
        "ValueError('Exceeds the limit (4300 digits) for integer string conversion') in loader.core_scalar.",
        Case("records/people/EMP-0001.yaml", b"id: 1" + b"0" * 4300 + b"\n"),
        lambda case, failure: "internal error: ValueError('Exceeds the limit (4300 digits)" in failure,
    ),
    Known(
        "core-tag-on-a-scalar",
        "A core collection tag on a scalar (`name: !!map x`) crashes the loader: exit 3, KeyError('map') in "
        "loader._explicit_scalar.",
        Case("records/people/EMP-0001.yaml", b"id: EMP-0001\nname: !!map x\n"),
        lambda case, failure: bool(re.search(r"internal error: KeyError\('(map|seq)'\)", failure)),
    ),
    Known(
        "nel-ls-ps-as-line-breaks",
        "NEL (U+0085), LS (U+2028) and PS (U+2029) count as line breaks in libyaml's marks (YAML 1.1); in "
        "YAML 1.2 they are ordinary characters, so a finding after one is placed too low: the undefined alias of "
        "`a: <NEL>b: *x` is reported at 2:4, on the empty line after the file's only line break.",
        Case("records/people/EMP-0099.yaml", b"a: \xc2\x85b: *x\n"),
        lambda case, failure: "outside" in failure and _has_yaml11_break(case),
    ),
    Known(
        "lone-cr-not-a-line-break",
        "The position of a control character (reader error) counts only \\n as a line break "
        "(loader._offset_to_line); a lone \\r ends a line too in YAML 1.2: `\\r\\x00` is reported at 1:2 "
        "instead of 2:1.",
        Case("records/people/EMP-0099.yaml", b"\r\x00"),
        lambda case, failure: "outside" in failure and _has_lone_cr(case),
    ),
    Known(
        "column-in-bytes",
        "The column of a control character after non-ASCII text is a byte offset, not a character index "
        "(loader._offset_to_line counts bytes), e.g. column 4 on a line of 2 characters.",
        Case("records/people/EMP-0099.yaml", b"\xc2\xa0\x00"),
        lambda case, failure: bool(re.search(r"column \d+ is outside line", failure)) and _has_non_ascii(case),
    ),
]


def tolerating_known(case: Case, check: Callable[[], object]) -> None:
    """Run ``check``; a failure that is a known bug passes, as a Hypothesis event."""
    from hypothesis import event

    try:
        check()
    except AssertionError as failure:
        for bug in KNOWN:
            if bug.matches(case, str(failure)):
                event(f"known bug: {bug.name}")
                return
        raise
