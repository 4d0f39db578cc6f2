"""The ``dops`` command line. This layer only parses options and prints.

Exit codes (README.md): 0 compliant (warnings allowed), 1 non-compliant
records, 2 usage or configuration error, 3 internal error. Errors become exit
codes in one place, :class:`DopsGroup`; commands raise :mod:`dops.core.errors`.

Start-up: at module level this imports only click and the light core modules
(settings' names, errors, messages). The rules, the engine, the reporters, PyYAML
and jsonschema are imported inside the commands that use them, so that
``dops --version`` and ``dops --help`` load none of them
(tests/unit/test_startup.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from dops import __version__
from dops.core import bundled
from dops.core.config import CONFIG_NAME, Settings, find_root, load_settings
from dops.core.errors import EXIT_FINDINGS, EXIT_INTERNAL, DopsError, InternalError, UsageError
from dops.core.model import Message, msg
from dops.core.report import Outcome

#: The names of dops.outputs.reporters.REPORTERS, for `check --format` without importing the reporters
#: (and through them the engine and every rule) at start-up; a unit test keeps the two the same.
REPORT_FORMATS = ("github", "json", "markdown", "text")


class DopsGroup(click.Group):
    """The one place where errors become exit codes, for every command.

    A :class:`DopsError` prints one line per problem and exits with its code (1
    records, 2 usage or configuration); anything else that escapes a command is
    a bug of ours (3), printed with its traceback for the report.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InternalError as err:
            _report_bug(err.one_line())
            ctx.exit(err.exit_code)
        except DopsError as err:
            label = err.label
            for line in err.lines():
                click.echo(f"dops: {label.zh} / {label.en}: {_printable(line)}", err=True)
            ctx.exit(err.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):  # click handles these
            raise
        except Exception as err:
            _report_bug(repr(err))
            ctx.exit(EXIT_INTERNAL)


def _report_bug(what: str) -> None:
    import traceback

    click.echo(
        f"dops: 内部错误 / internal error: {_printable(what)}\n"
        "这是 dops 的缺陷，请把以下信息报告给维护者 / This is a bug in dops; please report it with the "
        f"following:\n{traceback.format_exc()}",
        err=True,
    )


def _printable(text: str) -> str:
    """Control characters from file names or records never reach the terminal raw."""
    return "".join(char if char.isprintable() or char == "\t" else f"\\x{ord(char):02x}" for char in text)


def _settings(root: Path | None, config: Path | None, outside: bool, use_cache: bool = True) -> Settings:
    if config is not None:
        base = config.resolve().parent
    elif root is not None:
        base = root.resolve()
    else:
        found = find_root(Path.cwd().resolve())
        if found is None and outside:  # the policy and rules as this package ships them
            return load_settings(bundled.DATA, use_cache=use_cache)
        if found is None:
            raise UsageError(
                msg(
                    f"这里及其上级目录中都没有 {CONFIG_NAME}：请在记录仓库中运行，或用 --root 指定仓库。",
                    f"No {CONFIG_NAME} here or in any folder above: run this inside a records repository, or "
                    "name one with --root.",
                )
            )
        base = found
    return load_settings(base, config, use_cache)


def _settings_options(outside: bool) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @click.option(
            "--root",
            type=click.Path(file_okay=False, exists=True, path_type=Path),
            help=f"仓库根目录（默认：向上查找 {CONFIG_NAME}）/ Repository root (default: the nearest "
            f"folder with {CONFIG_NAME}).",
        )
        @click.option(
            "--config",
            "config",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help=f"设置文件 / Settings file (default: {CONFIG_NAME} at the root).",
        )
        @functools.wraps(command)
        def wrapper(*args: Any, root: Path | None, config: Path | None, **kwargs: Any) -> None:
            use_cache = not kwargs.get("no_cache", False)  # a command's --no-cache covers its settings too
            command(*args, settings=_settings(root, config, outside, use_cache), **kwargs)

        return wrapper

    return decorate


#: --root and --config, for every command that reads a records repository.
settings_options = _settings_options(outside=False)
#: The same for commands that also work outside a repository, on the policy and rules the package ships.
policy_settings_options = _settings_options(outside=True)


def _lang(settings: Settings, lang: str | None) -> str:
    return lang or settings.language


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        _bad_date(value)
    if not 1900 <= day.year <= 2199:
        raise click.BadParameter(f"“{value}” 不在 1900–2199 年之间 / is not between 1900 and 2199")
    return day


