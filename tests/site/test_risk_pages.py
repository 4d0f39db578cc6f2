"""The risk register, the page per risk and the CSV downloads, as the built site serves them."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_module
import io
import re

import pytest

from dops.core.config import load_settings
from dops.outputs.site import downloads, generate
from dops.outputs.site.public import confidential_values, public_view
from dops.rules import engine

from ..conftest import REPO
from .conftest import AS_OF, copy_repo
from .test_built_site import _scalars

LANGUAGES = (("", "zh"), ("en/", "en"))


def _result():
    return engine.run(load_settings(REPO), as_of=dt.date.fromisoformat(AS_OF))


def _risks() -> dict[str, dict]:
    """The sample risks as published: ID → public view."""
    settings = load_settings(REPO)
    schemas = engine.load_schemas(settings)
    return {r.id: public_view(r, schemas) for r in _result().records if r.kind == "risk" and r.valid}


def _article(path) -> str:
    return path.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]


def _csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte order mark, Excel would misread Chinese"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _risk_ids(fragment: str) -> list[str]:
    """The risks listed in rows of a table in ``fragment``, in order (each row's first link to a risk page)."""
    row = r'<tr>\s*<td[^>]*><span class="dops-risk"[^>]*></span><a href="[^"]*">(RSK-\d{4}-\d{3})</a>'
    return re.findall(row, fragment)


def test_every_risk_has_a_page_in_both_languages(sample_site):
    risks = _risks()
    assert len(risks) >= 20
    for prefix, lang in LANGUAGES:
        for risk_id, view in risks.items():
            page = sample_site / prefix / "status" / "risks" / risk_id / "index.html"
            assert page.is_file(), page
            article = html_module.unescape(_article(page))
            assert f"{risk_id} {view['title']}" in article, risk_id
            for response in view.get("responses", []):
                assert response["action"] in article, (risk_id, response["id"])
                for check in response.get("checks", []):
                    assert str(check["date"]) in article, (risk_id, response["id"], check["date"])
            assert f"records/risks/{risk_id}.yaml" in article  # the record file it comes from
            register = "风险登记册" if lang == "zh" else "Risk register"
            assert f'<a href="../">← {register}</a>' in article, risk_id


def test_a_risk_page_shows_the_due_dates_its_obligations_give(sample_site):
    """Each response's next check is the obligation's own due date, with its state (never worked out by the page)."""
    shown = 0
    for obligation in _result().obligations:
        if obligation.rule != "risk-response-checked" or not obligation.applicable or obligation.due is None:
            continue
        article = _article(sample_site / "en" / "status" / "risks" / obligation.record / "index.html")
        section = article.split(f">{obligation.subject.split('.')[0]} ", 1)[1]  # from the response's heading on
        assert f"{obligation.what.en}: " in html_module.unescape(section), obligation.key
        assert f"due {obligation.due}" in section, obligation.key
        shown += 1
    assert shown >= 10


def test_the_register_lists_open_risks_first_and_folds_the_closed_away(sample_site):
    risks = _risks()
    open_ids = {i for i, v in risks.items() if v["status"] == "open"}
    closed_ids = set(risks) - open_ids
    assert open_ids and closed_ids
    for prefix, _ in LANGUAGES:
        article = _article(sample_site / prefix / "status" / "risks" / "index.html")
        before, folded = article.split('<details class="dops-closed-risks">', 1)
        folded = folded.split("</details>", 1)[0]
        assert "<details" not in before and " open" not in folded.split(">", 1)[0]  # collapsed
        shown_open = _risk_ids(before)
        assert set(shown_open) == open_ids and len(shown_open) == len(open_ids)
        assert set(_risk_ids(folded)) == closed_ids
        scores = [risks[i]["likelihood"] * risks[i]["impact"] for i in shown_open]
        assert scores == sorted(scores, reverse=True)  # the highest score first
        assert "<th>Likelihood</th>" not in before and "<th>可能性</th>" not in before  # on the risk's page
        assert len(re.findall(r"<th[ >]", before.split("dops-risk-filter", 1)[1].split("</thead>")[0])) == 5


def test_the_register_groups_open_risks_for_readers_without_script(sample_site):
    risks = _risks()
    article = html_module.unescape(_article(sample_site / "en" / "status" / "risks" / "index.html"))
    groups = article.split('id="groups"', 1)[1]
    for risk_id, view in risks.items():
        found = risk_id in groups
        assert found == (view["status"] == "open"), risk_id
    owners = {v["owner"] for v in risks.values() if v["status"] == "open" and v.get("owner")}
    assert owners and all(owner in groups for owner in owners)


def test_records_link_risks_to_their_own_pages(sample_site):
    project = (sample_site / "status" / "projects" / "PRJ-2026-001" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../risks/RSK-2026-001/"' in project
    assert "risks/#RSK-" not in project
    register = _article(sample_site / "status" / "risks" / "index.html")
    assert 'href="RSK-2026-018/"' in register  # the heat map's table and the rows
    assert not re.search(r'href="#RSK-', register)


def test_the_register_csv_matches_the_page(sample_site):
    risks = _risks()
    for prefix, lang in LANGUAGES:
        rows = _csv(sample_site / prefix / "status" / "risks.csv")
        header, body = rows[0], rows[1:]
        assert header[0] == ("编号" if lang == "zh" else "ID")
        article = _article(sample_site / prefix / "status" / "risks" / "index.html")
        assert '<a href="../risks.csv">' in article
        assert [row[0] for row in body] == _risk_ids(article.split('id="groups"')[0])  # open, then closed
        by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
        title, score = ("风险", "分值") if lang == "zh" else ("Risk", "Score")
        for risk_id, view in risks.items():
            assert by_id[risk_id][title] == view["title"]
            assert by_id[risk_id][score] == str(view["likelihood"] * view["impact"])


def test_the_appraisal_and_training_csvs_match_their_pages(sample_site):
    for prefix, _ in LANGUAGES:
        status = sample_site / prefix / "status"
        appraisals = _csv(status / "appraisals.csv")
        page = html_module.unescape(_article(status / "appraisals" / "index.html"))
        assert 'href="../appraisals.csv"' in page
        table = page.split("<table>", 1)[1].split("</table>", 1)[0]
        page_rows = re.findall(r"<tr>\s*<td>(?:<a [^>]*>)?(EMP-\d{4}) ([^<]*)<", table)
        assert [tuple(row[:2]) for row in appraisals[1:]] == page_rows
        assert len(appraisals[0]) == len(re.findall(r"<th", table))

        sessions = _csv(status / "training-sessions.csv")
        page = html_module.unescape(_article(status / "training" / "index.html"))
        assert 'href="../training-sessions.csv"' in page and 'href="../training-people.csv"' in page
        listed = re.findall(r"<td>(TRS-\d{4}-\d{3})</td>\s*<td>(\d{4}-\d{2}-\d{2})</td>", page)
        assert [tuple(row[:2]) for row in sessions[1:]] == listed and listed
        people = _csv(status / "training-people.csv")
        attended = re.findall(r"<td>\d{4}-\d{2}-\d{2}</td>\s*<td>(TRS-\d{4}-\d{3}) ", page)
        assert sorted(row[3] for row in people[1:]) == sorted(attended) and attended


def test_no_confidential_value_reaches_a_csv(sample_site):
    settings = load_settings(REPO)
    schemas = engine.load_schemas(settings)
    hidden, shown = set(), set()
    for record in _result().records:
        hidden.update(confidential_values(record.data, schemas[record.kind].flat))
        view = public_view(record, schemas)
        shown.update(_scalars(view))
    secrets = {v for v in hidden - shown if len(v) >= 3 and v not in {"CNY", "True", "False"}}
    assert len(secrets) > 50
    files = sorted(sample_site.rglob("*.csv"))
    assert len(files) == 8  # four tables, two languages
    leaks = [(f.name, s) for f in files for s in secrets if s in f.read_text(encoding="utf-8-sig")]
    assert not leaks, leaks[:10]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("2026-11-24", "2026-11-24"),
        ("冷库 = 温控", "冷库 = 温控"),
        (12, "12"),
        (None, ""),
    ],
)
def test_a_cell_is_never_a_formula(value, written):
    assert downloads.cell(value) == written


