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
from collections import defaultdict
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
_done: dict[tuple[object, ...], dict[str, Any]] = {}


# mkdocs leaves Config.__init_subclass__ and BasePlugin.__init_subclass__ unannotated.
class DopsOptions(Config):  # type: ignore[no-untyped-call]
    """The plugin has no options: the records repository's ``dops.yaml`` holds the settings."""


class DopsPlugin(BasePlugin[DopsOptions]):  # type: ignore[no-untyped-call]
    """Generates ``docs/policy/`` and ``docs/status/`` from the records; gives each language its sitemap."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _load_search_dictionary()
        _speed_up_search_deduplication(config.plugins.get("i18n"))
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


SearchEntry = dict[str, Any]


def _speed_up_search_deduplication(i18n: Any) -> None:
    """Give mkdocs-static-i18n a linear-time equivalent of its search index deduplication.

    After the last language is built, the i18n plugin drops each translated search entry
    that repeats a default-language entry (same title and text, location ending alike).
    It compares every default entry with every translated one: 20,000 sections a language
    in a 10,000-record department make 90 million comparisons, about a minute. The same
    result comes from grouping the translated entries by title and text; where the fast
    path cannot promise the same list, the plugin's own method runs.
    """
    original = getattr(i18n, "reconfigure_search_duplicates", None)
    if original is None or getattr(original, "dops_fast", False):
        return

    def deduplicate(entries: list[SearchEntry]) -> None:
        prefixes = tuple(f"{lang}/" for lang in i18n.build_languages)
        if not deduplicate_search_entries(entries, prefixes):
            original(entries)

    deduplicate.dops_fast = True  # type: ignore[attr-defined]
    i18n.reconfigure_search_duplicates = deduplicate


def deduplicate_search_entries(entries: list[SearchEntry], prefixes: tuple[str, ...]) -> bool:
    """Remove from ``entries`` what mkdocs-static-i18n 1.3's ``reconfigure_search_duplicates`` removes.

    That method walks the translated entries (location under a language prefix) once for
    each default-language entry, removing the matches from the list it walks; removing one
    makes the walk skip the entry after it. This does the same walk over groups of equal
    title and text, with a linked list standing for the list it shrinks. It needs the
    translated entries after all the default ones (the order the languages are built in) and
    no two translated entries equal, so that removing one is removing that one; otherwise it
    changes nothing and returns False.
    """
    translated = [entry["location"].startswith(prefixes) for entry in entries]
    first = translated.index(True) if True in translated else len(entries)
    if not all(translated[first:]):
        return False
    defaults, targets = entries[:first], entries[first:]
    try:
        if len({json.dumps(entry, sort_keys=True) for entry in targets}) != len(targets):
            return False
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for place, entry in enumerate(targets):
            groups[(entry["title"], entry["text"])].append(place)
    except (TypeError, ValueError):  # an entry the fast path cannot key: let the plugin decide
        return False
    following = list(range(1, len(targets) + 1))  # the next entry still in the list (len: none)
    preceding = list(range(-1, len(targets) - 1))
    present = [True] * len(targets)
    for entry in defaults:
        skipped = -1
        for place in groups.get((entry["title"], entry["text"]), ()):
            if not present[place] or place == skipped:
                continue
            if targets[place]["location"].endswith(entry["location"]):
                present[place] = False
                after, before = following[place], preceding[place]
                if after < len(targets):
                    preceding[after] = before
                if before >= 0:
                    following[before] = after
                skipped = after  # the walk moves on past the entry that took this one's place
    entries[first:] = [entry for place, entry in enumerate(targets) if present[place]]
    return True


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
