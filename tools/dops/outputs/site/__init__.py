"""The published site's generated pages: the policy clause by clause, and status pages.

``generate()`` runs the checks once and writes plain Markdown files (Chinese
``x.md`` and English ``x.en.md``, the suffix layout of mkdocs-static-i18n)
into git-ignored folders under ``docs/``. MkDocs only renders them: a thin
hook calls ``generate()`` before each build, and ``dops site generate`` does
the same by hand. Pages are built from public views of the records (see
:mod:`dops.site.public`), never from the records themselves. Beside them goes
the calendar feed ``status/deadlines.ics`` (:mod:`dops.ical`), which MkDocs
copies as it is and the dashboard links to.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from dops.core.config import Settings
from dops.features.calendar import write_atomically
from dops.outputs.site.pages import build_pages
from dops.outputs.site.provenance import Provenance, provenance

GENERATED_FOLDERS = ("policy", "status")


@dataclass
class Generated:
    written: list[Path]
    unchanged: int
    removed: list[Path]
    errors: int
    warnings: int
    files: list[Path] = field(default_factory=list)  # other generated files (the calendar feed) rewritten
    provenance: Provenance | None = None  # the commit the pages were built from
    as_of: dt.date = dt.date.min  # the day the records were checked as of


def generate(
    settings: Settings,
    as_of: dt.date | None = None,
    docs: Path | None = None,
    site_url: str | None = None,
    repo_url: str | None = None,
    edit_uri: str | None = None,
) -> Generated:
    """Write the generated pages under ``docs`` (default: ``<root>/docs``).

    A file is rewritten only when its content changes, so ``mkdocs serve``
    does not rebuild in a loop; pages of records that no longer exist are removed.
    ``site_url`` is where the calendar's events link to (default: $DOPS_SITE_URL); ``repo_url``
    (default: $DOPS_REPO_URL) and the branch in ``edit_uri`` are where records' files and
    histories are linked to.
    """
    docs = docs or settings.root / "docs"
    repository = provenance(settings.root, repo_url or os.environ.get("DOPS_REPO_URL"), edit_uri)
    pages, result = build_pages(settings, as_of, site_url, repository)
    written: list[Path] = []
    files: list[Path] = []
    unchanged = 0
    wanted = set()
    for relative, content in pages.items():
        path = docs / relative
        wanted.add(path)
        if path.suffix != ".md":  # the calendar feed: bytes as they are (CRLF line ends), counted apart
            data = content.encode("utf-8")
            if not (path.is_file() and path.read_bytes() == data):
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(path, data)
                files.append(path)
            continue
        if path.is_file() and path.read_text(encoding="utf-8") == content:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content.encode("utf-8"))  # no half-written page, and no stray .tmp if it fails
        written.append(path)
    removed = []
    for folder in GENERATED_FOLDERS:
        for path in sorted((docs / folder).rglob("*.md")) if (docs / folder).is_dir() else []:
            if path not in wanted:
                path.unlink()
                removed.append(path)
    return Generated(written, unchanged, removed, result.errors, result.warnings, files, repository, result.as_of)
