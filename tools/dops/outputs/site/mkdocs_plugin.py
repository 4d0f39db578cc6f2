"""The MkDocs plugin ``dops``: regenerate the policy and status pages from the records before each build.

The only MkDocs-specific code of the package, thin on purpose: the pages are plain
Markdown written by :func:`dops.outputs.site.generate` (``dops site generate``
does the same by hand), so another builder can render them. Registered by the
``mkdocs.plugins`` entry point, so a records repository needs only ``plugins: [dops]``
in ``mkdocs.yml`` and the installed package, not this source tree.
``DOPS_AS_OF=YYYY-MM-DD`` fixes "today" for a reproducible build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from dops.core.config import load_settings
from dops.core.errors import DopsError
from dops.outputs.site import generate

log = logging.getLogger("mkdocs.plugins.dops")
# The i18n plugin builds once per language; the pages are the same, so they are written once per change.
_done: set[tuple[object, ...]] = set()


# mkdocs leaves Config.__init_subclass__ and BasePlugin.__init_subclass__ unannotated.
class DopsOptions(Config):  # type: ignore[no-untyped-call]
    """The plugin has no options: the records repository's ``dops.yaml`` holds the settings."""


class DopsPlugin(BasePlugin[DopsOptions]):  # type: ignore[no-untyped-call]
    """Generates ``docs/policy/`` and ``docs/status/`` from the records; gives each language its sitemap."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _load_search_dictionary()
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path).resolve().parent
        as_of_text = os.environ.get("DOPS_AS_OF")
        try:
            as_of = dt.date.fromisoformat(as_of_text) if as_of_text else None
        except ValueError as err:
            raise PluginError(f"DOPS_AS_OF must be YYYY-MM-DD, not {as_of_text!r}") from err
        docs = Path(config.docs_dir)
        key = (str(docs), _fingerprint(root), as_of_text)
        if key in _done:
            return
        try:
            generated = generate(load_settings(root), as_of=as_of, docs=docs)
        except DopsError as err:
            raise PluginError(f"dops: {err.one_line()}") from err
        _done.add(key)
        log.info(
            "dops: %d pages written, %d unchanged, %d removed; records: %d errors, %d warnings",
            len(generated.written),
            generated.unchanged,
            len(generated.removed),
            generated.errors,
            generated.warnings,
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Give each language build the sitemap Material's language menu fetches.

        mkdocs-static-i18n writes one sitemap, with alternates, at the site's root;
        Material asks for ``sitemap.xml`` at each language's root (``en/``).
        """
        site = Path(config.site_dir)
        i18n: Any = config.plugins.get("i18n")
        languages = i18n.config["languages"] if i18n is not None else []
        for language in languages:
            folder = site / language["locale"]
            if language.get("default") or not (folder / "index.html").exists():
                continue
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).exists():
                    (folder / name).write_bytes((site / name).read_bytes())


def _load_search_dictionary() -> None:
    """Teach jieba (Material's Chinese search) the compounds to split, e.g. 绩效考核 → 考核."""
    try:
        import jieba
    except ImportError:
        return
    with resources.as_file(resources.files("dops.outputs.site") / "jieba_user.txt") as path:
        jieba.load_userdict(str(path))


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for folder in ("records", "schemas", "policy"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                stat = path.stat()
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    config = root / "dops.yaml"
    if config.is_file():
        stat = config.stat()
        stamps.append((str(config), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))
