"""Built sites for the site tests: the sample records, and records written to attack the pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import REPO, once_per_run

AS_OF = "2026-11-24"
ARTIFACTS = REPO / "test-artifacts"
_ANYWHERE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", "node_modules")
# A records repository needs the installed package, not its source: the site is built without tools/,
# so the `dops` MkDocs plugin must come from its entry point.
_AT_TOP = {"site", "test-artifacts", "tools", "tests", "build", "dist"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = set(_ANYWHERE(folder, names))
    if Path(folder) == REPO:
        ignored |= _AT_TOP & set(names)
    return ignored


def copy_repo(target: Path) -> Path:
    shutil.copytree(REPO, target, ignore=_ignore)
    for generated in ("policy", "status"):
        shutil.rmtree(target / "docs" / generated, ignore_errors=True)
    return target


def build(root: Path) -> Path:
    """`mkdocs build --strict` in ``root``, as a user would run it; returns the site folder."""
    out = root / "site"
    environment = {**os.environ, "DOPS_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        # No -q: it drops warnings before --strict counts them, and a strict build that sees no warning
        # passes whatever they say (an edit_uri without repo_url warned on every page, unseen).
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return out


def built_once(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, prepare: Callable[[Path], Path]
) -> Path:
    """A site built once per test run, shared by the workers; ``prepare`` writes the repository it is built from."""
    folder = once_per_run(tmp_path_factory, worker_id, name, lambda into: build(prepare(into / "repo")) and None)
    return folder / "repo" / "site"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The site built from the bundled sample records."""
    return built_once(tmp_path_factory, worker_id, "sample", copy_repo)


HOSTILE = {
    "records/projects/PRJ-2026-099.yaml": """\
id: PRJ-2026-099
name: "<script>window.__xss = 'name'</script>攻击测试项目"
phase: execution
manager: EMP-0002
customer: {code: C-099, full_name: "<b>某客户</b>"}
started_on: 2026-09-01
execution_started_on: 2026-10-01
requirements:
  summary: "{{ config.site_name }} {% if true %}模板{% endif %}"
  goals: ["[点我](javascript:window.__xss='link')"]
  delivery_date: 2027-03-31
team:
  - person: EMP-0003
    role: project_specialist
    duty: "<img src=x onerror=\\"window.__xss='img'\\"> 数据迁移 | 第二列 | 第三列"
    joined_on: 2026-09-05
  - person: EMP-0099
    role: project_specialist
    duty: "<script>window.__xss = 'duty'</script>测试"
    joined_on: 2026-09-05
deviations:
  - id: D1
    found_on: 2026-11-20
    area: schedule
    description: "<iframe src=\\"javascript:window.__xss='iframe'\\"></iframe>接口延期"
    cause: "**粗体** _斜体_ `代码` <a href='javascript:window.__xss=1'>链接</a>"
    corrective_action: "| 破坏 | 表格 |\\n|---|---|"
feedback:
  - received_on: 2026-11-21
    summary: "<svg onload=\\"window.__xss='svg'\\"></svg>反馈 :smile: &amp; &lt;script&gt;"
retrospective:
  date: 2026-11-22
  participants: [EMP-0002, EMP-0099]
  summary: "<script>window.__xss = 'summary'</script>复盘总结 | 一 | 二 |"
  lessons:
    - "<img src=x onerror=\\"window.__xss='lesson'\\"> 教训 | 第二列 |\\n|---|---|"
    - "{{ config.site_name }} {% if true %}模板{% endif %} [点我](javascript:window.__xss='lesson-link')"
""",
    # A person whose name and title attack every page that names them: the person page, the people
    # index, the risk register and the project's team.
    "records/people/EMP-0099.yaml": """\
id: EMP-0099
name: "<script>window.__xss = 'person'</script>王<b>五</b>"
title: "<img src=x onerror=\\"window.__xss='title'\\"> | 专员 |"
roles: [project_specialist]
superior: EMP-0002
joined_on: 2026-09-01
status: active
""",
    "records/risks/RSK-2026-099.yaml": """\
id: RSK-2026-099
title: "<script>window.__xss = 'risk'</script>攻击测试风险"
project: PRJ-2026-099
category: technical
description: "<iframe src=\\"javascript:window.__xss='risk-iframe'\\"></iframe>接口 | 破坏 | 表格 |\\n|---|---|"
identified_on: 2026-11-02
identified_by: EMP-0099
likelihood: 4
impact: 5
owner: EMP-0099
status: open
responses:
  - id: R1
    type: technical_change
    action: "[点我](javascript:window.__xss='risk-link') **粗体**"
    owner: EMP-0099
    due: 2026-11-30
    checks:
      - date: 2026-11-20
        by: EMP-0002
        effective: false
        note: "<svg onload=\\"window.__xss='check'\\"></svg>{{ 7 * 7 }}"
""",
}


def _hostile_repo(target: Path) -> Path:
    root = copy_repo(target)
    for relative, content in HOSTILE.items():
        (root / relative).write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A site whose records try to run script, break tables and inject template syntax."""
    return built_once(tmp_path_factory, worker_id, "hostile", _hostile_repo)
