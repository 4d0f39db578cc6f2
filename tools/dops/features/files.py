"""Writing a file the way every dops command does: whole or not at all, keeping its permissions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace(target: Path, content: str) -> bool:
    """Write ``content`` to ``target`` atomically (a temporary file renamed over it); False when it already holds it.

    Line breaks are written as ``content`` has them. An existing file keeps its permissions; a new one gets
    what the umask gives (mkstemp alone would make it 0600).
    """
    data = content.encode("utf-8", "surrogatepass")
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _mode(target: Path) -> int:
    """The file's current permissions, or what a new file gets under the umask."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
