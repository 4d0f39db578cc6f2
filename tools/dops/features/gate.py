"""``dops check --changed-since REF``: block a change for what it breaks.

Every record is still loaded and checked, so that cross-record rules see the
whole department. The same check then runs on the records, schemas and
settings as they were at the merge base of ``REF`` and ``HEAD`` (materialised
with ``git archive`` into a temporary folder; the working tree is never
touched), and the two sets of findings are compared by a key that ignores line
numbers.

* A finding that is new relative to the merge base blocks, whatever file it is
  on: editing a person's superior can make an untouched project's plan
  approval wrong, and that project's finding blocks the change.
* A finding that the merge base already had is *pre-existing* and never
  blocks, on a touched file or elsewhere.
* A new warning (a date-dependent finding) blocks only on a record the change
  touches (the finding's file, or the record it names as related), and then
  only under ``--strict``; date reminders elsewhere never block.

The checker's rules come from the running code, not from the merge base. When
the change edits the checker itself (its package lies inside the repository
and a changed file is in it), or the merge base cannot be checked (no valid
settings or schemas there), there is nothing fair to compare with: every
finding is judged as new.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from dops.core import cache
from dops.core.config import CONFIG_NAME, Settings, load_settings
from dops.core.errors import ConfigError, SchemaProblem, UsageError
from dops.core.model import Finding, Message, msg
from dops.core.report import GateResult, GateSummary, Report, Summary  # noqa: F401 - named here too
from dops.features.codeowners import PATH as CODEOWNERS
from dops.features.keys import PATH as SOPS_RULES
from dops.rules import engine


class GateProblem(UsageError):
    """The comparison cannot be made: not a git repository, an unknown REF, ... (exit 2)."""


def _git(root: Path, *args: str) -> bytes:
    """Run git in ``root``; CalledProcessError when git says no."""
    try:
        completed = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise GateProblem(
            msg("找不到 git 命令。--changed-since 需要安装 git。", "git is not installed; --changed-since needs it.")
        ) from None
    if completed.returncode != 0:
        raise subprocess.CalledProcessError(completed.returncode, args, completed.stdout, completed.stderr)
    return completed.stdout


def _names(output: bytes) -> list[str]:
    return [name.decode("utf-8", "surrogateescape") for name in output.split(b"\0") if name]


def merge_base(root: Path, ref: str) -> str:
    """The commit where the change leaves ``ref``; GateProblem names what is wrong."""
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except subprocess.CalledProcessError as err:
        raise GateProblem(
            msg(
                f"{root} 不在 git 仓库中（git：{_stderr(err)}）。--changed-since 要与 git 中的一个版本比较；"
                "不用它即检查全部记录。",
                f"{root} is not in a git repository (git: {_stderr(err)}). --changed-since compares with a git "
                "revision; leave it out to check every record.",
            )
        ) from None
    if ref.startswith("-"):
        raise _unknown(ref)
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError:
        raise _unknown(ref) from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except subprocess.CalledProcessError:
        raise GateProblem(
            msg(
                "仓库还没有任何提交，无法与其他版本比较。",
                "The repository has no commit yet: there is nothing to compare with.",
            )
        ) from None
    try:
        return _git(root, "merge-base", ref, "HEAD").decode().strip()
    except subprocess.CalledProcessError:
        raise GateProblem(
            msg(
                f"{ref} 与当前分支没有共同的历史，无法判断本次变更改了什么"
                "（浅克隆？在 CI 中用 fetch-depth: 0 取完整历史）。",
                f"{ref} and the current branch share no history: cannot tell what the change "
                "is (a shallow clone? fetch the full history, fetch-depth: 0 in CI).",
            )
        ) from None


def _unknown(ref: str) -> GateProblem:
    return GateProblem(
        msg(
            f"git 中没有 “{ref}” 这个版本。请写分支、标签或提交，例如 origin/main（在 CI 中先 git fetch）。",
            f"git does not know the revision '{ref}'. Give a branch, tag or commit such as origin/main "
            "(fetch it first in CI).",
        )
    )


def _watched(settings: Settings) -> list[str]:
    return [
        settings.records,
        settings.schemas,
        CONFIG_NAME,
        CODEOWNERS,
        SOPS_RULES,
        _package_folder(settings) or "tools",
    ]


def _package_folder(settings: Settings) -> str | None:
    """The running checker's own source folder, repo-relative, when it lies inside the repository."""
    package = Path(engine.__file__).resolve().parent
    try:
        return package.relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return None


