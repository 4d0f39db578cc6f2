"""The pages readers asked for (issue 10): a page per person, project pages that tell the story,
the lessons-learned library, and where every page comes from."""

from __future__ import annotations

import datetime as dt
import html as html_module
import os
import re
import subprocess
from pathlib import Path

import yaml

from dops.core import policy
from dops.core.config import load_settings
from dops.outputs.site.pages import build_pages
from dops.outputs.site.provenance import Provenance, branch_of, provenance
from dops.rules import engine

from ..conftest import GIT_ENV, REPO
from .conftest import AS_OF


def page_text(site: Path, page: str) -> str:
    """A built page's article as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    raw = (site / page).read_text(encoding="utf-8")
    article = raw.split("<article", 1)[1].split("</article>", 1)[0]
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def links(site: Path, page: str) -> list[str]:
    raw = (site / page).read_text(encoding="utf-8")
    article = raw.split("<article", 1)[1].split("</article>", 1)[0]
    return re.findall(r'<a[^>]+href="([^"]+)"', article)


def people() -> dict[str, dict]:
    found = {}
    for path in sorted((REPO / "records" / "people").glob("EMP-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = data
    return found


def test_every_person_has_a_page_in_both_languages_and_the_index_lists_them_by_role(sample_site):
    staff = people()
    for person_id, data in staff.items():
        for prefix in ("", "en/"):
            shown = page_text(sample_site, f"{prefix}status/people/{person_id}/index.html")
            assert f"{person_id} {data['name']}" in shown
    index = page_text(sample_site, "status/people/index.html")
    for role in ("部门负责人", "项目经理", "项目专员", "运营支持"):
        assert role in index
    assert all(person_id in index for person_id in staff)
    english = page_text(sample_site, "en/status/people/index.html")
    assert "Project manager" in english and "Overdue or violated" in english


def test_a_person_page_says_what_they_owe_overdue_first_and_since_when(sample_site):
    settings = load_settings(REPO)
    result = engine.run(settings, as_of=dt.date.fromisoformat(AS_OF))
    owing = {o.owner for o in result.obligations if o.lapsed and o.owner}
    assert owing, "the sample department has overdue items"
    person_id = sorted(owing)[0]
    lapsed = [o for o in result.owed_by(person_id) if o.lapsed]
    raw = (sample_site / f"en/status/people/{person_id}/index.html").read_text(encoding="utf-8")
    table = raw.split('id="owes"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    states = [re.search(r'data-state="(\w+)"', row).group(1) for row in rows]
    # Overdue and violated first, then the rest: the order a person works through.
    assert states[: len(lapsed)] == [o.state for o in lapsed]
    assert all(state not in ("overdue", "violated") for state in states[len(lapsed) :])
    first = lapsed[0]
    days = (result.as_of - first.due).days
    assert f"{days} days" in html_module.unescape(re.sub(r"<[^>]+>", "", rows[0]))
    assert str(first.due) in rows[0]


def test_a_person_page_shows_appraisals_done_or_due_never_their_result(sample_site):
    shown = page_text(sample_site, "status/people/EMP-0003/index.html")
    appraisals = shown.split("绩效考核", 1)[1].split("负责的风险", 1)[0]
    assert "2026Q3 完成" in appraisals and "待完成 截止 2027-01-15" in appraisals
    for word in ("得分", "等级", "score", "grade", "优秀", "良好"):
        assert word not in appraisals
    # Hours this year come from the sessions attended: TRS-2026-006 (12), -007 (2) and -010 (3).
    assert "2026 年参加培训 3 次，共 17 学时" in shown


def test_people_are_linked_wherever_they_are_named(sample_site):
    pages = ("status/projects/PRJ-2025-007/index.html", "status/appraisals/index.html", "status/training/index.html")
    for page in pages:
        targets = [href for href in links(sample_site, page) if "people/EMP-" in href]
        assert targets, page
        for href in targets:
            resolved = (sample_site / page).parent.joinpath(href.split("#")[0]).resolve()
            assert (resolved / "index.html").is_file(), (page, href)


def test_a_project_page_opens_with_its_state_and_who_must_act(sample_site):
    raw = (sample_site / "status/projects/PRJ-2026-003/index.html").read_text(encoding="utf-8")
    article = raw.split("<article", 1)[1]
    banner = article.split('<div class="admonition', 1)[1].split("</div>", 1)[0]
    at = article.index('<div class="admonition')
    assert article.index("<h1") < at < article.index("<h2")
    assert "验收" in banner and "逾期" in banner
    assert 'data-state="violated"' in banner or 'data-state="overdue"' in banner
    assert "../../people/EMP-0005/" in banner and "负责人" in banner
    back = article.split("<h1", 1)[0]
    assert 'href="../"' in back and "全部项目" in back


def test_a_closed_project_tells_its_whole_story(sample_site):
    for prefix, words in (
        ("", ("会议与汇报", "问题与上报", "验收", "经验教训", "调研阶段要实测专线带宽", "要求补充迁移前后影像数量")),
        ("en/", ("Meetings and reports", "Issues and escalations", "Acceptance", "Lessons learned", "Latest")),
    ):
        shown = page_text(sample_site, f"{prefix}status/projects/PRJ-2025-007/index.html")
        for word in words:
            assert word in shown, (prefix, word)
    shown = page_text(sample_site, "status/projects/PRJ-2025-007/index.html")
    # The escalation names who it went to, and the acceptance comment its rectification.
    assert "院区专线带宽只有 200M" in shown and "EMP-0001 孟庆国 2025-11-14" in shown
    assert "已补充逐日核对表" in shown
    # Meetings and reports: one row a month, not one row an entry.
    raw = (sample_site / "status/projects/PRJ-2025-007/index.html").read_text(encoding="utf-8")
    table = raw.split('id="activity"', 1)[1].split("</table>", 1)[0]
    record = yaml.safe_load((REPO / "records/projects/PRJ-2025-007.yaml").read_text(encoding="utf-8"))
    entries = [e for kind in ("meetings", "customer_reports", "status_reports") for e in record[kind]]
    months = {str(e["date"])[:7] for e in entries}
    assert len(entries) > 2 * len(months)
    assert len(re.findall(r"<tr>", table)) - 1 == len(months)
    assert "14 · 27" in html_module.unescape(table)


def test_the_lessons_library_gathers_every_retrospective(sample_site):
    lessons = {}
    for path in sorted((REPO / "records" / "projects").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lesson in (data.get("retrospective") or {}).get("lessons", []):
            lessons[lesson] = data["customer"]["code"]
    assert len(lessons) >= 4
    shown = page_text(sample_site, "status/lessons/index.html")
    assert f"{len(lessons)} 条经验教训" in shown
    for lesson, code in lessons.items():
        assert lesson in shown
        # Under its customer's heading.
        section = shown.split(f"客户 {code}", 1)[1]
        assert lesson in section
    assert "Lessons learned" in page_text(sample_site, "en/status/lessons/index.html")


def test_every_page_says_when_it_was_built_and_from_what(sample_site):
    for page in ("index.html", "status/index.html", "benchmarks/index.html", "status/people/EMP-0002/index.html"):
        raw = (sample_site / page).read_text(encoding="utf-8")
        assert f"本页按 {AS_OF} 的状态生成" in html_module.unescape(raw), page
    raw = (sample_site / "en/status/risks/index.html").read_text(encoding="utf-8")
    assert f"Built as of {AS_OF}, not from a git commit." in " ".join(html_module.unescape(raw).split())


def test_no_table_has_an_empty_header_row(sample_site):
    empty = [
        str(page.relative_to(sample_site))
        for page in sample_site.rglob("*.html")
        for head in re.findall(r"<thead>(.*?)</thead>", page.read_text(encoding="utf-8"), re.S)
        if not re.sub(r"<[^>]+>|\s", "", head)
    ]
    assert not empty, empty[:10]


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def test_provenance_names_the_commit_and_whether_records_changed_since(tmp_path):
    root = tmp_path / "repo"
    (root / "records").mkdir(parents=True)
    (root / "records" / "a.yaml").write_text("id: A\n", encoding="utf-8")
    assert provenance(root).commit is None or provenance(root).commit  # outside git: whatever CI says
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    head = _git(root, "rev-parse", "HEAD")
    found = provenance(root, "https://git.example.com/dept/records.git", "edit/trunk/docs/")
    assert (found.commit, found.dirty, found.repo_url, found.branch) == (
        head,
        False,
        "https://git.example.com/dept/records",
        "trunk",
    )
    assert found.file_url("records/a.yaml") == f"https://git.example.com/dept/records/blob/{head}/records/a.yaml"
    assert found.history_url("records/a.yaml") == "https://git.example.com/dept/records/commits/trunk/records/a.yaml"
    (root / "records" / "a.yaml").write_text("id: B\n", encoding="utf-8")
    assert provenance(root).dirty
    assert provenance(root, "javascript:alert(1)").repo_url is None  # only a web address is linked
    assert branch_of(None) == "main" and branch_of("-/edit/develop/docs/") == "develop"


def test_a_record_page_links_to_its_file_and_history_at_the_commit():
    settings = load_settings(REPO)
    origin = Provenance("0123456789abcdef0123456789abcdef01234567", False, "https://github.com/dept/records", "main")
    pages, _ = build_pages(settings, dt.date.fromisoformat(AS_OF), None, origin)
    project = pages["status/projects/PRJ-2025-007.md"]
    assert "Record file" not in project and "记录文件：`records/projects/PRJ-2025-007.yaml`" in project
    assert (
        "[查看文件](https://github.com/dept/records/blob/0123456789abcdef0123456789abcdef01234567/"
        "records/projects/PRJ-2025-007.yaml)" in project
    )
    assert "[修改历史](https://github.com/dept/records/commits/main/records/projects/PRJ-2025-007.yaml)" in project
    assert "版本 `0123456789ab`" in project
    english = pages["status/people/EMP-0002.en.md"]
    assert "[history](https://github.com/dept/records/commits/main/records/people/EMP-0002.yaml)" in english


def test_the_workflow_checklist_gives_each_clause_whole(sample_site):
    """Issue 10: English clause texts were cut at 20 characters; a reader needs the whole duty."""
    clauses = policy.clauses(REPO)
    for prefix, lang in (("", "zh"), ("en/", "en")):
        shown = page_text(sample_site, f"{prefix}status/projects/PRJ-2026-005/index.html")
        for clause_id in ("3.1.1", "3.3.3", "3.4.4"):
            whole = " ".join(clauses[clause_id].text[lang].split())
            assert whole in shown, (lang, clause_id)
