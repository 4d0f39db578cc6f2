"""The lock files in requirements/ match pyproject.toml, and every install path uses them."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..conftest import REPO

#: Each lock file and the extras of pyproject.toml it installs beside the base dependencies (tools/lock).
EXTRAS: dict[str, list[str]] = {"base": [], "site": ["site"], "test": ["site", "test"], "bench": ["bench"]}
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$", re.M)
ENVIRONMENT = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
    "extra": "",
}


def pins(name: str) -> dict[str, list[tuple[str, str | None]]]:
    text = (REPO / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    found: dict[str, list[tuple[str, str | None]]] = {}
    for package, version, marker in _PIN.findall(text):
        found.setdefault(canonicalize_name(package), []).append((version, marker or None))
    return found


def wanted(extra: str) -> list[Requirement]:
    requirements = [Requirement(line) for line in PROJECT["dependencies"]]
    for name in EXTRAS[extra]:
        requirements += [
            Requirement(line) for line in PROJECT["optional-dependencies"][name] if not line.startswith("dops[")
        ]
    return requirements


@pytest.mark.parametrize("extra", list(EXTRAS))
def test_each_lock_pins_every_requirement_within_its_range(extra):
    locked = pins(extra)
    for requirement in wanted(extra):
        versions = locked.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements/{extra}.txt: run `bash tools/lock`"
        usable = [v for v, marker in versions if marker is None or Marker(marker).evaluate(ENVIRONMENT)]
        assert usable and all(requirement.specifier.contains(v, prereleases=True) for v in usable), (
            f"requirements/{extra}.txt pins {requirement.name}=={usable} outside {requirement.specifier}: "
            "run `bash tools/lock`"
        )
    assert "setuptools" in locked, "the build backend is locked too (requirements/build.in)"


def test_every_pin_carries_hashes():
    for extra in EXTRAS:
        text = (REPO / "requirements" / f"{extra}.txt").read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1])
        for block in blocks:
            if _PIN.match(block.strip().splitlines()[0] if block.strip() else ""):
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_every_lock_file_is_covered_here_and_made_by_tools_lock():
    locks = {path.stem for path in (REPO / "requirements").glob("*.txt")}
    assert locks == set(EXTRAS)
    made = re.search(r"^for extra in (.+); do$", (REPO / "tools" / "lock").read_text(encoding="utf-8"), re.M)
    assert made and made.group(1).split() == list(EXTRAS)


def test_ci_the_readme_and_the_workflows_install_from_the_locks():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.txt" in ci
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("--require-hashes -r requirements/") >= 2
    for workflow in (REPO / ".github" / "workflows").glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "pip install" in line:
                assert "--require-hashes" in line or "--no-deps" in line, f"{workflow.name}: {line.strip()}"


def test_a_weekly_workflow_refreshes_the_locks_and_tests_before_the_pull_request():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "lock.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"]  # PyYAML reads the key `on` as True
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    order = [
        next(i for i, s in enumerate(steps) if needle in s)
        for needle in ("bash tools/lock --upgrade", "bash .ci/run", "gh pr create")
    ]
    assert order == sorted(order)
