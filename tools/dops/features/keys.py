"""``dops keys``: write ``.sops.yaml`` from the records (8.2.3).

Who may read each file is computed in :mod:`dops.rules.recipients`, which the
rules ``sops-rules-current`` and ``recipients-current`` read too; this module
loads the records and writes the file, atomically, as ``dops codeowners`` does.
"""

from __future__ import annotations

from dops.core.config import Settings
from dops.features import files
from dops.features.codeowners import load_records
from dops.rules.recipients import HEADER, PATH, Recipients, committed, compare, derive, render


def recipients(settings: Settings) -> tuple[Recipients, int]:
    """Who may read each record file, and how many record files did not parse (they are left out)."""
    records, unreadable = load_records(settings)
    return derive(settings, records), unreadable


def write(settings: Settings, content: str) -> bool:
    """Write ``.sops.yaml`` atomically; False when it already holds ``content``."""
    return files.replace(settings.root / PATH, content)


__all__ = ["HEADER", "PATH", "committed", "compare", "recipients", "render", "write"]
