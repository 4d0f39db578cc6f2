"""The ``dops`` command line. This layer only parses options and prints.

Exit codes (README.md): 0 compliant (warnings allowed), 1 non-compliant
records, 2 usage or configuration error, 3 internal error.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import traceback
import unicodedata
from pathlib import Path

import click

from . import __version__, engine, policy, rules
from .config import CONFIG_NAME, ConfigError, Settings, find_root, load_settings
from .reporters import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageProblem(click.ClickException):
    """A usage or configuration problem: exit code 2, no traceback."""

    exit_code = EXIT_USAGE


def _settings(root: Path | None, config: Path | None) -> Settings:
    if config is not None:
        base = config.resolve().parent
    elif root is not None:
        base = root.resolve()
    else:
        base = find_root(Path.cwd().resolve()) or Path.cwd().resolve()
    try:
        settings = load_settings(base, config)
    except ConfigError as err:
        raise UsageProblem(f"配置错误 / configuration error:\n{err}") from None
    return settings


def settings_options(command):
    """--root and --config, shared by every command that reads the repository."""

    @click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path),
                  help=f"仓库根目录（默认：向上查找 {CONFIG_NAME}）/ Repository root (default: the nearest folder "
                       f"with {CONFIG_NAME}).")
    @click.option("--config", "config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                  help=f"设置文件 / Settings file (default: {CONFIG_NAME} at the root).")
    @functools.wraps(command)
    def wrapper(*args, root: Path | None, config: Path | None, **kwargs):
        return command(*args, settings=_settings(root, config), **kwargs)

    return wrapper


def _lang(settings: Settings, lang: str | None) -> str:
    return lang or settings.language


def _as_of(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str):
    raise click.BadParameter(f"“{value}” 不是 YYYY-MM-DD 格式的日期 / is not a YYYY-MM-DD date")


lang_option = click.option("--lang", type=click.Choice(["zh", "en"]),
                           help="输出语言（默认取自设置）/ Output language (default from the settings).")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dops")
def main() -> None:
    """交付运营人员管理制度合规工具 / Delivery-operations policy compliance toolkit.

    检查 records/ 中的记录是否符合制度，列出并解释规则。
    Checks the records under records/ against the policy; lists and explains the rules.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="输出格式 / Output format.")
@lang_option
@click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
              help="把这一天当作“今天”（默认：今天）/ Treat this date as today (default: today).")
@click.option("--strict", is_flag=True, help="警告也视为不合规 / Warnings fail the check too.")
@settings_options
def check(paths: tuple[Path, ...], fmt: str, lang: str | None, as_of: dt.date | None, strict: bool,
          settings: Settings) -> None:
    """检查记录（默认检查整个 records/）/ Check records (the whole records/ tree by default).

    退出码 / exit codes: 0 合规 compliant, 1 不合规 non-compliant, 2 用法或配置错误 usage or
    configuration error, 3 内部错误 internal error.
    """
    language = _lang(settings, lang)
    try:
        result = engine.run(settings, list(paths) or None, as_of)
    except engine.SchemaProblem as err:
        raise UsageProblem(f"模式错误 / schema error: {err}") from None
    except Exception as err:  # noqa: BLE001 - a bug of ours: say so, exit 3
        click.echo(f"内部错误 / internal error: {err}\n请把以下信息报告给维护者 / please report this:\n"
                   f"{traceback.format_exc()}", err=True)
        sys.exit(EXIT_INTERNAL)
    color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    click.echo(REPORTERS[fmt](result, language, color), color=color)
    sys.exit(result.exit_code(strict))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / Output format.")
@lang_option
@settings_options
def list_rules(fmt: str, lang: str | None, settings: Settings) -> None:
    """列出所有规则 / List every rule: ID, clauses, severity, title."""
    language = _lang(settings, lang)
    entries = list(rules.RULES.values())
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "clauses": list(r.clauses), "severity": r.severity,
                                "title": r.title.get(language)} for r in entries], ensure_ascii=False, indent=2))
        return
    header = ("规则", "条款", "级别", "说明") if language == "zh" else ("rule", "clauses", "severity", "title")
    rows = [header] + [(r.id, ", ".join(r.clauses), r.severity, r.title.get(language)) for r in entries]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        cells = [_pad(cell, width) for cell, width in zip(row, widths)]
        click.echo("  ".join([*cells, row[3]]))


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


