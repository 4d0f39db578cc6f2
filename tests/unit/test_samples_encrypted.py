"""The committed samples keep no confidential value in clear (8.2.3), and the demo key opens them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from dops.core import confidential, kinds, loader, sops
from dops.core.model import Path as RecordPath
from dops.core.validation import load_schema

from ..conftest import REPO

SAMPLES = sorted((REPO / "records").rglob("*.yaml"))


def _leaves(data: object, path: RecordPath = ()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    elif data is not None:
        yield path, data


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_confidential_value_of_every_sample_is_encrypted(path: Path):
    kind = kinds.kind_of(path.stem)
    assert kind is not None
    fields = confidential.fields(load_schema(REPO / "schemas" / kind.schema_file, kind.schema_file).flat)
    parsed = loader.parse(path.read_bytes(), 1 << 20)
    assert isinstance(parsed, loader.Document)
    data = parsed.data
    block = data.pop(sops.BLOCK, None)
    covered = [(where, value) for where, value in _leaves(data) if fields.covers(where)]
    in_clear = [where for where, value in covered if not (isinstance(value, str) and sops.ENC.match(value))]
    assert not in_clear, f"in clear: {in_clear}"
    if covered:
        assert isinstance(block, dict) and sops.recipients_of(block), "encrypted values need their sops block"
        keyring = sops.keyring_from_env({"SOPS_AGE_KEY_FILE": str(REPO / "keys" / "demo-samples-only.agekey")})
        assert keyring is not None
        opened = sops.open_data(data, block, keyring)
        assert not opened.problems and not opened.locked
        assert opened.paths == {where for where, _ in covered}
    else:
        assert block is None  # a record with nothing confidential is not encrypted at all
