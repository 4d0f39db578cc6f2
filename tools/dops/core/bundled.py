"""What the package ships of a records repository: the policy text, the schemas and the clause list.

``dops rules`` and ``dops explain`` work outside any repository by reading these
copies, and the settings are always checked against the package's own
``config.schema.json``. The copies live in ``dops/data/`` and are written from the
repository's ``policy/`` and ``schemas/`` by ``python -m dops.core.schema_build``
(with the schemas themselves); ``--check`` (a step of CI) fails when one has drifted.
"""

from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
#: Repository-relative sources copied into the package, by folder and file pattern.
SOURCES = (("policy", "policy.*.md"), ("schemas", "*.schema.json"), ("schemas", "clauses.yaml"))


def path(*parts: str) -> Path:
    """A shipped file, e.g. ``path("schemas", "config.schema.json")``."""
    return DATA.joinpath(*parts)


def expected(root: Path) -> dict[str, bytes]:
    """Repository-relative path → the bytes the package should ship, read from the repository at ``root``."""
    return {
        f"{folder}/{source.name}": source.read_bytes()
        for folder, pattern in SOURCES
        for source in sorted((root / folder).glob(pattern))
    }


def drift(root: Path) -> list[str]:
    """One line per shipped file that differs from its source, is missing, or has no source."""
    wanted = expected(root)
    shipped = {f"{folder}/{found.name}" for folder, pattern in SOURCES for found in (DATA / folder).glob(pattern)}
    lines = []
    for name, content in wanted.items():
        copy = DATA / name
        if not copy.is_file():
            lines.append(f"dops/data/{name}: missing; run `python -m dops.core.schema_build`")
        elif copy.read_bytes() != content:
            lines.append(f"dops/data/{name}: differs from {name}; run `python -m dops.core.schema_build`")
    lines += [
        f"dops/data/{name}: {name} no longer exists; run `python -m dops.core.schema_build`"
        for name in sorted(shipped - set(wanted))
    ]
    return lines


def sync(root: Path) -> list[str]:
    """Write the copies that differ, remove the ones without a source; the paths changed."""
    wanted = expected(root)
    changed = []
    for name, content in wanted.items():
        copy = DATA / name
        if not (copy.is_file() and copy.read_bytes() == content):
            copy.parent.mkdir(parents=True, exist_ok=True)
            temporary = copy.with_name(copy.name + ".tmp")
            temporary.write_bytes(content)
            temporary.replace(copy)
            changed.append(name)
    for folder, pattern in SOURCES:
        for found in sorted((DATA / folder).glob(pattern)):
            if f"{folder}/{found.name}" not in wanted:
                found.unlink()
                changed.append(f"{folder}/{found.name}")
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m dops.core.bundled [--check] [ROOT]``: 0 in step, 1 drift (with --check)."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    root = Path(rest[0]) if rest else Path.cwd()
    if check:
        lines = drift(root)
        for line in lines:
            print(line, file=sys.stderr)
        return 1 if lines else 0
    for name in sync(root):
        print(f"dops/data/{name} updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
