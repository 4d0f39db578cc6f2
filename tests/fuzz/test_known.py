"""The smallest example of each known bug (``known.py``), expected to fail until the bug is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .known import KNOWN, Known
from .properties import check_in_world


@pytest.mark.parametrize(
    "bug",
    [
        pytest.param(bug, id=bug.name, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=bug.summary))
        for bug in KNOWN
    ],
)
def test_known_bug(world: Path, bug: Known) -> None:
    """Fails as the entry describes; when it passes, the bug is fixed: delete its entry from known.py.

    Failing some other way is a plain failure (``pytest.fail``), not the expected one.
    """
    failure: AssertionError | None = None
    try:
        check_in_world(world, bug.example)
    except AssertionError as err:
        failure = err
    if failure is not None:
        if not bug.matches(bug.example, str(failure)):
            pytest.fail(f"fails, but not as {bug.name} describes: {failure}")
        raise failure
