"""Reporters turn a check result into text, JSON or GitHub workflow commands.

The JSON output is versioned (``version``); fields are added, never renamed
or removed, without a version change. See README.md, "JSON output".
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import click

from dops import __version__
from dops.core.model import Finding
from dops.core.report import GateResult, Outcome
from dops.core.text import printable

JSON_VERSION = 1

# A notice (a rule skipped for want of a key) informs and never fails a check.
_SEVERITY_WORD = {"error": ("错误", "error"), "warning": ("警告", "warning"), "notice": ("提示", "notice")}
_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "notice": "blue"}
_SEVERITY_ICON = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}


def _clauses(finding: Finding, lang: str = "en") -> str:
    """The clauses cited; a record-integrity finding cites none and says so."""
    return ", ".join(finding.clauses) or ("记录完整性" if lang == "zh" else "record integrity")


def owner_line(finding: Finding, lang: str) -> str | None:
    """ "负责人：EMP-0002 李娜 · 截止 2026-11-24" / "Who must act: EMP-0002 李娜 · due 2026-11-24"."""
    if not finding.owner:
        return None
    who = printable(f"{finding.owner} {finding.owner_name}" if finding.owner_name else finding.owner)
    if lang == "zh":
        return f"负责人：{who}" + (f" · 截止 {finding.due.isoformat()}" if finding.due else "")
    return f"Who must act: {who}" + (f" · due {finding.due.isoformat()}" if finding.due else "")


def _by_file(found: Sequence[Finding], lang: str, style: Callable[..., str], quiet: bool = False) -> list[str]:
    """Findings grouped by file, each group followed by a blank line."""
    lines: list[str] = []
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in found:
        by_file[finding.file].append(finding)
    zh = lang == "zh"
    for file, findings in by_file.items():
        lines.append(style(printable(file), bold=True, underline=not quiet))
        for f in findings:
            word = _SEVERITY_WORD[f.severity][0 if zh else 1]
            where = f"{f.line}:{f.column}".ljust(7)
            if f.clauses:
                clause = f"[{'第 ' + _clauses(f) + ' 条' if zh else 'clause ' + _clauses(f)}]"
            else:
                clause = "[记录完整性]" if zh else "[record integrity]"
            colour = "bright_black" if quiet else _SEVERITY_COLOUR[f.severity]
            lines.append(
                f"  {where} {style(word, fg=colour, bold=not quiet)}  "
                f"{style(printable(f.rule), fg='cyan')}  {clause} {printable(f.message.get(lang))}"
            )
            if f.related_file:
                label = "相关" if zh else "see"
                lines.append(f"  {'':7}   ↳ {label}: {printable(f.related_file)}:{f.related_line}")
            who = owner_line(f, lang)
            if who:
                lines.append(f"  {'':7}   → {who}")
        lines.append("")
    return lines


#: The heading of the gate's second section, in both languages whatever --lang says.
PRE_EXISTING_HEADING = (
    "不阻断本次变更：已有的问题和其他记录上的日期提醒 / "
    "Not blocking this change: pre-existing findings and date reminders elsewhere"
)


def text(result: Outcome, lang: str, color: bool) -> str:
    """Human output, grouped by file, ``line:column severity rule [clauses] message``.

    Under ``--changed-since`` the findings that block come first; the ones that
    do not follow in a section of their own.
    """

    def style(value: str, *, fg: str | None = None, bold: bool | None = None, underline: bool | None = None) -> str:
        return click.style(value, fg=fg, bold=bold, underline=underline) if color else value

    zh = lang == "zh"
    lines = _by_file(result.findings, lang, style)
    if isinstance(result, GateResult):
        return "\n".join(lines + _gate_text(result, lang, style))
    total = result.files
    if zh:
        verdict = "符合制度" if result.errors == 0 else "不符合制度"
        summary = (
            f"检查了 {total} 个文件（截至 {result.as_of.isoformat()}）："
            f"{result.errors} 个错误，{result.warnings} 个警告。{verdict}。"
        )
    else:
        verdict = "compliant" if result.errors == 0 else "not compliant"
        summary = (
            f"Checked {total} file{'s' if total != 1 else ''} as of {result.as_of.isoformat()}: "
            f"{result.errors} error{'s' if result.errors != 1 else ''}, "
            f"{result.warnings} warning{'s' if result.warnings != 1 else ''}. {verdict.capitalize()}."
        )
    colour = "red" if result.errors else ("yellow" if result.warnings else "green")
    lines.append(style(summary, fg=colour, bold=True))
    return "\n".join(lines)


def _gate_text(result: GateResult, lang: str, style: Callable[..., str]) -> list[str]:
    lines: list[str] = []
    if result.pre_existing:
        rule = "─" * 3
        lines.append(style(f"{rule} {PRE_EXISTING_HEADING}: {len(result.pre_existing)} {rule}", bold=True))
        lines.append("")
        lines.extend(_by_file(result.pre_existing, lang, style, quiet=True))
    if result.note:
        lines.append(style(printable(result.note.get(lang)), fg="yellow"))
    base, changed, quiet = printable(result.merge_base[:12]), len(result.changed), len(result.pre_existing)
    since = printable(result.changed_since)
    if lang == "zh":
        verdict = "本次变更通过" if result.errors == 0 else "本次变更不通过"
        summary = (
            f"检查了 {result.files} 个文件（截至 {result.as_of.isoformat()}），与 {since} "
            f"的合并基准 {base} 相比改动了 {changed} 个文件：本次变更带来 {result.errors} 个错误，"
            f"{result.warnings} 个警告；另有 {quiet} 个问题不阻断。{verdict}。"
        )
    else:
        verdict = "The change passes" if result.errors == 0 else "The change fails"
        summary = (
            f"Checked {result.files} file{'s' if result.files != 1 else ''} as of {result.as_of.isoformat()} "
            f"against {base}, the merge base with {since} ({changed} "
            f"file{'s' if changed != 1 else ''} changed): the change brings {result.errors} "
            f"error{'s' if result.errors != 1 else ''}, {result.warnings} "
            f"warning{'s' if result.warnings != 1 else ''}; {quiet} more "
            f"finding{'s' if quiet != 1 else ''} do not block. {verdict}."
        )
    colour = "red" if result.errors else ("yellow" if result.warnings else "green")
    lines.append(style(summary, fg=colour, bold=True))
    return lines


def as_json(result: Outcome, lang: str, color: bool = False) -> str:
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "dops", "version": __version__},
        "lang": lang,
        "summary": result.summary(),
        "findings": [f.to_json(lang) for f in result.findings],
        "obligations": [o.to_json(lang) for o in result.obligations],
    }
    if result.pre_existing or isinstance(result, GateResult):
        document["pre_existing"] = [f.to_json(lang) for f in result.pre_existing]
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding, lang: str, level: str, note: str = "") -> str:
    title = printable(f"dops {f.rule} [{_clauses(f, lang)}]{note}")
    message = printable(f.message.get(lang))
    if f.related_file:
        message += f"\n({'相关' if lang == 'zh' else 'see'} {printable(f.related_file)}:{f.related_line})"
    who = owner_line(f, lang)
    if who:
        message += f"\n{who}"
    properties = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (("file", printable(f.file)), ("line", f.line or 1), ("col", f.column or 1), ("title", title))
    )
    return f"::{level} {properties}::{_escape_data(message)}"


def github(result: Outcome, lang: str, color: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per finding, always with a line.

    Under ``--changed-since`` the findings that do not block become ``::notice``
    annotations, titled as pre-existing: they never fail the step.
    """
    out = [_annotation(f, lang, f.severity) for f in result.findings]
    summary = (
        f"dops: {result.files} files, {result.errors} errors, {result.warnings} warnings"
        f" (as of {result.as_of.isoformat()})"
    )
    if isinstance(result, GateResult):
        out.extend(_annotation(f, lang, "notice", " (不阻断 / not blocking)") for f in result.pre_existing)
        summary += (
            f"; changed since {printable(result.changed_since)} (merge base {printable(result.merge_base[:12])}): "
            f"{len(result.changed)} files; {len(result.pre_existing)} findings do not block"
        )
    out.append(summary)
    return "\n".join(out)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~!#])")


