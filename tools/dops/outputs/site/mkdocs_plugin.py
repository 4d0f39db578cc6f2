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
import json
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from dops.core.config import load_settings
from dops.core.errors import DopsError
from dops.outputs.site import generate

log = logging.getLogger("mkdocs.plugins.dops")
# The i18n plugin builds once per language; the pages are the same, so they are written once per change.
_done: dict[tuple[object, ...], dict[str, Any]] = {}


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
        key = (str(docs), _fingerprint(root), as_of_text, config.repo_url, config.edit_uri)
        if key in _done:
            config.extra["dops"] = _done[key]
            return
        try:
            generated = generate(
                load_settings(root), as_of=as_of, docs=docs, repo_url=config.repo_url, edit_uri=config.edit_uri
            )
        except DopsError as err:
            raise PluginError(f"dops: {err.one_line()}") from err
        # Every page's footer says what it was built from (overrides/main.html reads this).
        origin = generated.provenance
        _done[key] = config.extra["dops"] = {
            "as_of": generated.as_of.isoformat(),
            "commit": origin.commit if origin else None,
            "short": origin.short if origin else None,
            "dirty": origin.dirty if origin else False,
            "commit_url": origin.commit_url() if origin else None,
        }
        log.info(
            "dops: %d pages written, %d unchanged, %d removed; records: %d errors, %d warnings",
            len(generated.written),
            generated.unchanged,
            len(generated.removed),
            generated.errors,
            generated.warnings,
        )

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Point a translated page's search at its own language's index (see :func:`split_search_index`).

        Material fetches ``search/search_index.json`` under the page's ``base`` and resolves each
        result's location against it. mkdocs-static-i18n gives every language the site's root as its
        base; a translated page's base becomes its language's root (``en/``).
        """
        locale = _translated_locale(config)
        if locale is None:
            return output
        return _CONFIG_BASE.sub(lambda m: f'{m.group(1)}"{m.group(2).rstrip("/")}/{locale}/"', output, count=1)

    @event_priority(-150)  # after mkdocs-static-i18n (-100), which builds the other languages and the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Give each language build the sitemap Material's language menu fetches, and its own search index.

        mkdocs-static-i18n writes one sitemap, with alternates, at the site's root;
        Material asks for ``sitemap.xml`` at each language's root (``en/``). It also
        writes one search index for every language, so that each search listed every
        result twice, once per language: once the last language is built, the index is
        split by language.
        """
        site = Path(config.site_dir)
        i18n: Any = config.plugins.get("i18n")
        languages = i18n.config["languages"] if i18n is not None else []
        translated = [
            language["locale"]
            for language in languages
            if not language.get("default") and (site / language["locale"] / "index.html").exists()
        ]
        for locale in translated:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).exists():
                    (site / locale / name).write_bytes((site / name).read_bytes())
        if translated and not getattr(i18n, "building", False):  # the outer build, every language done
            split_search_index(site, translated)


def _translated_locale(config: MkDocsConfig) -> str | None:
    """The language being built when it is not the default one (its pages live under ``<locale>/``)."""
    i18n: Any = config.plugins.get("i18n")
    if i18n is None:
        return None
    current = getattr(i18n, "current_language", None)
    for language in i18n.config["languages"]:
        if language["locale"] == current:
            return None if language.get("default") else str(current)
    return None


# Material's page configuration: {"annotate": null, "base": "../..", ...}
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": )"([^"]*)"')


def split_search_index(site: Path, locales: list[str]) -> None:
    """Give each translated language a search index of its own pages only, and the root the default's.

    ``search/search_index.json`` at the root holds every language's entries; an entry of a
    translated page has a location under ``<locale>/``. Those move to
    ``<locale>/search/search_index.json``, their locations relative to the language's root
    (where :meth:`DopsPlugin.on_post_page` points that language's pages).
    """
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = index.get("docs", [])
    by_locale: dict[str, list[dict[str, Any]]] = {locale: [] for locale in locales}
    default: list[dict[str, Any]] = []
    for entry in entries:
        location = str(entry.get("location", ""))
        locale = next((lc for lc in locales if location == lc or location.startswith(f"{lc}/")), None)
        if locale is None:
            default.append(entry)
        else:
            by_locale[locale].append({**entry, "location": location[len(locale) :].lstrip("/")})
    for locale, own in by_locale.items():
        target = site / locale / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": own}, ensure_ascii=False), encoding="utf-8")
    path.write_text(json.dumps({**index, "docs": default}, ensure_ascii=False), encoding="utf-8")


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