@main.command()
@click.argument("subject")
@lang_option
@settings_options
def explain(subject: str, lang: str | None, settings: Settings) -> None:
    """解释一条规则或一个条款 / Explain a rule (by ID) or a clause (e.g. 3.4.4).

    规则：说明、条款、不合规与合规的示例。条款：原文、执行它的规则和字段，或不能机器检查的原因。
    A rule: its documentation with failing and passing examples. A clause: its text, the rules and
    schema fields that enforce it, or why it is not machine-checkable.
    """
    language = _lang(settings, lang)
    zh = language == "zh"
    all_clauses = policy.clauses(settings.root)
    if subject in rules.RULES:
        rule = rules.RULES[subject]
        click.echo(f"{rule.id} — {rule.title.get(language)}")
        click.echo(f"{'级别' if zh else 'severity'}: {rule.severity}")
        for clause_id in rule.clauses:
            text = all_clauses.get(clause_id)
            body = text.text.get(language, "") if text else ""
            click.echo(f"{'条款' if zh else 'clause'} {clause_id}: {body}")
        click.echo("")
        click.echo(rule.doc_for(language))
        return
    if subject in all_clauses or any(c.startswith(subject + ".") for c in all_clauses):
        chosen = [c for c in all_clauses.values() if policy.covers(c.id, subject)]
        fields = policy.schema_fields(settings.root, settings.schemas)
        try:
            trace = policy.trace_table(settings.root)
        except (OSError, ValueError):
            trace = {}
        for clause in chosen:
            click.echo(f"{clause.id} {clause.section.get(language, '')}: {clause.text.get(language, '')}")
            enforcing = [r for r in rules.RULES.values() if any(policy.covers(clause.id, c) for c in r.clauses)]
            cited = sorted({f for cited, names in fields.items() if policy.covers(clause.id, cited) for f in names})
            if enforcing:
                click.echo(f"  {'规则' if zh else 'rules'}:")
                for r in enforcing:
                    click.echo(f"    {r.id} ({r.severity}) — {r.title.get(language)}")
            if cited:
                click.echo(f"  {'字段' if zh else 'schema fields'}: {', '.join(cited[:12])}"
                           f"{' …' if len(cited) > 12 else ''}")
            entry = trace.get(clause.id)
            if entry:
                reason = entry.get("reason", {})
                label = {"manual": ("不能机器检查", "not machine-checkable"),
                         "site": ("在网站上展示", "shown on the site")}.get(entry.get("status"), ("", ""))
                click.echo(f"  {label[0] if zh else label[1]}: {reason.get(language, '')}")
            click.echo("")
        return
    raise UsageProblem(
        f"没有叫 “{subject}” 的规则或条款。用 `dops rules` 查看规则，条款写作 3.4.4。\n"
        f"No rule or clause '{subject}'. `dops rules` lists the rules; clauses look like 3.4.4.")


@main.group()
def site() -> None:
    """网站页面 / The published site's generated pages."""


@site.command("generate")
@click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
              help="把这一天当作“今天”（默认：今天）/ Treat this date as today (default: today).")
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path),
              help="写入的文档目录（默认：docs/）/ Docs folder to write into (default: docs/).")
@settings_options
def site_generate(as_of: dt.date | None, docs: Path | None, settings: Settings) -> None:
    """从记录生成制度和状态页面 / Generate the policy and status pages from the records.

    MkDocs 构建前会自动运行这一步（见 mkdocs.yml 的 hooks）。
    MkDocs runs this before every build (see hooks in mkdocs.yml); run it alone to inspect the pages.
    """
    from .site import generate

    try:
        generated = generate(settings, as_of=as_of, docs=docs)
    except engine.SchemaProblem as err:
        raise UsageProblem(f"模式错误 / schema error: {err}") from None
    click.echo(f"{len(generated.written)} 个页面已写入 / pages written, {generated.unchanged} 未变 / unchanged, "
               f"{len(generated.removed)} 已删除 / removed（{generated.errors} 个错误 / errors, "
               f"{generated.warnings} 个警告 / warnings）")
