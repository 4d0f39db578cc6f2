"""``dops codeowners``: write ``.github/CODEOWNERS`` from the records (8.2.4).

What the file says is computed in :mod:`dops.rules.ownership`, which the rule
``codeowners-current`` reads too; this module loads the records and writes the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dops.core import inputs
from dops.core.config import Settings
from dops.core.model import Record
from dops.rules import engine
from dops.rules.ownership import HEADER, PATH, Difference, committed, compare, render


def load_records(settings: Settings) -> tuple[list[Record], int]:
    """Every record that parses (schema-valid or not), and how many files did not parse."""
    schemas = engine.load_schemas(settings)
    files = inputs.discover(settings.records_dir) if settings.records_dir.is_dir() else []
    records: list[Record] = []
    for path in files:
        record, _ = engine.load_record(path, settings, schemas)
        if record is not None:
            records.append(record)
    return records, len(files) - len(records)


def write(settings: Settings, content: str) -> bool:
    """Write the file atomically; False when it already holds ``content``."""
    target = settings.root / PATH
    if target.is_file() and target.read_bytes() == content.encode("utf-8"):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".CODEOWNERS.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _mode(target: Path) -> int:
    """The file's current permissions, or what a new file gets under the umask (mkstemp makes 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


__all__ = ["HEADER", "PATH", "Difference", "committed", "compare", "load_records", "render", "write"]
