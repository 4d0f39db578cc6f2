"""``dops codeowners``: write ``.github/CODEOWNERS`` from the records (8.2.4).

What the file says is computed in :mod:`dops.rules.ownership`, which the rule
``codeowners-current`` reads too; this module loads the records and writes the file.
"""

from __future__ import annotations

from dops.core import inputs
from dops.core.config import Settings
from dops.core.model import Record
from dops.features import files
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
    """Write ``CODEOWNERS`` atomically; False when it already holds ``content``."""
    return files.replace(settings.root / PATH, content)


__all__ = ["HEADER", "PATH", "Difference", "committed", "compare", "load_records", "render", "write"]
