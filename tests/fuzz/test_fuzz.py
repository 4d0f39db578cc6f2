"""Property-based fuzzing: no file, however hostile, breaks the loader or `dops check`.

Three sources of files (``strategies.py``): random bytes, YAML made by a grammar, and the sample records
after a few random edits. Each file is checked inside a tiny world (``conftest.py``), in process, and
must satisfy the properties of ``properties.py``. The loader is also fuzzed on its own, which is cheap.
The number of examples comes from the profile: ``ci`` (bounded, the same every run) or ``long``
(``bash tools/fuzz``).
"""

from __future__ import annotations

import traceback
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dops.core import loader

from .known import tolerating_known
from .properties import check_in_world, check_position
from .strategies import Case, grammar_records, mutated_samples, random_files

MAX_BYTES = 256 * 1024  # max_file_kib of dops.yaml


@given(case=random_files())
def test_random_bytes_as_a_record(world: Path, case: Case) -> None:
    tolerating_known(case, lambda: check_in_world(world, case))


@given(case=grammar_records())
def test_grammar_made_yaml_as_a_record(world: Path, case: Case) -> None:
    tolerating_known(case, lambda: check_in_world(world, case))


@given(case=mutated_samples())
def test_mutated_sample_records(world: Path, case: Case) -> None:
    tolerating_known(case, lambda: check_in_world(world, case))


@given(case=st.one_of(random_files(), grammar_records(), mutated_samples()))
def test_the_loader_alone(case: Case) -> None:
    """Every outcome of the loader is a document or a finding, with lines inside the file."""
    tolerating_known(case, lambda: _loader_properties(case))


def _loader_properties(case: Case) -> None:
    try:
        result = loader.parse(case.raw, MAX_BYTES)
    except Exception as err:  # what `dops check` would report as an internal error (exit 3)
        raise AssertionError(f"internal error: {err!r}\n{traceback.format_exc()}") from err
    if isinstance(result, loader.Document):
        assert isinstance(result.data, dict)
        for path, (line, column) in result.lines.items():
            check_position(f"the position of {path!r}", case.raw, line, column)
    else:
        check_position(f"the finding {result.message.en!r}", case.raw, result.line, result.column)
