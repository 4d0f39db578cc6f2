"""MkDocs hook: regenerate the policy and status pages from the records before each build.

Thin on purpose: the pages are plain Markdown written by ``dops.site.generate``,
so any MkDocs-compatible builder can render them once generated
(``dops site generate``). ``DOPS_AS_OF=YYYY-MM-DD`` fixes "today" for a
reproducible build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from dops.config import ConfigError, load_settings
from dops.site import generate
from dops.validation import SchemaProblem

log = logging.getLogger("mkdocs.hooks.dops")
_done: set[tuple] = set()


def on_pre_build(config, **kwargs) -> None:
    root = Path(config["config_file_path"]).resolve().parent
    as_of_text = os.environ.get("DOPS_AS_OF")
    try:
        as_of = dt.date.fromisoformat(as_of_text) if as_of_text else None
    except ValueError as err:
        raise PluginError(f"DOPS_AS_OF must be YYYY-MM-DD, not {as_of_text!r}") from err
    docs = Path(config["docs_dir"])
    key = (str(docs), _fingerprint(root), as_of_text)
    if key in _done:  # the i18n plugin builds once per language; the pages are the same
        return
    try:
        generated = generate(load_settings(root), as_of=as_of, docs=docs)
    except (ConfigError, SchemaProblem) as err:
        raise PluginError(f"dops: {err}") from err
    _done.add(key)
    log.info("dops: %d pages written, %d unchanged, %d removed; records: %d errors, %d warnings",
             len(generated.written), generated.unchanged, len(generated.removed), generated.errors, generated.warnings)


def _fingerprint(root: Path) -> tuple:
    stamps = []
    for folder in ("records", "schemas", "policy"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                stat = path.stat()
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    config = root / "dops.yaml"
    if config.is_file():
        stamps.append((str(config), config.stat().st_mtime_ns))
    return tuple(sorted(stamps))


def on_post_build(config, **kwargs) -> None:
    """Give each language build the sitemap Material's language menu fetches.

    mkdocs-static-i18n writes one sitemap, with alternates, at the site's root;
    Material asks for ``sitemap.xml`` at each language's root (``en/``).
    """
    site = Path(config["site_dir"])
    i18n = config.plugins.get("i18n")
    languages = i18n.config["languages"] if i18n is not None else []
    for language in languages:
        folder = site / language["locale"]
        if language.get("default") or not (folder / "index.html").exists():
            continue
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            if (site / name).exists():
                (folder / name).write_bytes((site / name).read_bytes())
