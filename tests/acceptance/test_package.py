"""The package on its own: a wheel in a fresh virtual environment, outside any repository.

`dops --help`, `dops rules` and `dops explain 3.4.4` work with nothing but the installed
wheel (it ships the settings' schema, the policy text and the templates), and `mkdocs build`
works in a records repository that has no `tools/` folder: the site part is the `dops`
plugin, found through its entry point.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, once_per_run
from ..site.conftest import AS_OF, copy_repo


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def wheel_env(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A new virtual environment with the dops wheel, made once per run; its dependencies come from here."""
    return once_per_run(tmp_path_factory, worker_id, "wheel", _make_wheel_env) / "venv"


def _make_wheel_env(work: Path) -> None:
    # Built from a copy of the source, so that nothing is written into the checkout.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "tools", source / "tools", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        work / "dist",
        source,
        cwd=work,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((work / "dist").glob("dops-*.whl"))
    venv = work / "venv"
    # No pip of its own (thousands of files): this environment's pip installs into it.
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    installed = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        venv / "bin" / "python",
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=work,
    )
    assert installed.returncode == 0, installed.stderr
    # The dependencies (click, PyYAML, MkDocs, …) are those the lock installed here: a path entry, not a
    # site folder, so the editable install of this checkout stays invisible to the new environment.
    purelib = _run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work)
    Path(purelib.stdout.strip(), "zz_test_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )


def test_the_wheel_is_used_not_this_checkout(wheel_env, tmp_path):
    where = _run(wheel_env / "bin" / "python", "-c", "import dops; print(dops.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(wheel_env), where.stdout + where.stderr


def test_help_rules_and_explain_work_outside_any_repository(wheel_env, tmp_path):
    dops = wheel_env / "bin" / "dops"
    help_text = _run(dops, "--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "check" in help_text.stdout
    listed = _run(dops, "rules", "--lang", "en", cwd=tmp_path)
    assert listed.returncode == 0 and "project-retrospective" in listed.stdout
    explained = _run(dops, "explain", "3.4.4", cwd=tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert "复盘" in explained.stdout and "project-retrospective" in explained.stdout
    outside = _run(dops, "check", cwd=tmp_path)
    assert outside.returncode == 2 and "dops.yaml" in outside.stderr and "Traceback" not in outside.stderr


def test_the_wheel_writes_the_site_pages_of_a_repository_without_the_source_tree(wheel_env, tmp_path):
    root = copy_repo(tmp_path / "repo")
    assert not (root / "tools").exists()
    generated = _run(wheel_env / "bin" / "dops", "site", "generate", "--as-of", AS_OF, cwd=root)
    assert generated.returncode == 0, generated.stderr
    assert "3.4.4" in (root / "docs" / "policy" / "chapter-3.md").read_text(encoding="utf-8")
    assert (root / "docs" / "status" / "projects" / "PRJ-2026-003.en.md").is_file()


def test_mkdocs_finds_the_plugin_in_the_wheel_by_its_entry_point(wheel_env, tmp_path):
    # The whole build without tools/ on disk is the site tests' own fixture (tests/site/conftest.py).
    script = (
        "from importlib.metadata import entry_points; import sys; "
        "plugin = entry_points(group='mkdocs.plugins')['dops'].load(); "
        "print(sys.modules[plugin.__module__].__file__)"
    )
    found = _run(wheel_env / "bin" / "python", "-c", script, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(wheel_env)
