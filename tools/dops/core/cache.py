"""A cache outside git for what a check costs: parsed records, and whole reports of an unchanged tree.

An entry's name is a hash of everything its value was computed from, so an entry can be missing but
never stale:

* the **tool**: the dops version and the size and modification time of every file of the running
  package (editing the checker is a new tool);
* the **environment**: the settings as loaded (without the folder they were found in), and the bytes of
  every schema file, of ``dops.yaml``, of ``.github/CODEOWNERS`` and of ``.sops.yaml``;
* for a record, its **path as shown** and its **bytes**; for a report, the paths and bytes of every file
  checked, the date checked as of, and the files asked about.

Entries are pickles in a folder only the user can read (``$DOPS_CACHE_DIR``, else
``$XDG_CACHE_HOME/dops``, else ``~/.cache/dops``), written whole (a temporary file renamed into place),
so a crash or a concurrent run leaves an old entry or none. An entry that cannot be read is a miss; a
cache that cannot be written is skipped. ``DOPS_NO_CACHE=1`` (or ``dops check --no-cache``) turns it
off. Pickles run code when loaded: the folder is created owner-only, and a folder another user can
write to is not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dops

#: Bumped when what an entry holds changes shape.
FORMAT = 1
#: Entry folders of an environment not used for this long are removed (the tool or a schema changed).
STALE_DAYS = 14


def digest(*parts: bytes | str) -> str:
    """A short, collision-resistant name for ``parts`` (BLAKE2b, 128 bits), each part length-prefixed."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.lru_cache(maxsize=1)
def tool_key() -> str:
    """The running dops: its version and every file of its package, by size and modification time."""
    package = Path(dops.__file__).parent
    parts: list[str] = [dops.__version__, str(FORMAT)]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml", ".md") and "__pycache__" not in path.parts:
            status = path.stat()
            parts.append(f"{path.relative_to(package).as_posix()}:{status.st_size}:{status.st_mtime_ns}")
    return digest(*parts)


def file_bytes(path: Path) -> bytes | None:
    """A regular file's bytes, or None (missing, not a regular file, unreadable): never blocks on a pipe."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def folder() -> Path | None:
    """Where entries live; None when the cache is off."""
    if os.environ.get("DOPS_NO_CACHE", "") not in ("", "0"):
        return None
    given = os.environ.get("DOPS_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dops"


class Store:
    """Entries of one environment, by a key from :func:`digest`.

    Parsed records (``get``/``put``, then ``flush``) are kept in 64 shards, each one file holding the
    pickled entries of the keys that fall into it: a cold run writes 64 files, not one per record, and
    a run that changed one record rewrites one shard, keeping only the entries that run used (an old
    version of a record is dropped as it is replaced). An entry is unpickled only when asked for.
    Answers kept whole (``get_one``/``put_one``: a report, the merge base's findings) are files of their own.
    """

    SHARDS = 64

    def __init__(self, root: Path, environment: str) -> None:
        self.root = root
        self.path = root / f"v{FORMAT}-{environment}"
        self.usable = self._prepare()
        self._shards: dict[int, dict[str, bytes]] = {}
        self._used: dict[int, set[str]] = {}
        self._dirty: set[int] = set()

    def _prepare(self) -> bool:
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            owned = self.root.stat()
            if owned.st_uid != os.getuid() or owned.st_mode & 0o022:
                return False  # someone else could plant a pickle here
            self.path.mkdir(mode=0o700, exist_ok=True)
            os.utime(self.path)  # in use: see prune()
        except OSError:
            return False
        return True

    def _shard(self, key: str) -> tuple[int, dict[str, bytes]]:
        number = int(key[:4], 16) % self.SHARDS
        shard = self._shards.get(number)
        if shard is None:
            loaded = self._read(self.path / f"records-{number:02d}")
            shard = loaded if isinstance(loaded, dict) else {}
            self._shards[number] = shard
            self._used[number] = set()
        return number, shard

    def get(self, key: str) -> Any | None:
        if not self.usable:
            return None
        number, shard = self._shard(key)
        data = shard.get(key)
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # a torn or foreign entry is a miss, and is rewritten
            return None
        self._used[number].add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.put_pickled(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, key: str, data: bytes) -> None:
        """:meth:`put` for a value already pickled (by a worker process)."""
        if not self.usable:
            return
        number, shard = self._shard(key)
        shard[key] = data
        self._used[number].add(key)
        self._dirty.add(number)

    def flush(self) -> None:
        """Write the shards that got new entries, each with the entries this run used."""
        for number in sorted(self._dirty):
            shard, used = self._shards[number], self._used[number]
            self._write(self.path / f"records-{number:02d}", {key: shard[key] for key in used if key in shard})
        self._dirty.clear()

    def release(self) -> None:
        """Forget the shards read so far (after :meth:`flush`): their entries are in use or not needed."""
        self.flush()
        self._shards.clear()
        self._used.clear()

    def get_one(self, key: str) -> Any | None:
        return self._read(self.path / f"one-{key}") if self.usable else None

    def put_one(self, key: str, value: Any) -> None:
        if self.usable:
            self._write(self.path / f"one-{key}", value)

    def _read(self, path: Path) -> Any | None:
        try:
            with open(path, "rb") as stream:
                return pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception:  # a torn or foreign file is a miss, and is rewritten
            return None

    def _write(self, target: Path, value: Any) -> None:
        temporary = target.with_name(f".tmp-{os.getpid()}-{target.name}")
        try:
            with open(temporary, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except OSError:
            temporary.unlink(missing_ok=True)
            self.usable = False  # a full or read-only disk: carry on without the cache

    def prune(self, now: float | None = None) -> None:
        """Remove environments and whole answers not used for :data:`STALE_DAYS` days."""
        if not self.usable:
            return
        limit = (now or time.time()) - STALE_DAYS * 86400
        try:
            old = [p for p in self.root.iterdir() if p.is_dir() and p != self.path and p.stat().st_mtime < limit]
            old_answers = [p for p in self.path.glob("one-*") if p.stat().st_mtime < limit]
        except OSError:
            return
        for path in old:
            shutil.rmtree(path, ignore_errors=True)  # never follows a link out of the cache
        for path in old_answers:
            path.unlink(missing_ok=True)


def environment(settings_repr: str, files: Iterable[tuple[str, bytes | None]]) -> str:
    """The key of everything a check reads besides the records: tool, settings and named files."""
    parts: list[bytes | str] = [tool_key(), settings_repr]
    for name, content in files:
        parts += [name, b"-" if content is None else b"+" + content]
    return digest(*parts)


__all__ = ["FORMAT", "Store", "digest", "environment", "file_bytes", "folder", "tool_key"]
