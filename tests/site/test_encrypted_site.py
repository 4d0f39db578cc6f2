"""The site from the encrypted samples (8.2.3): built without a key, it shows every record as with the key.

The site reads public fields only, so encrypting the confidential ones changes no record's page. What a
build without a key cannot know is the result of the three rules that read confidential values: the
dashboard says so in words, and only the pages that count those rules' results differ.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import REPO, run, sample_in_clear

DEMO_KEY = REPO / "keys" / "demo-samples-only.agekey"
AS_OF = "2026-11-24"
# The pages that count the results of budget-within (2.1.5) and review-outcome / -shortcomings-training (4.4).
COUNTING = {"policy/chapter-2", "policy/chapter-4", "status/index", "status/rules", "status/traceability"}


def _generate(tmp_path: Path, name: str, key: Path | None) -> dict[str, str]:
    root = tmp_path / name
    for folder in ("records", "schemas", "policy", "docs", "overrides"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("status", "__pycache__"))
    for file in ("dops.yaml", ".sops.yaml", "mkdocs.yml"):
        shutil.copy(REPO / file, root / file)
    done = run(root, "site", "generate", "--as-of", AS_OF, env={"SOPS_AGE_KEY_FILE": str(key) if key else None})
    assert done.returncode == 0, done.stderr
    return {
        path.relative_to(root / "docs").as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((root / "docs").rglob("*.md"))
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[dict[str, str], dict[str, str]]:
    folder = tmp_path_factory.mktemp("encrypted-site")
    return _generate(folder, "without-key", None), _generate(folder, "with-key", DEMO_KEY)


def test_without_a_key_every_record_page_is_the_one_the_key_gives(built):
    without, with_key = built
    assert without.keys() == with_key.keys()
    assert len(without) > 100
    differ = {page for page in without if without[page] != with_key[page]}
    assert {page.removesuffix(".en.md").removesuffix(".md") for page in differ} <= COUNTING
    assert {"status/index.md", "status/index.en.md"} <= differ  # the dashboard says what was skipped
    assert "Some checks were skipped for want of a key" in without["status/index.en.md"]
    assert "部分检查因没有密钥而跳过" in without["status/index.md"]
    assert "skipped for want of a key" not in with_key["status/index.en.md"]
    for page in ("status/index.en.md",):
        for rule in ("budget-within", "review-outcome", "review-shortcomings-training"):
            assert f"&#40;{rule}&#41;" in without[page]


def test_neither_build_shows_an_encrypted_or_a_decrypted_confidential_value(built):
    without, with_key = built
    review = sample_in_clear("records/reviews/REV-EMP-0002-2026Q2.yaml")
    project = sample_in_clear("records/projects/PRJ-2026-001.yaml")
    secrets = [
        "影像项目复盘、归档后关闭",  # an indicator's comment
        "邱明轩",  # a customer's assessor
        "桂南某冷链物流股份有限公司",  # a customer's full name
        "韦嘉明",  # the customer's contact
    ]
    assert all(secret in review + project for secret in secrets)
    for pages in (without, with_key):
        for page, text in pages.items():
            if page.startswith("status/rules"):
                continue  # the rules' documentation shows ENC[…] in its examples
            assert "ENC[AES256_GCM" not in text, page
            for secret in secrets:
                assert secret not in text, (page, secret)
