"""The package's layers, kept by import-linter: cli → outputs → features → rules → core.

The contract lives in pyproject.toml ([tool.importlinter]); `lint-imports` is also a step
of .ci/run. The second test proves the contract bites: the same check on a copy of the
package with one upward import fails and names it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(source: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_package_keeps_its_layers():
    done = _lint(REPO / "tools", REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(REPO / "tools" / "dops", tmp_path / "src" / "dops", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "src" / "dops" / "core" / "model.py"
    model.write_text(
        model.read_text(encoding="utf-8") + "\nfrom dops.outputs import reporters  # upward\n", encoding="utf-8"
    )
    done = _lint(tmp_path / "src", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "dops.core.model -> dops.outputs.reporters" in done.stdout
