"""``dops keys``: write ``.sops.yaml`` from the records (8.2.3).

Who may read each file is computed in :mod:`dops.rules.recipients`, which the
rules ``sops-rules-current`` and ``recipients-current`` read too; this module
loads the records and writes the file, atomically, as ``dops codeowners`` does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dops.core.config import Settings
from dops.features.codeowners import load_records
from dops.rules.recipients import HEADER, PATH, Recipients, committed, compare, derive, render


def recipients(settings: Settings) -> tuple[Recipients, int]:
    """Who may read each record file, and how many record files did not parse (they are left out)."""
    records, unreadable = load_records(settings)
    return derive(settings, records), unreadable


def write(settings: Settings, content: str) -> bool:
    """Write ``.sops.yaml`` atomically; False when it already holds ``content``."""
    target = settings.root / PATH
    if target.is_file() and target.read_bytes() == content.encode("utf-8"):
        return False
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".sops.", suffix=".tmp")
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


__all__ = ["HEADER", "PATH", "committed", "compare", "recipients", "render", "write"]