def changed_files(settings: Settings, ref: str) -> list[str]:
    """Files the change touches, relative to the repository root (``settings.root``).

    Committed: ``git diff REF...HEAD``. Not yet committed: modified, staged and
    untracked files under the records, schemas, settings and the checker.
    """
    root = settings.root
    watched = _watched(settings)
    committed = _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", f"{ref}...HEAD")
    uncommitted = _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", "HEAD", "--", *watched)
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *watched)
    return sorted(set(_names(committed)) | set(_names(uncommitted)) | set(_names(untracked)))


def materialise(settings: Settings, commit: str, target: Path) -> None:
    """Write the records, schemas, settings, CODEOWNERS and .sops.yaml of ``commit`` into ``target``."""
    root = settings.root
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    tree = f"{commit}:{prefix}"
    wanted = [settings.records, settings.schemas, CONFIG_NAME, CODEOWNERS, SOPS_RULES]
    try:
        present = _names(_git(root, "ls-tree", "-r", "-z", "--name-only", tree, "--", *wanted))
    except subprocess.CalledProcessError:  # the folder did not exist at that commit
        return
    paths = [w for w in wanted if any(p == w or p.startswith(w + "/") for p in present)]
    if not paths:
        return
    archive = _git(root, "archive", "--format=tar", tree, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # Links are no records: leave them out rather than follow them out of the folder.
        members = [m for m in tar.getmembers() if not (m.issym() or m.islnk())]
        try:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, members=members, filter="data")
            else:  # Python before 3.11.4: git's own archive of its own tree
                tar.extractall(target, members=members)
        except (tarfile.TarError, OSError) as err:
            raise GateProblem(
                msg(f"无法取出 {tree} 的记录：{err}", f"Cannot unpack the records at {tree}: {err}")
            ) from err


# Line numbers, and list positions in field paths (items[2], items.2.title), move when
# something is inserted above; a finding must not look new because of that.
_POSITIONS = re.compile(r"\b(?:lines?|byte) \d+(?: and \d+)?|\[\d+\]|(?<=[A-Za-z_]\.)\d+(?=\.|\b)")


def key(finding: Finding) -> tuple[str, str, str, str]:
    """What stays the same when lines move: the rule, the record and the message without positions."""
    return (
        finding.rule,
        finding.record or finding.file,
        finding.file if finding.record is None else "",
        _POSITIONS.sub("#", finding.message.en),
    )


def split(
    current: Sequence[Finding], base: Sequence[Finding] | None, touched: set[str]
) -> tuple[list[Finding], list[Finding]]:
    """(blocking, not blocking). ``base`` None: nothing to compare with, every finding is new."""
    remaining = Counter(key(f) for f in base or [])
    blocking: list[Finding] = []
    quiet: list[Finding] = []
    for finding in current:
        k = key(finding)
        if base is not None and remaining[k] > 0:
            remaining[k] -= 1
            quiet.append(finding)
            continue
        on_touched = finding.file in touched or finding.related_file in touched
        (blocking if finding.severity == "error" or on_touched else quiet).append(finding)
    return blocking, quiet


