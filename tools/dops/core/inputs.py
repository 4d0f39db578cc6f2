"""The files a check reads, found and read once, and the cache's keys for them.

Which files (every record under the records folder, and any named on the command line), how the user
sees their paths, and their bytes: what a check computes from, and what the cache's keys are made of.
Kept in the core, so that answering an unchanged tree from the cache loads no rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from dops.core import cache, loader
from dops.core.config import CONFIG_NAME, Settings
from dops.core.kinds import RECORD_SUFFIXES
from dops.core.model import Finding
from dops.core.report import Outcome, Report

#: GitHub's code owners file: the check compares it with what the records say (8.2.4).
CODEOWNERS = ".github/CODEOWNERS"
#: sops's creation rules: the check compares them with who may read what (8.2.3).
SOPS_RULES = ".sops.yaml"


def discover(folder: Path) -> list[Path]:
    """Record files under ``folder``: *.yaml and *.yml, hidden ones skipped, sorted.

    Linked folders are not entered (a link loop cannot trap the walk); every other entry named like a
    record is returned, whatever it is: the loader turns links that lead nowhere, named pipes and the
    like into findings rather than opening them.
    """
    return [Path(path) for path, _ in _walk(folder)]


def _walk(folder: Path) -> list[tuple[str, str]]:
    """:func:`discover` as strings, with each file's path below ``folder`` (forward slashes).

    No pathlib: a Path costs more to make than the file costs to look at, ten thousand times over.
    """
    found: list[tuple[str, str]] = []
    top = os.fspath(folder)
    for current, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        below = os.path.relpath(current, top).replace(os.sep, "/")
        prefix = "" if below == "." else below + "/"
        found.extend(
            (os.path.join(current, name), prefix + name)
            for name in sorted(files)
            if name.endswith(RECORD_SUFFIXES) and not name.startswith(".")
        )
    return found


@functools.lru_cache(maxsize=8)
def _absolute(base: Path) -> str:
    return os.path.abspath(base).rstrip(os.sep) or os.sep


def relative(path: Path, base: Path) -> str | None:
    """``path`` inside ``base`` as the user sees it (forward slashes), or None when it lies elsewhere.

    A record reached through a symbolic link keeps the link's name, wherever the link points: the
    spelling is compared first, and only when it does not lie inside ``base`` are ``base`` and the
    folders above the file resolved (never the file itself). Never raises.
    """
    text, base_text = os.path.abspath(path), _absolute(base)
    if text.startswith(base_text) and text[len(base_text) : len(base_text) + 1] == os.sep:
        return text[len(base_text) + 1 :].replace(os.sep, "/")  # the common case, without pathlib
    absolute = Path(text)
    try:
        return absolute.relative_to(os.path.abspath(base)).as_posix()
    except ValueError:
        pass
    try:
        real_base = base.resolve()
        for candidate in (absolute, absolute.parent.resolve() / absolute.name):
            if candidate.is_relative_to(real_base):
                return candidate.relative_to(real_base).as_posix()
    except (OSError, RuntimeError):  # a link loop in the folders above
        pass
    return None


def printable_path(text: str) -> str:
    """``text`` with bytes that are not UTF-8 (undecodable file names) written as backslash escapes.

    Such names reach Python as lone surrogates, which no UTF-8 output can carry: a JSON report
    holding one would not be valid.
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_path(path: Path, root: Path) -> str:
    """Repository-relative with forward slashes, as the user sees it (a link by its own name), else as given."""
    return printable_path(relative(path, root) or path.as_posix())


@dataclass
class Inputs:
    """The files a run checks, read once: what it computes from, and the cache's keys for it."""

    files: list[str]  # each file's path, as the file system takes it
    shown: list[str]  # each file as the user sees it
    raw: list[tuple[bytes, int] | Finding | None]  # None: not read yet (see unread); none once fill() has run
    wanted: set[str] | None
    environment: str
    store: cache.Store | None
    tree: str = ""  # the digest of every file's path and bytes, when the cache is on
    max_bytes: int = 0
    digests: list[str] = field(default_factory=list)  # each file's, when the cache is on
    unread: list[int] = field(default_factory=list)  # files known by the stat index alone, not read yet

    def fill(self, indexes: list[int] | None = None) -> None:
        """Read the files the stat index vouched for (those of ``indexes``, or all): they are to be parsed.

        Should one have changed since it was looked at, its digest and the tree's are made afresh, so
        that what is kept under a key is always what was computed from the bytes the key names.
        """
        wanted = self.unread if indexes is None else [i for i in indexes if self.raw[i] is None]
        changed = False
        for i in wanted:
            got = loader.read_raw(self.files[i], self.max_bytes)
            self.raw[i] = got
            fresh = file_digest(got)
            if fresh != self.digests[i]:
                self.digests[i], changed = fresh, True
        done = set(wanted)
        self.unread = [i for i in self.unread if i not in done]
        if changed:
            self.tree = _tree(self.shown, self.digests)

    def report_key(self, as_of: dt.date) -> str:
        wanted = sorted(self.wanted) if self.wanted is not None else ["*"]
        return cache.digest("report", self.environment, self.tree, as_of.isoformat(), *wanted)

    def release(self) -> None:
        """Let go of the files' bytes once the records are read (a 10,000-record tree holds 40 MB of them)."""
        self.raw, self.unread = [], []
        if self.store is not None:
            self.store.release()

    def cached_report(self, as_of: dt.date) -> Report | None:
        """The report kept for exactly these files, settings, schemas, checker and date; None if there is none."""
        if self.store is None:
            return None
        hit = self.store.get_one(self.report_key(as_of))
        if hit is None:
            return None
        findings, files, records = hit
        return Report(findings=findings, files=files, as_of=as_of, record_total=records)

    def keep_report(self, report: Outcome) -> None:
        if self.store is not None:
            self.store.put_one(self.report_key(report.as_of), (report.findings, report.files, report.record_count))
            self.store.prune()