def _bad_date(value: str) -> NoReturn:
    raise click.BadParameter(f"“{value}” 不是 YYYY-MM-DD 格式的日期 / is not a YYYY-MM-DD date")


as_of_option = click.option(
    "--as-of",
    callback=_as_of,
    metavar="YYYY-MM-DD",
    help="把这一天当作“今天”（默认：今天）/ Treat this date as today (default: today).",
)
text_or_json = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式 / Output format.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="输出语言（默认取自设置）/ Output language (default from the settings).",
)


@click.group(cls=DopsGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dops")
def main() -> None:
    """交付运营人员管理制度合规工具 / Delivery-operations policy compliance toolkit.

    检查 records/ 中的记录是否符合制度，列出并解释规则。
    Checks the records under records/ against the policy; lists and explains the rules.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="输出格式 / Output format.",
)
@lang_option
@as_of_option
@click.option("--strict", is_flag=True, help="警告也视为不合规 / Warnings fail the check too.")
@click.option(
    "--changed-since",
    metavar="REF",
    help="只让本次变更（与 REF 的合并基准相比）带来的问题决定退出码，其余列为已有问题 / "
    "Only findings the change since REF (e.g. origin/main) brings decide the exit code; "
    "the rest are listed as pre-existing.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="不读也不写缓存（也可设 DOPS_NO_CACHE=1）/ Neither read nor write the cache (or set DOPS_NO_CACHE=1).",
)
@settings_options
def check(
    paths: tuple[Path, ...],
    fmt: str,
    lang: str | None,
    as_of: dt.date | None,
    strict: bool,
    changed_since: str | None,
    no_cache: bool,
    settings: Settings,
) -> None:
    """检查记录（默认检查整个 records/）/ Check records (the whole records/ tree by default).

    退出码 / exit codes: 0 合规 compliant, 1 不合规 non-compliant, 2 用法或配置错误 usage or
    configuration error, 3 内部错误 internal error.
    """
    from dops.core import inputs, sops
    from dops.outputs.reporters import REPORTERS

    language = _lang(settings, lang)
    if changed_since is not None and paths:
        raise UsageError(
            msg(
                "--changed-since 总是检查全部记录，不能再指定文件。",
                "--changed-since checks every record; give no paths with it.",
            )
        )
    use_cache = not no_cache
    obligations = fmt == "json"  # the only report that lists them; the cache keeps findings alone
    result: Outcome | None = None
    if changed_since is not None:
        from dops.features import gate

        result = gate.run(settings, changed_since, as_of, obligations, use_cache)
    else:
        as_of = as_of or settings.today()
        read = inputs.read(settings, list(paths) or None, use_cache)
        if not obligations and not sops.key_given():  # a report made with a key is never cached
            result = read.cached_report(as_of)  # an unchanged tree: no rule is even loaded
        if result is None:
            from dops.rules import engine

            result = (
                engine.run_on(settings, read, as_of)
                if obligations
                else engine.report(settings, given=read, as_of=as_of)
            )
    color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    click.echo(REPORTERS[fmt](result, language, color), color=color)
    sys.exit(result.exit_code(strict))


@main.command("codeowners")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="不写文件，只检查 .github/CODEOWNERS 是否最新（1：过时或不存在）/ Write nothing; exit 1 when "
    ".github/CODEOWNERS is missing or out of date.",
)
@click.option(
    "--stdout", "to_stdout", is_flag=True, help="输出到标准输出，不写文件 / Print the file instead of writing it."
)
@settings_options
def codeowners_command(check_only: bool, to_stdout: bool, settings: Settings) -> None:
    """根据记录生成 .github/CODEOWNERS（8.2.4）/ Write .github/CODEOWNERS from the records (8.2.4).

    项目及其风险归项目经理，考核归上级和人力资源，人员和培训记录归人力资源，制度、模式、规则和
    dops.yaml 归制度负责人（dops.yaml 的 owners）。

    A project and its risks are owned by the project manager, appraisals by the person's superior and
    HR, people and training records by HR, the policy, schemas, rules and dops.yaml by the policy
    owners (owners in dops.yaml). Exit codes: 0 written or current, 1 out of date (--check), 2 usage.
    """
    from dops.features import codeowners

    if check_only and to_stdout:
        raise UsageError(msg("--check 与 --stdout 不能同时使用。", "--check and --stdout exclude each other."))
    records, unreadable = codeowners.load_records(settings)
    content = codeowners.render(settings, records)
    if unreadable:
        click.echo(
            f"注意：{unreadable} 个记录文件无法读取，未计入；请运行 dops check。/ Note: {unreadable} record "
            "file(s) could not be read and are left out; run dops check.",
            err=True,
        )
    if to_stdout:
        click.echo(content, nl=False)
        return
    if check_only:
        committed = codeowners.committed(settings)
        if committed is None:
            click.echo(
                f"{codeowners.PATH} 不存在：运行 dops codeowners 生成。/ {codeowners.PATH} does not exist: "
                "run dops codeowners.",
                err=True,
            )
            sys.exit(EXIT_FINDINGS)
        difference = codeowners.compare(committed, content)
        if difference is not None:
            message = difference.message()
            click.echo(f"{codeowners.PATH}:{difference.line}: {message.zh}\n{message.en}", err=True)
            sys.exit(EXIT_FINDINGS)
        click.echo(f"{codeowners.PATH} 是最新的 / is up to date.")
        return
    try:
        written = codeowners.write(settings, content)
    except OSError as err:
        raise UsageError(
            msg(f"无法写入：{err.strerror or err}", f"cannot write: {err.strerror or err}"), codeowners.PATH
        ) from None
    click.echo(
        f"{codeowners.PATH} 已更新 / written." if written else f"{codeowners.PATH} 已是最新 / already up to date."
    )


def _keyring(required: bool) -> Any:
    """The age identities SOPS would use (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, sops/age/keys.txt)."""
    from dops.core import sops

    try:
        keys = sops.keyring_from_env()
    except sops.SopsProblem as problem:
        raise UsageError(problem.message) from None
    if keys is None and required:
        raise UsageError(
            msg(
                "需要你的 age 私钥：设置 SOPS_AGE_KEY_FILE（密钥文件的路径）或 SOPS_AGE_KEY。",
                "Your age secret key is needed: set SOPS_AGE_KEY_FILE (the key file's path) or SOPS_AGE_KEY.",
            )
        )
    return keys


def _record_files(paths: tuple[Path, ...], settings: Settings) -> list[Path]:
    from dops.core import inputs

    if not paths:
        return inputs.discover(settings.records_dir) if settings.records_dir.is_dir() else []
    files: list[Path] = []
    for path in paths:
        files.extend(inputs.discover(path) if path.is_dir() else [path])
    return files


def _each_file(files: list[Path], settings: Settings, work: Callable[[Path], str | None], none: Message) -> None:
    """Run ``work`` on each file; print what it says, or the problem at the file; exit 1 if any failed."""
    from dops.core import inputs
    from dops.features.secrets import SecretsProblem

    failed = done = 0
    for path in files:
        shown = inputs.display_path(path, settings.root)
        try:
            said = work(path)
        except SecretsProblem as problem:
            failed += 1
            click.echo(f"{shown}: {problem.message.zh}\n  {problem.message.en}", err=True)
            continue
        except OSError as err:
            failed += 1
            click.echo(f"{shown}: 无法写入 / cannot write: {err.strerror or err}", err=True)
            continue
        if said:
            done += 1
            click.echo(f"{shown}: {said}")
    if not done and not failed:
        click.echo(f"{none.zh} / {none.en}")
    if failed:
        click.echo(f"{failed} 个文件未能处理 / file(s) could not be processed.", err=True)
        sys.exit(EXIT_FINDINGS)


@main.command("encrypt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@settings_options
def encrypt_command(paths: tuple[Path, ...], settings: Settings) -> None:
    """加密记录中仍为明文的保密值（8.2.3）/ Encrypt the confidential values still in clear (8.2.3).

    不给 PATHS 时处理 records/ 下的全部记录：把仓库从明文迁移为加密就是这一条命令。读者取自
    .sops.yaml（由 dops keys 生成）；已加密的文件需要你的私钥才能加入新值。只改动保密值本身
    和文件末尾的 sops: 元数据，其余内容一字不变。

    Without PATHS, every record under records/: this one command migrates a repository from clear to
    encrypted. The readers come from .sops.yaml (written by dops keys); adding values to a file that is
    already encrypted needs your secret key. Only the confidential values and the sops: block at the end
    change; everything else stays byte for byte. Exit codes: 0 done, 1 a file could not be encrypted, 2 usage.
    """
    from dops.features import secrets

    keys = _keyring(required=False)

    def work(path: Path) -> str | None:
        sealed = secrets.encrypt(settings, path, keys)
        if not sealed.changed:
            return None
        return f"已加密 {sealed.encrypted} 个值 / {sealed.encrypted} value(s) encrypted"

    _each_file(
        _record_files(paths, settings),
        settings,
        work,
        msg("没有需要加密的明文保密值", "no confidential value in clear to encrypt"),
    )


@main.command("reencrypt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@settings_options
def reencrypt_command(paths: tuple[Path, ...], settings: Settings) -> None:
    """换新数据密钥并按 .sops.yaml 的读者重新加密（读者变化后）/ Rotate the data key and re-encrypt for
    the readers in .sops.yaml (after readers change).

    每个文件换一把新的数据密钥，所有值重新加密，新密钥只封装给当前读者：离开的人从下一次提交起
    就读不到新内容。已经克隆到他手里的历史无法收回：那些旧值仍能用旧密钥解开。

    Each file gets a new data key, every value is encrypted again, and the key is wrapped for the current
    readers only: someone who left cannot read anything from the next commit on. History they already
    cloned cannot be taken back: its old values still open with the old key. Needs your secret key.
    """
    from dops.features import secrets

    keys = _keyring(required=True)
    files = [path for path in _record_files(paths, settings) if _is_sealed_file(path)]

    def work(path: Path) -> str | None:
        secrets.encrypt(settings, path, keys, rotate=True)
        return "已换新密钥并重新加密 / re-encrypted under a new data key"

    _each_file(files, settings, work, msg("没有已加密的文件", "no encrypted file"))


def _is_sealed_file(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return b"\nsops:" in stream.read()
    except OSError:
        return False


@main.command("decrypt")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@settings_options
def decrypt_command(path: Path, settings: Settings) -> None:
    """把记录解密后输出到标准输出（不写盘）/ Print a record decrypted to standard output (never to disk).

    需要你的私钥（SOPS_AGE_KEY_FILE 或 SOPS_AGE_KEY），且你须是此文件的读者。
    Needs your secret key (SOPS_AGE_KEY_FILE or SOPS_AGE_KEY), and you must be one of the file's readers.
    """
    from dops.features import secrets

    keys = _keyring(required=True)
    try:
        text = secrets.decrypt(settings, path, keys)
    except secrets.SecretsProblem as problem:
        raise UsageError(problem.message, inputs_display(path, settings)) from None
    click.echo(text, nl=False)


def inputs_display(path: Path, settings: Settings) -> str:
    from dops.core import inputs

    return inputs.display_path(path, settings.root)


@main.command("edit")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@settings_options
def edit_command(path: Path, settings: Settings) -> None:
    """解密到临时文件、用 $EDITOR 编辑、重新加密并检查 / Decrypt into a temporary file, edit it in
    $EDITOR, encrypt it again and check it.

    临时文件只有你能读写，无论编辑器如何退出都会删除；没有改动时不写文件。
    The temporary file is readable by you alone and removed however the editor exits; nothing is written
    when nothing changed.
    """
    from dops.features import secrets

    keys = _keyring(required=True)
    shown = inputs_display(path, settings)
    try:
        edited, _ = secrets.edit(settings, path, keys, secrets.run_editor)
    except secrets.SecretsProblem as problem:
        raise UsageError(problem.message, shown) from None
    if not edited:
        click.echo(f"{shown}: 没有改动 / no change.")
        return
    click.echo(f"{shown}: 已加密保存 / saved, encrypted.")
    from dops.outputs.reporters import REPORTERS
    from dops.rules import engine

    result = engine.run(settings, [path], use_cache=False)
    click.echo(REPORTERS["text"](result, _lang(settings, None), False))
    sys.exit(result.exit_code(False))


@main.command("keys")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="不写文件，只检查 .sops.yaml 是否最新（1：过时或不存在）/ Write nothing; exit 1 when .sops.yaml is "
    "missing or out of date.",
)
@click.option(
    "--stdout", "to_stdout", is_flag=True, help="输出到标准输出，不写文件 / Print the file instead of writing it."
)
@settings_options
def keys_command(check_only: bool, to_stdout: bool, settings: Settings) -> None:
    """根据记录生成 .sops.yaml：谁能读哪些保密字段（8.2.3）/ Write .sops.yaml: who reads what is confidential (8.2.3).

    考核由被考核人的上级链和人力资源阅读，项目的预算和客户信息由项目经理、其上级和制度负责人阅读，
    人员联系方式由人力资源阅读；每人的 age 公钥取自其人员记录的 age_key，dops.yaml 的
    encryption.always 中的公钥可读所有文件。离职人员不再能读。

    An appraisal is read by the person's chain of superiors and HR, a project's budget and customer by
    its manager, the manager's superior and the policy owners, people's contact data by HR; each
    reader's age public key is the age_key of their person record, and the keys in encryption.always
    (dops.yaml) read every file. Leavers read nothing. Exit codes: 0 written or current, 1 out of date
    (--check), 2 usage.
    """
    from dops.features import keys

    if check_only and to_stdout:
        raise UsageError(msg("--check 与 --stdout 不能同时使用。", "--check and --stdout exclude each other."))
    recipients, unreadable = keys.recipients(settings)
    content = keys.render(recipients)
    if unreadable:
        click.echo(
            f"注意：{unreadable} 个记录文件无法读取，未计入；请运行 dops check。/ Note: {unreadable} record "
            "file(s) could not be read and are left out; run dops check.",
            err=True,
        )
    for person, files in sorted(recipients.must_read().items()):
        click.echo(
            f"注意：{person} 应能阅读 {len(files)} 个文件（例如 {files[0].file}），但其人员记录没有 age_key。"
            f"/ Note: {person} must read {len(files)} file(s) (such as {files[0].file}) but their person record "
            "has no age_key.",
            err=True,
        )
    if to_stdout:
        click.echo(content, nl=False)
        return
    if check_only:
        committed = keys.committed(settings)
        if committed is None:
            click.echo(
                f"{keys.PATH} 不存在：运行 dops keys 生成。/ {keys.PATH} does not exist: run dops keys.", err=True
            )
            sys.exit(EXIT_FINDINGS)
        drift = keys.compare(committed, content)
        if drift is not None:
            message = drift.message()
            click.echo(f"{keys.PATH}:{drift.line}: {message.zh}\n{message.en}", err=True)
            sys.exit(EXIT_FINDINGS)
        click.echo(f"{keys.PATH} 是最新的 / is up to date.")
        return
    try:
        written = keys.write(settings, content)
    except OSError as err:
        raise UsageError(
            msg(f"无法写入：{err.strerror or err}", f"cannot write: {err.strerror or err}"), keys.PATH
        ) from None
    click.echo(f"{keys.PATH} 已更新 / written." if written else f"{keys.PATH} 已是最新 / already up to date.")


@main.command("rules")
@text_or_json
@lang_option
@policy_settings_options
def list_rules(fmt: str, lang: str | None, settings: Settings) -> None:
    """列出所有规则 / List every rule: ID, clauses, severity, title."""
    import json

    from dops import rules

    language = _lang(settings, lang)
    entries = list(rules.RULES.values())
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "clauses": list(r.clauses),
                        "integrity": r.integrity,
                        "severity": r.severity,
                        "title": r.title.get(language),
                    }
                    for r in entries
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    header = ("规则", "条款", "级别", "说明") if language == "zh" else ("rule", "clauses", "severity", "title")
    rows = [header] + [(r.id, ", ".join(r.clauses) or "—", r.severity, r.title.get(language)) for r in entries]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        cells = [_pad(cell, width) for cell, width in zip(row[:3], widths, strict=True)]
        click.echo("  ".join([*cells, row[3]]))


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


@main.command()
@click.argument("subject")
@lang_option
@policy_settings_options
def explain(subject: str, lang: str | None, settings: Settings) -> None:
    """解释一条规则或一个条款 / Explain a rule (by ID) or a clause (e.g. 3.4.4).

    规则：说明、条款、不合规与合规的示例。条款：原文、执行它的规则和字段，或不能机器检查的原因。
    A rule: its documentation with failing and passing examples. A clause: its text, the rules and
    schema fields that enforce it, or why it is not machine-checkable.
    """
    from dops import rules
    from dops.core import policy

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
        from dops.rules.trace import traces

        chosen = [c for c in all_clauses.values() if policy.covers(c.id, subject)]
        clause_traces = traces(settings.root, settings.schemas)
        trace = policy.trace_table(settings.root)
        for clause in chosen:
            click.echo(f"{clause.id} {clause.section.get(language, '')}: {clause.text.get(language, '')}")
            found = clause_traces[clause.id]
            if found.rules:
                click.echo(f"  {'规则' if zh else 'rules'}:")
                for r in found.rules:
                    click.echo(f"    {r.id} ({r.severity}) — {r.title.get(language)}")
            for names, label in (
                (found.enforcing, ("必填或由规则读取的字段", "schema fields required or read by a rule")),
                (found.recording, ("仅记录、不检查的字段", "schema fields that only record it")),
            ):
                if names:
                    shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
                    click.echo(f"  {label[0] if zh else label[1]}: {shown}")
            entry = trace.get(clause.id)
            if entry:
                reason = entry.get("reason", {})
                label = {
                    "manual": ("不能机器检查", "not machine-checkable"),
                    "site": ("在网站上展示", "shown on the site"),
                }.get(str(entry.get("status")), ("", ""))
                click.echo(f"  {label[0] if zh else label[1]}: {reason.get(language, '')}")
            click.echo("")
        return
    raise UsageError(
        f"没有叫 “{subject}” 的规则或条款。用 `dops rules` 查看规则，条款写作 3.4.4。\n"
        f"No rule or clause '{subject}'. `dops rules` lists the rules; clauses look like 3.4.4."
    )


@main.command("new")
@click.argument("kind", type=click.Choice(["person", "project", "review", "risk", "training-session", "training-plan"]))
@click.option("--name", help="姓名或项目名称 / Name of the person or project.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE",
    help="人员的岗位角色，可重复 / A person's role; repeat for several.",
)
@click.option("--superior", metavar="EMP-0000", help="人员的直接上级 / A person's superior.")
@click.option("--manager", metavar="EMP-0000", help="项目经理 / A project's manager.")
@click.option("--customer", metavar="C-000", help="客户代号 / A project's customer code.")
@click.option("--person", metavar="EMP-0000", help="被考核人 / The person a review appraises.")
@click.option("--period", metavar="2026Q3", help="考核周期 / A review's period (2026Q3, or 2026 for a year).")
@click.option("--title", help="风险名称或培训主题 / A risk's title or a session's topic.")
@click.option("--project", metavar="PRJ-2026-001", help="风险所属项目 / The project a risk belongs to.")
@click.option("--category", metavar="CATEGORY", help="风险类别 / A risk's category.")
@click.option("--plan-item", metavar="TRP-2026/T03", help="培训落实的计划条目 / The plan item a session delivers.")
@click.option("--year", metavar="YYYY", help="培训计划的年度 / A training plan's year.")
@click.option("--approved-by", metavar="EMP-0000", help="培训计划的批准人 / Who approved a training plan.")
@click.option(
    "--date",
    "--as-of",
    "day",
    callback=_as_of,
    metavar="YYYY-MM-DD",
    help="需要日期处填写的日期（默认：今天）/ The date written where a date is needed (default: today).",
)
@click.option(
    "--no-input",
    is_flag=True,
    help="不提问：所需的值都由选项给出（供脚本使用）/ Never prompt; the options give every value (for scripts).",
)
@settings_options
def new(kind: str, day: dt.date | None, no_input: bool, settings: Settings, **given: Any) -> None:
    """新建一条记录 / Write a new record from its template.

    记录使用该类型的下一个空闲编号，需要人来填写的字段写成占位符 “<填写…>”，填好之前 dops check
    不会通过。在终端上会询问几个关键值；脚本请用 --no-input 和选项。不会覆盖已有文件。

    The record gets the next free ID of its kind; fields only a person can fill in hold a "<填写…>"
    placeholder that `dops check` refuses until it is replaced. On a terminal it asks for the few key
    values; scripts pass --no-input and options. An existing file is never overwritten (exit 2).
    """
    from dops.features import scaffold

    def prompt(text: str, default: str | None, parse: Callable[[str], Any]) -> Any:
        def checked(answer: str) -> Any:
            try:
                return parse(answer)
            except scaffold.Invalid as err:
                raise click.BadParameter(f"{err.message.zh} / {err.message.en}") from None

        return click.prompt(text, default=default, value_proc=checked, show_default=bool(default))

    try:
        record = scaffold.plan(settings, kind, given, day or settings.today(), None if no_input else prompt)
        scaffold.write(record)
    except click.Abort:
        raise UsageError(msg("已取消，没有写入任何文件。", "Cancelled: nothing was written.")) from None
    except OSError as err:
        raise UsageError(msg(f"无法写入文件：{err}", f"cannot write the file: {err}")) from None
    shown = os.path.relpath(record.path)
    lines = ", ".join(map(str, record.placeholder_lines))
    click.echo(f"已写入 / Written: {shown}")
    sealed = _seal_new(Path(record.path), settings)
    if sealed:
        click.echo(
            f"保密字段已加密写入（{sealed} 个值），请用 dops edit {shown} 填写。/ The confidential fields are written "
            f"encrypted ({sealed} value(s)): fill them in with dops edit {shown}."
        )
    click.echo("下一步 / Next steps:")
    if record.placeholder_lines:
        click.echo(
            f'  1. 把第 {lines.replace(", ", "、")} 行的 "<填写…>" 换成实际内容（字段上方的注释说明了要填什么）\n'
            f'     Replace the "<填写…>" placeholders on lines {lines} with the real values (the comment '
            "above each field says what it needs)."
        )
    else:
        click.echo("  1. 核对生成的内容 / Check what was written.")
    click.echo(f"  2. dops check {shown}")
    step = 3
    if kind in ("person", "project", "risk"):
        click.echo(
            f"  {step}. dops codeowners（新记录的评审人写进 .github/CODEOWNERS / puts the new record's reviewers "
            "into .github/CODEOWNERS）"
        )
        step += 1
    if sealed:
        click.echo(
            f"  {step}. dops keys（新记录的读者写进 .sops.yaml / puts the new record's readers into .sops.yaml）"
        )
        step += 1
    if step > 3:
        click.echo(f"  {step}. 提交并发起 Pull Request / Commit the files and open a pull request.")
    else:
        click.echo("  3. 提交并发起 Pull Request / Commit the file and open a pull request.")


def _seal_new(path: Path, settings: Settings) -> int:
    """Encrypt a new record's confidential values from the start, when .sops.yaml names its readers."""
    from dops.features import secrets

    try:
        item = secrets.target(settings, path)
        if not item.fields.patterns or not (settings.root / secrets.RULES_FILE).is_file():
            return 0  # a repository that does not encrypt (yet)
        readers = secrets.recipients_for(settings, item.shown) or secrets.derived_readers(settings, item.shown)
        if not readers:
            return 0
        return secrets.encrypt(settings, path, None, readers=readers).encrypted
    except secrets.SecretsProblem as problem:
        click.echo(f"{problem.message.zh}\n{problem.message.en}", err=True)
        return 0


@main.group()
def site() -> None:
    """网站页面 / The published site's generated pages."""


@site.command("generate")
@as_of_option
@click.option(
    "--docs",
    type=click.Path(file_okay=False, path_type=Path),
    help="写入的文档目录（默认：docs/）/ Docs folder to write into (default: docs/).",
)
@settings_options
def site_generate(as_of: dt.date | None, docs: Path | None, settings: Settings) -> None:
    """从记录生成制度和状态页面 / Generate the policy and status pages from the records.

    MkDocs 构建前会自动运行这一步（见 mkdocs.yml 的 hooks）。
    MkDocs runs this before every build (see hooks in mkdocs.yml); run it alone to inspect the pages.
    """
    from dops.outputs.site import generate

    try:
        generated = generate(settings, as_of=as_of, docs=docs)
    except OSError as err:  # a full disk, a read-only folder: every page written so far is whole
        raise UsageError(
            msg(
                f"无法写入生成的页面：{err.strerror or err}", f"cannot write the generated pages: {err.strerror or err}"
            )
        ) from None
    click.echo(
        f"{len(generated.written)} 个页面已写入 / pages written, {generated.unchanged} 未变 / unchanged, "
        f"{len(generated.removed)} 已删除 / removed（{generated.errors} 个错误 / errors, "
        f"{generated.warnings} 个警告 / warnings）"
    )
    for path in generated.files:
        click.echo(f"已更新 / updated: {path}")


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="写入的 .ics 文件（默认：输出到标准输出）/ The .ics file to write (default: standard output).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="事件文字的语言（默认：中文在前，英文在后）/ Language of the events (default: Chinese, then English).",
)
@as_of_option
@click.option(
    "--site-url",
    metavar="URL",
    help="事件链接指向的网站地址（默认：环境变量 DOPS_SITE_URL，否则 http://127.0.0.1:8000/）/ "
    "The published site the events link to (default: $DOPS_SITE_URL, else http://127.0.0.1:8000/).",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=400,
    show_default=True,
    help="包含多少天内到期的事项 / How many days ahead to include.",
)
@settings_options
def calendar(
    output: Path | None, lang: str | None, as_of: dt.date | None, site_url: str | None, days: int, settings: Settings
) -> None:
    """截止日期的 iCalendar 订阅源 / The deadlines as an iCalendar (.ics) feed.

    考核、项目会议与汇报、里程碑与交付日期、偏差、客户反馈、风险应对检查和年度培训计划，
    每项一个全天事件，链接到网站上的记录页面。
    Appraisals, project meetings and reports, milestones and delivery dates, deviations, customer
    feedback, risk-response checks and the training plan: one all-day event each, linked to the
    record's page on the site.
    """
    from dops.features import calendar as ical

    if output is not None and not output.parent.is_dir():
        raise UsageError(msg(f"目录不存在：{output.parent}", f"no such folder: {output.parent}"))
    content = ical.feed(settings, as_of=as_of, lang=lang, base_url=site_url, horizon_days=days)
    if output is None:
        click.echo(content, nl=False)  # bytes: the feed keeps its CRLF line ends
        return
    try:
        ical.write_atomically(output, content)
    except OSError as err:
        raise UsageError(
            msg(f"无法写入：{err.strerror or err}", f"cannot write: {err.strerror or err}"), str(output)
        ) from None
    events = content.count(b"BEGIN:VEVENT")
    click.echo(f"{events} 个截止日期已写入 {output} / deadlines written to {output}")