def run(
    settings: Settings, ref: str, as_of: dt.date | None = None, obligations: bool = False, use_cache: bool = True
) -> GateResult:
    """Check every record; let only what the change since ``ref`` breaks decide the exit code.

    ``obligations``: also list every obligation (for the JSON report), which the cache does not keep.
    """
    as_of = as_of or settings.today()
    base_commit = merge_base(settings.root, ref)
    try:
        changed = changed_files(settings, ref)
    except subprocess.CalledProcessError as err:
        raise GateProblem(
            msg(f"git 无法列出改动的文件：{_stderr(err)}", f"git cannot list the changed files: {_stderr(err)}")
        ) from None
    current = (
        engine.run(settings, None, as_of, use_cache) if obligations else engine.report(settings, None, as_of, use_cache)
    )

    note: Message | None = None
    base_findings: tuple[Finding, ...] | None = None
    package = _package_folder(settings)
    if package and any(path.startswith(package + "/") for path in changed):
        note = msg(
            f"本次变更修改了检查工具本身（{package}/），无法与合并基准比较：所有问题都按新问题判断。",
            f"This change edits the checker itself ({package}/), so comparing with the merge base "
            "would not be fair: every finding is judged as new.",
        )
    else:
        base_findings = _check_base(settings, base_commit, as_of, use_cache)
        if base_findings is None:
            note = msg(
                f"合并基准 {base_commit[:12]} 的设置或模式无法用当前的检查工具读取，无法比较：所有问题都按新问题判断。",
                f"The settings or schemas at the merge base {base_commit[:12]} cannot be used by this "
                "checker, so there is nothing to compare with: every finding is judged as new.",
            )
    blocking, quiet = split(current.findings, base_findings, set(changed))
    return GateResult(
        findings=tuple(blocking),
        files=current.files,
        as_of=as_of,
        record_total=current.record_count,
        obligations=current.obligations,
        pre_existing=tuple(quiet),
        changed_since=ref,
        merge_base=base_commit,
        changed=tuple(changed),
        compared=base_findings is not None,
        note=note,
    )


def _check_base(settings: Settings, commit: str, as_of: dt.date, use_cache: bool) -> tuple[Finding, ...] | None:
    """The findings at ``commit``, checked by the running code; None when its settings or schemas do not fit.

    A commit never changes: with the cache on, the answer for a commit, a date and this dops is kept, and
    the merge base is not even unpacked the next time.
    """
    store: cache.Store | None = None
    key = ""
    folder = cache.folder() if use_cache else None
    if folder is not None:
        prefix = _git(settings.root, "rev-parse", "--show-prefix").decode().strip()
        store = cache.Store(folder, cache.digest("merge-base", cache.tool_key()))
        key = cache.digest(commit, prefix, settings.records, settings.schemas, as_of.isoformat())
        hit = store.get_one(key)
        if hit is not None:
            found: tuple[Finding, ...] | None = hit[0]
            return found
    found = _check_base_afresh(settings, commit, as_of, use_cache)
    if store is not None:
        store.put_one(key, (found,))
    return found


def _check_base_afresh(settings: Settings, commit: str, as_of: dt.date, use_cache: bool) -> tuple[Finding, ...] | None:
    with tempfile.TemporaryDirectory(prefix="dops-base-") as folder:
        try:
            materialise(settings, commit, Path(folder))
        except subprocess.CalledProcessError as err:
            raise GateProblem(
                msg(
                    f"git 无法取出合并基准 {commit[:12]} 的记录：{_stderr(err)}",
                    f"git cannot read the records at the merge base {commit[:12]}: {_stderr(err)}",
                )
            ) from None
        try:
            base_settings = load_settings(Path(folder))
            return engine.report(base_settings, None, as_of, use_cache).findings
        # Settings or schemas written for another dops are reported as such; a rule may still trip over them.
        except (ConfigError, SchemaProblem, engine.RuleCrash):
            return None


def _stderr(err: subprocess.CalledProcessError) -> str:
    text = err.stderr.decode("utf-8", "replace").strip() if isinstance(err.stderr, bytes) else str(err.stderr or "")
    return text.splitlines()[-1] if text else f"exit {err.returncode}"


__all__ = ["GateProblem", "GateResult", "changed_files", "key", "materialise", "merge_base", "run", "split"]
