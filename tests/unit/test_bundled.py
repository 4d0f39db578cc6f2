"""The package's copies of the policy, schemas and clause list match the repository's."""

from __future__ import annotations

import shutil

from dops.core import bundled

from ..conftest import REPO


def test_the_shipped_copies_match_their_sources():
    assert bundled.drift(REPO) == []


def test_a_changed_source_is_reported_and_sync_repairs_it(tmp_path, monkeypatch):
    shutil.copytree(REPO / "policy", tmp_path / "policy")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    monkeypatch.setattr(bundled, "DATA", tmp_path / "data")
    assert bundled.sync(tmp_path)  # a first sync writes every copy
    assert bundled.drift(tmp_path) == []
    clause_list = tmp_path / "schemas" / "clauses.yaml"
    clause_list.write_text(clause_list.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    (tmp_path / "schemas" / "risk.schema.json").unlink()
    lines = bundled.drift(tmp_path)
    assert lines == [
        "dops/data/schemas/clauses.yaml: differs from schemas/clauses.yaml; run `python -m dops.core.schema_build`",
        (
            "dops/data/schemas/risk.schema.json: schemas/risk.schema.json no longer exists; "
            "run `python -m dops.core.schema_build`"
        ),
    ]
    assert bundled.main(["--check", str(tmp_path)]) == 1
    assert sorted(bundled.sync(tmp_path)) == ["schemas/clauses.yaml", "schemas/risk.schema.json"]
    assert bundled.main(["--check", str(tmp_path)]) == 0
