"""Reporters turn a check result into text, JSON or GitHub workflow commands.

The JSON output is versioned (``version``); fields are added, never renamed
or removed, without a version change. See README.md, "JSON output".
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Callable

import click

from . import __version__
from .engine import Result
from .model import Finding

JSON_VERSION = 1

_SEVERITY_WORD = {"error": ("错误", "error"), "warning": ("警告", "warning")}
_SEVERITY_COLOUR = {"error": "red", "warning": "yellow"}


def _clauses(finding: Finding) -> str:
    return ", ".join(finding.clauses)


def text(result: Result, lang: str, color: bool) -> str:
    """Human output, grouped by file, ``line:column severity rule [clauses] message``."""
    lines: list[str] = []
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.file].append(finding)

    def style(value: str, **kwargs) -> str:
        return click.style(value, **kwargs) if color else value

    zh = lang == "zh"
    for file, findings in by_file.items():
        lines.append(style(file, bold=True, underline=True))
        for f in findings:
            word = _SEVERITY_WORD[f.severity][0 if zh else 1]
            where = f"{f.line}:{f.column}".ljust(7)
            clause = f"[{'第 ' + _clauses(f) + ' 条' if zh else 'clause ' + _clauses(f)}]"
            lines.append(f"  {where} {style(word, fg=_SEVERITY_COLOUR[f.severity], bold=True)}  "
                         f"{style(f.rule, fg='cyan')}  {clause} {f.message.get(lang)}")
            if f.related_file:
                label = "相关" if zh else "see"
                lines.append(f"  {'':7}   ↳ {label}: {f.related_file}:{f.related_line}")
        lines.append("")
    total = result.files
    if zh:
        verdict = "符合制度" if result.errors == 0 else "不符合制度"
        summary = (f"检查了 {total} 个文件（截至 {result.as_of.isoformat()}）："
                   f"{result.errors} 个错误，{result.warnings} 个警告。{verdict}。")
    else:
        verdict = "compliant" if result.errors == 0 else "not compliant"
        summary = (f"Checked {total} file{'s' if total != 1 else ''} as of {result.as_of.isoformat()}: "
                   f"{result.errors} error{'s' if result.errors != 1 else ''}, "
                   f"{result.warnings} warning{'s' if result.warnings != 1 else ''}. {verdict.capitalize()}.")
    colour = "red" if result.errors else ("yellow" if result.warnings else "green")
    lines.append(style(summary, fg=colour, bold=True))
    return "\n".join(lines)


def finding_dict(finding: Finding, lang: str) -> dict:
    related = None
    if finding.related_file:
        related = {"file": finding.related_file, "line": finding.related_line, "record": finding.related_record}
    return {
        "rule": finding.rule,
        "clauses": list(finding.clauses),
        "severity": finding.severity,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "record": finding.record,
        "message": finding.message.get(lang),
        "related": related,
    }


def as_json(result: Result, lang: str, color: bool = False) -> str:
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "dops", "version": __version__},
        "lang": lang,
        "summary": result.summary(),
        "findings": [finding_dict(f, lang) for f in result.findings],
    }
    if result.pre_existing:
        document["pre_existing"] = [finding_dict(f, lang) for f in result.pre_existing]
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: Result, lang: str, color: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per finding, always with a line."""
    out = []
    for f in result.findings:
        title = f"dops {f.rule} [{_clauses(f)}]"
        message = f.message.get(lang)
        if f.related_file:
            message += f"\n({'相关' if lang == 'zh' else 'see'} {f.related_file}:{f.related_line})"
        properties = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (
            ("file", f.file), ("line", f.line or 1), ("col", f.column or 1), ("title", title)))
        out.append(f"::{f.severity} {properties}::{_escape_data(message)}")
    summary = (f"dops: {result.files} files, {result.errors} errors, {result.warnings} warnings"
               f" (as of {result.as_of.isoformat()})")
    out.append(summary)
    return "\n".join(out)


def _cell(value: str) -> str:
    """Text for a Markdown table cell: no line breaks, no column breaks, no HTML."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")
            .replace("\r", " ").replace("\n", " "))


def markdown(result: Result, lang: str, color: bool = False) -> str:
    """A Markdown report of every finding, for ``$GITHUB_STEP_SUMMARY`` (annotations stop at 10 per step)."""
    zh = lang == "zh"
    lines = [f"### {'dops 检查结果' if zh else 'dops check'}", ""]
    if zh:
        lines.append(f"截至 {result.as_of.isoformat()}，检查了 {result.files} 个文件：**{result.errors}** 个错误，"
                     f"**{result.warnings}** 个警告。{'✅ 符合制度。' if result.errors == 0 else '❌ 不符合制度。'}")
    else:
        lines.append(f"As of {result.as_of.isoformat()}, {result.files} files checked: **{result.errors}** errors, "
                     f"**{result.warnings}** warnings. {'✅ Compliant.' if result.errors == 0 else '❌ Not compliant.'}")
    sections = [(result.findings, "需要处理" if zh else "To fix")]
    if result.pre_existing:
        sections.append((result.pre_existing, "已有问题（不阻止合并）" if zh else "Pre-existing (not blocking)"))
    for findings, title in sections:
        if not findings:
            continue
        header = ("级别", "规则", "条款", "位置", "说明") if zh else ("Severity", "Rule", "Clauses", "Where", "Message")
        lines += ["", f"#### {title} ({len(findings)})", "", "| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
        for f in findings:
            word = _SEVERITY_WORD[f.severity][0 if zh else 1]
            icon = "❌" if f.severity == "error" else "⚠️"
            lines.append(f"| {icon} {word} | `{f.rule}` | {_clauses(f)} | `{_cell(f.file)}:{f.line}` | "
                         f"{_cell(f.message.get(lang))} |")
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[Result, str, bool], str]] = {
    "text": text, "json": as_json, "github": github, "markdown": markdown,
}
