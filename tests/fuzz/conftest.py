"""Hypothesis profiles for the fuzz tests, and the tiny world each example is checked in.

Profiles (choose with ``--hypothesis-profile=NAME``; without it the fuzz tests use ``ci``):

- ``ci``: the bounded run of ``.ci/run`` and of a plain ``pytest``: 50 examples per test (about 200 in
  all), derandomized, so every run tries the same examples and a failure reproduces by running again;
- ``long``: thousands of examples per test from a fresh random seed, which ``bash tools/fuzz`` prints
  first; ``--hypothesis-seed=SEED`` repeats a run.

Neither keeps an example database, so nothing is written into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from ..conftest import REPO, make_repo

_COMMON = {
    "deadline": None,  # the first example of a process pays the start-up; time is not the property
    "database": None,
    "print_blob": True,
    # Shrinking gives the smallest failing file; the explain phase after it can take minutes per failure.
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("ci", max_examples=50, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("DOPS_FUZZ_EXAMPLES", "2500")), **_COMMON)


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("ci")


# A tiny department: the head, a project manager, one project, its risk, an appraisal and a training plan.
# Small on purpose (each check takes well under 0.1 s); the hostile file comes on top of it.
WORLD = (
    "records/people/EMP-0001.yaml",
    "records/people/EMP-0002.yaml",
    "records/projects/PRJ-2026-008.yaml",
    "records/risks/RSK-2026-017.yaml",
    "records/reviews/REV-EMP-0002-2026Q3.yaml",
    "records/trainings/TRP-2026.yaml",
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world's repository; each example puts its file in and takes it out again."""
    return make_repo(
        tmp_path_factory.mktemp("world"), {path: (REPO / path).read_text(encoding="utf-8") for path in WORLD}
    )
