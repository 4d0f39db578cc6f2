"""Shared helpers: a throw-away repository with the real schemas and settings."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def make_repo(target: Path, records: dict[str, str] | None = None) -> Path:
    """A minimal repository at ``target``: settings, schemas, policy text and ``records``."""
    shutil.copytree(REPO / "schemas", target / "schemas")
    shutil.copytree(REPO / "policy", target / "policy")
    shutil.copy(REPO / "dops.yaml", target / "dops.yaml")
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
