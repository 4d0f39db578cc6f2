"""Bugs the fuzzing found that are not fixed yet: each with its smallest example and how to recognise it.

While a bug is listed here, a fuzz example that fails *in that way* passes (Hypothesis counts it as an
event, shown by ``--hypothesis-show-statistics``), so the fuzzing keeps looking for other bugs; and
``test_known.py`` runs the smallest example as ``xfail(strict=True)``. When a fix lands, that test
passes unexpectedly and fails the run: delete the entry here, and the fuzzing guards the fix.
"""

from __future__ import annotations

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


KNOWN: list[Known] = []  # none open: every bug the fuzzing found so far is fixed


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
