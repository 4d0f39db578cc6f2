"""Shared helpers: a throw-away repository with the real schemas and settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import FileLock

from dops import cli

REPO = Path(__file__).resolve().parent.parent
# Who commits in the git repositories the tests make, and no user or system git settings.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试 Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.com",
    "GIT_COMMITTER_NAME": "测试 Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True, scope="session")
def _cache_of_its_own():
    """The tests' cache lives in a folder of their own, never in the user's ``~/.cache``.

    It is shared by every test of a worker: many tests check the same records with different settings,
    schemas and dates, and an entry the cache must not reuse would make one of them fail.
    """
    before = os.environ.get("DOPS_CACHE_DIR")
    folder = tempfile.mkdtemp(prefix="dops-test-cache-")  # not under --basetemp, which some tests watch
    os.environ["DOPS_CACHE_DIR"] = folder
    yield
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("DOPS_CACHE_DIR", None)
    else:
        os.environ["DOPS_CACHE_DIR"] = before


def settings_in_clear() -> str:
    """The samples' dops.yaml with encryption not required: the settings of a repository whose records may be in
    clear, as most tests write them (the tests of encryption require it again)."""
    text = (REPO / "dops.yaml").read_text(encoding="utf-8")
    assert "\n  required: true\n" in text, "the samples' dops.yaml no longer requires encryption"
    return text.replace("\n  required: true\n", "\n  required: false\n")


def make_repo(target: Path, records: dict[str, str] | None = None) -> Path:
    """A minimal repository at ``target``: settings, schemas, policy text and ``records``."""
    shutil.copytree(REPO / "schemas", target / "schemas")
    shutil.copytree(REPO / "policy", target / "policy")
    (target / "dops.yaml").write_text(settings_in_clear(), encoding="utf-8")
    (target / "records").mkdir(exist_ok=True)
    for relative, text in (records or {}).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return target


@pytest.fixture
def repo(tmp_path: Path):
    """A factory: ``repo({"records/people/EMP-0001.yaml": "..."})`` → the repository's root."""

    def build(records: dict[str, str] | None = None) -> Path:
        return make_repo(tmp_path / "repo", records)

    return build


@dataclass
class Ran:
    """What a person sees of one `dops` run: the exit code and the two streams."""

    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


def run(root: Path, *args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Ran:
    """`dops ARGS` in ``root``, in this process: the command line as a user types it, without the start-up.

    Errors are mapped to exit codes by the command line itself (``DopsGroup``), exactly as in the
    installed command; :func:`run_installed` runs that, for the few tests where the process is the point.
    """
    before = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli.main, list(args), env=env, input=input, catch_exceptions=False)
    finally:
        os.chdir(before)
    return Ran(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


def run_installed(root: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
    """The installed command in a process of its own, as CI and pre-commit run it."""
    done = subprocess.run(
        [sys.executable, "-m", "dops", *args],
        cwd=root,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    return Ran(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), done.stdout)


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, make: Callable[[Path], None]
) -> Path:
    """A folder ``make`` fills once per test run, shared by the pytest-xdist workers.

    The first worker to ask makes it; the others wait for it, then use it.
    """
    if worker_id == "master":  # not under xdist: this process's own temporary folder
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # one folder per run, shared by its workers
    folder = shared / name
    with FileLock(str(shared / f"{name}.lock")):
        if not (shared / f"{name}.done").exists():
            folder.mkdir()
            make(folder)
            (shared / f"{name}.done").touch()
    return folder