def _cell(value: str) -> str:
    """Text for a Markdown table cell, shown as it is: no line breaks, column breaks, HTML, emphasis or controls."""
    value = printable(value.replace("\r", " ").replace("\n", " "))
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return escaped.replace("|", "&#124;")


def markdown(result: Outcome, lang: str, color: bool = False) -> str:
    """A Markdown report of every finding, for ``$GITHUB_STEP_SUMMARY`` (annotations stop at 10 per step)."""
    zh = lang == "zh"
    lines = [f"### {'dops 检查结果' if zh else 'dops check'}", ""]
    gate = getattr(result, "changed_since", None)
    if gate:  # only what the change brings decides; say so rather than "compliant"
        verdict = (
            ("✅ 本次变更没有引入问题。", "❌ 本次变更引入了问题。")
            if zh
            else ("✅ The change introduces no problem.", "❌ The change introduces problems.")
        )
    else:
        verdict = ("✅ 符合制度。", "❌ 不符合制度。") if zh else ("✅ Compliant.", "❌ Not compliant.")
    shown = verdict[0] if result.exit_code() == 0 else verdict[1]
    if zh:
        lines.append(
            f"截至 {result.as_of.isoformat()}，检查了 {result.files} 个文件：**{result.errors}** 个错误，"
            f"**{result.warnings}** 个警告。{shown}"
        )
    else:
        lines.append(
            f"As of {result.as_of.isoformat()}, {result.files} files checked: **{result.errors}** errors, "
            f"**{result.warnings}** warnings. {shown}"
        )
    sections = [(result.findings, "需要处理" if zh else "To fix")]
    if result.pre_existing:
        sections.append((result.pre_existing, "已有问题（不阻止合并）" if zh else "Pre-existing (not blocking)"))
    for findings, title in sections:
        if not findings:
            continue
        header = (
            ("级别", "规则", "条款", "位置", "说明", "负责人")
            if zh
            else ("Severity", "Rule", "Clauses", "Where", "Message", "Who must act")
        )
        lines += [
            "",
            f"#### {title} ({len(findings)})",
            "",
            "| " + " | ".join(header) + " |",
            "|---|---|---|---|---|---|",
        ]
        for f in findings:
            word = _SEVERITY_WORD[f.severity][0 if zh else 1]
            icon = _SEVERITY_ICON.get(f.severity, "⚠️")
            who = f"{f.owner} {f.owner_name or ''}".strip() if f.owner else "—"
            if f.owner and f.due:
                who += f" ({'截止' if zh else 'due'} {f.due.isoformat()})"
            lines.append(
                f"| {icon} {word} | `{f.rule}` | {_clauses(f, lang)} | {_cell(f.file)}:{f.line} | "
                f"{_cell(f.message.get(lang))} | {_cell(who)} |"
            )
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[Outcome, str, bool], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "markdown": markdown,
}