HOSTILE_RISK = """\
id: RSK-2026-098
title: '=HYPERLINK("http://127.0.0.1/","点我")'
project: PRJ-2026-001
category: technical
description: "+cmd|' /C calc'!A0 <script>window.__xss = 1</script>"
identified_on: 2026-11-01
identified_by: EMP-0002
likelihood: 2
impact: 2
owner: EMP-0002
status: open
responses:
  - id: R1
    type: other
    action: "@SUM(1+1) | 破坏 | 表格"
    owner: EMP-0002
    due: 2026-11-20
    checks:
      - {date: 2026-11-21, by: EMP-0002, effective: true, note: "-2+3"}
"""


def test_a_hostile_risk_is_inert_in_the_csv_and_on_its_page(tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "records" / "risks" / "RSK-2026-098.yaml").write_text(HOSTILE_RISK, encoding="utf-8")
    generate(load_settings(root), as_of=dt.date.fromisoformat(AS_OF))
    status = root / "docs" / "status"
    for name in ("risks.csv", "risks.en.csv"):
        rows = _csv(status / name)
        row = next(r for r in rows if r[0] == "RSK-2026-098")
        assert row[1] == '\'=HYPERLINK("http://127.0.0.1/","点我")'
        assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    for page in ("risks/RSK-2026-098.md", "risks/RSK-2026-098.en.md", "risks.md"):
        text = (status / page).read_text(encoding="utf-8")
        assert "<script" not in text and "=HYPERLINK" not in text  # every character Markdown could act on, escaped
        assert "&#61;HYPERLINK" in text
    page = (status / "risks" / "RSK-2026-098.md").read_text(encoding="utf-8")
    assert "&#64;SUM(1+1) &#124; 破坏 &#124; 表格" in page.replace("&#40;", "(").replace("&#41;", ")")
