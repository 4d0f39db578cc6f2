"""How the site names a clause by the start of its text (issue 10: English excerpts were cut mid-word)."""

from __future__ import annotations

from dops.outputs.site.text import excerpt

CLAUSE_EN = "The project manager holds a kickoff meeting with the team to set goals, duties and the plan."
CLAUSE_ZH = "组织项目团队成员进行项目启动会议，明确项目目标、任务分工和工作计划。"


def test_english_is_cut_after_a_whole_word():
    cut = excerpt(CLAUSE_EN, "en")
    assert cut.endswith("…") and len(cut) <= 61
    assert CLAUSE_EN.startswith(cut[:-1])
    assert CLAUSE_EN[len(cut) - 1] == " "  # the next character of the clause starts a new word


def test_chinese_is_cut_at_24_characters_without_a_trailing_mark():
    cut = excerpt(CLAUSE_ZH, "zh")
    assert cut == "组织项目团队成员进行项目启动会议，明确项目目标…"  # the 24th character, "、", is dropped


def test_a_short_text_is_shown_whole_without_an_ellipsis():
    assert excerpt("Applies to all staff.", "en") == "Applies to all staff."
    assert excerpt("  spaced\n out  ", "en") == "spaced out"
