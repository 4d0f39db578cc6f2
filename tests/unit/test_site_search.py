"""The dops plugin's fast search deduplication removes exactly what mkdocs-static-i18n's own method removes."""

from __future__ import annotations

import copy
import random
from types import SimpleNamespace
from typing import Any

from mkdocs_static_i18n.reconfigure import ExtendedPlugin

from dops.outputs.site.mkdocs_plugin import deduplicate_search_entries

LANGUAGES = ["zh", "en"]


def plugin_result(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What mkdocs-static-i18n's reconfigure_search_duplicates leaves."""
    entries = copy.deepcopy(entries)
    ExtendedPlugin.reconfigure_search_duplicates(SimpleNamespace(build_languages=LANGUAGES), entries)
    return entries


def department(rng: random.Random) -> list[dict[str, Any]]:
    """Default-language entries, then translated ones that often repeat them, with neighbours alike."""
    pages = [f"status/p{n}/" for n in range(rng.randint(0, 6))]
    defaults = [
        {
            "location": rng.choice(pages) + rng.choice(["", "#a", "#b"]),
            "title": rng.choice("TU"),
            "text": rng.choice("xy"),
        }
        for _ in range(rng.randint(0, 12) if pages else 0)
    ]
    translated = []
    for _ in range(rng.randint(0, 16)):
        base = (
            rng.choice(defaults) if defaults and rng.random() < 0.8 else {"location": "x/", "title": "T", "text": "x"}
        )
        entry = {**base, "location": rng.choice(LANGUAGES) + "/" + base["location"]}
        if rng.random() < 0.2:
            entry["boost"] = 0.5
        if entry not in translated:
            translated.append(entry)
    return defaults + translated


def test_same_entries_removed_as_the_plugin() -> None:
    removed = 0
    for seed in range(400):
        entries = department(random.Random(seed))
        fast = copy.deepcopy(entries)
        assert deduplicate_search_entries(fast, tuple(f"{lang}/" for lang in LANGUAGES)), seed
        assert fast == plugin_result(entries), seed
        removed += len(entries) - len(fast)
    assert removed > 400  # the departments do repeat entries across languages


def test_a_removed_entry_hides_the_next_one_as_in_the_plugin() -> None:
    entry = {"location": "status/a/", "title": "T", "text": "x"}
    entries = [entry, {**entry, "location": "en/status/a/"}, {**entry, "location": "zh/status/a/"}]
    fast = copy.deepcopy(entries)
    assert deduplicate_search_entries(fast, ("zh/", "en/"))
    assert fast == plugin_result(entries) == entries[:1] + entries[2:]


def test_declines_what_it_cannot_promise() -> None:
    entry = {"location": "status/a/", "title": "T", "text": "x"}
    translated = {**entry, "location": "en/status/a/"}
    for entries in ([translated, entry], [entry, translated, dict(translated)]):
        kept = copy.deepcopy(entries)
        assert not deduplicate_search_entries(kept, ("zh/", "en/"))
        assert kept == entries