@main.command()
@text_or_json
@lang_option
@as_of_option
@click.option(
    "--days",
    type=click.IntRange(0, 366),
    default=None,
    help="列出多少天内到期的事项（默认 cadences.due_soon_days，14）/ How many days ahead to list what falls due "
    "(default cadences.due_soon_days, 14).",
)
@click.option(
    "--person",
    "person_id",
    metavar="EMP-XXXX",
    help="只列出这个人须办理的事项，逾期的在前 / Only what this person owes, overdue first.",
)
@click.option(
    "--me",
    is_flag=True,
    help="只列出我须办理的事项：按 git 的 user.email 找到人员记录（contact.email）/ Only what I owe: the person "
    "record whose contact.email is git's user.email.",
)
@settings_options
def status(
    fmt: str,
    lang: str | None,
    as_of: dt.date | None,
    days: int | None,
    person_id: str | None,
    me: bool,
    settings: Settings,
) -> None:
    """部门状态总览 / The department at a glance.

    按阶段列出项目，以及逾期事项、重点风险和近期到期事项，每项注明负责人；表格适合 80 列的终端。
    --person 或 --me 只列出一个人须办理的事项。
    Projects by phase, what is overdue, the focus risks and what falls due soon, each with who must act,
    in tables that fit an 80-column terminal. --person or --me lists what one person owes instead.
    Exit code 0 unless the options or settings are wrong (2).
    """
    from dops.outputs import status as status_view
    from dops.rules import engine

    language = _lang(settings, lang)
    if person_id and me:
        raise UsageError(msg("--person 和 --me 只能用一个。", "Use --person or --me, not both."))
    if not (person_id or me):
        view = status_view.overview(settings, as_of=as_of, days=days)
        click.echo(status_view.FORMATS[fmt](view, language))
        return
    result = engine.run(settings, as_of=as_of)
    if me:
        email = _git_email(settings.root)
        if not email:
            raise UsageError(
                msg(
                    "git 没有设置 user.email。请设置它，或用 --person EMP-XXXX。",
                    "git has no user.email set. Set it, or use --person EMP-XXXX.",
                )
            )
        found = status_view.people_by_email(result, email)
        if not found:
            raise UsageError(
                msg(
                    f"找不到 contact.email 为 “{email}” 的人员记录（git config user.email）。请用 --person EMP-XXXX。",
                    f"No person record has contact.email '{email}' (git config user.email). Use --person EMP-XXXX.",
                )
            )
        if len(found) > 1:
            raise UsageError(
                msg(
                    f"有 {len(found)} 个人员记录的 contact.email 都是 “{email}”（{'、'.join(found)}）。"
                    "请用 --person EMP-XXXX。",
                    f"{len(found)} person records have contact.email '{email}' ({', '.join(found)}). "
                    "Use --person EMP-XXXX.",
                )
            )
        person_id = found[0]
    assert person_id is not None
    try:
        person_view = status_view.for_person(result, person_id)
    except status_view.UnknownPerson:
        raise UsageError(
            msg(
                f"没有编号为 {person_id} 的有效人员记录。若文件存在，请先运行 dops check 修正它。",
                f"There is no valid person record with the ID {person_id}. If its file exists, run dops check "
                "and fix it first.",
            ),
            "--person",
        ) from None
    click.echo(status_view.PERSON_FORMATS[fmt](person_view, language))


def _git_email(root: Path) -> str | None:
    """git's user.email in ``root`` (None when git or the setting is missing)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "config", "user.email"], cwd=root, capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None