def environment(settings: Settings) -> str:
    """The cache's key for what a check reads besides the records (see :mod:`dops.core.cache`)."""
    named: list[tuple[str, bytes | None]] = []
    folder = settings.schemas_dir
    try:
        schema_files = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        schema_files = []
    named += [(f"{settings.schemas}/{p.name}", cache.file_bytes(p)) for p in schema_files]
    named += [(name, cache.file_bytes(settings.root / name)) for name in (CONFIG_NAME, CODEOWNERS, SOPS_RULES)]
    return cache.environment(repr(replace(settings, root=Path("."))), named)


def read(settings: Settings, paths: list[Path] | None = None, use_cache: bool = True) -> Inputs:
    """Find and read the files a check of ``paths`` (default: the whole records tree) reads: once."""
    walked = _walk(settings.records_dir) if settings.records_dir.is_dir() else []
    files = [path for path, _ in walked]
    base = relative(settings.records_dir, settings.root)  # the records folder as the user sees it
    prefix = "" if base in ("", ".") else f"{base}/"
    shown = [
        display_path(Path(path), settings.root) if base is None else printable_path(prefix + below)
        for path, below in walked
    ]
    wanted: set[str] | None = None
    if paths:
        explicit: list[Path] = []
        for given in paths:
            explicit.extend(discover(given) if given.is_dir() else [given])
        named = [(display_path(path, settings.root), path) for path in explicit]
        wanted = {name for name, _ in named}
        known = set(shown)
        extra = [(name, path) for name, path in named if name not in known]
        files += [os.fspath(path) for _, path in extra]
        shown += [name for name, _ in extra]
    folder = cache.folder() if use_cache else None
    if folder is None:
        raw = [loader.read_raw(path, settings.max_file_bytes) for path in files]
        return Inputs(files, shown, list(raw), wanted, "", None, max_bytes=settings.max_file_bytes)
    environment_key = environment(settings)
    store = cache.Store(folder, environment_key)
    read = Inputs(files, shown, [], wanted, environment_key, store, max_bytes=settings.max_file_bytes)
    _read_known(read, settings.root)
    return read


# The stat index: for each file, its size, times, inode and device when its bytes were last digested, and
# that digest. A file whose stat is unchanged is not read again to find its digest (as git's index does).
# Writing a file changes its ctime, which no program can set; a file changed within the timestamps'
# granularity of being digested (the "racy" case) is never vouched for, so it is read every time until
# it has been left alone for a while.
_RACY_NS = 2_000_000_000


def _signature(path: str) -> tuple[int, ...] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


def file_digest(got: tuple[bytes, int] | Finding) -> str:
    """What the cache knows a file by: its bytes and size, or why it cannot be read."""
    if isinstance(got, Finding):
        return cache.digest("unreadable", got.message.en)
    return cache.digest(str(got[1]), got[0])


def _tree(shown: list[str], digests: list[str]) -> str:
    return cache.digest(*(part for pair in zip(shown, digests, strict=True) for part in pair))


def _read_known(read: Inputs, root: Path) -> None:
    """Each file's digest, from the stat index where it vouches for the file, else from its bytes."""
    assert read.store is not None
    index_key = cache.digest("stat-index", os.path.abspath(root))
    index = read.store.get_one(index_key)
    if not isinstance(index, dict):
        index = {}
    now = time.time_ns()
    kept: dict[str, tuple[tuple[int, ...], str]] = {}
    read.raw = []
    for i, (path, shown) in enumerate(zip(read.files, read.shown, strict=True)):
        signature = _signature(path)
        known = index.get(shown)
        if signature is not None and known is not None and known[0] == signature:
            read.raw.append(None)  # read by fill(), when a check needs the bytes
            read.unread.append(i)
            read.digests.append(known[1])
            kept[shown] = known
            continue
        got = loader.read_raw(path, read.max_bytes)
        read.raw.append(got)
        read.digests.append(file_digest(got))
        if signature is not None and not isinstance(got, Finding) and now - signature[2] > _RACY_NS:
            kept[shown] = (signature, read.digests[-1])
    read.tree = _tree(read.shown, read.digests)
    if kept != index:
        read.store.put_one(index_key, kept)


__all__ = [
    "CODEOWNERS",
    "SOPS_RULES",
    "Inputs",
    "discover",
    "display_path",
    "environment",
    "file_digest",
    "printable_path",
    "read",
    "relative",
]
