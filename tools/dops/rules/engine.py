"""One run of the checks: load every record, validate, apply the rules.

The rules state the policy's duties (:class:`~dops.rules.base.Duty`); this
module turns each into an :class:`~dops.core.model.Obligation` with its state
as of the run's date and derives the findings from the lapsed ones. The frozen
:class:`Result` (records, index, settings, obligations, findings) is the only
hand-off to the outputs: the check, ``dops status``, the calendar and the site
all read it, so that what they show and what CI blocks can never disagree.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import itertools
import multiprocessing
import os
import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dops import rules
from dops.core import cache, inputs, loader, sops
from dops.core.config import CONFIG_NAME, Settings
from dops.core.errors import InternalError, SchemaProblem
from dops.core.inputs import discover, display_path, printable_path, relative
from dops.core.kinds import KINDS, SCHEMA_VERSION, VERSION_KEY, Kind, kind_of
from dops.core.model import Finding, Message, Obligation, Record, msg
from dops.core.model import Path as RecordPath
from dops.core.report import Outcome, Report
from dops.core.validation import RULE as VALIDATION_RULE
from dops.core.validation import Schema, load_schema, validate
from dops.rules import encryption, needs_key, record_id, record_kind
from dops.rules.base import Context, Duty, Index, Problem


class RuleCrash(InternalError):
    """A rule raised: a bug in the toolkit, not in the records."""

    def __init__(self, rule_id: str, record: str | None, error: BaseException) -> None:
        where = record or "the record set"
        super().__init__(
            msg(f"规则 {rule_id} 在 {where} 上出错：{error!r}", f"rule {rule_id} failed on {where}: {error!r}")
        )
        self.rule_id = rule_id
        self.error = error


@dataclass(frozen=True)
class Result(Outcome):
    """Everything one run found; the outputs read nothing else."""

    findings: tuple[Finding, ...]
    records: tuple[Record, ...]
    files: int
    as_of: dt.date
    context: Context
    obligations: tuple[Obligation, ...] = ()
    pre_existing: tuple[Finding, ...] = ()

    @property
    def record_count(self) -> int:
        return len(self.records)

    @property
    def index(self) -> Index:
        return self.context.index

    @property
    def settings(self) -> Settings:
        return self.context.settings


def load_schemas(settings: Settings) -> dict[str, Schema]:
    """Every kind's schema; SchemaProblem if one is missing, invalid or made for another dops."""
    schemas = {}
    for name, kind in KINDS.items():
        shown = f"{settings.schemas}/{kind.schema_file}"
        schema = load_schema(settings.schemas_dir / kind.schema_file, shown)
        _check_version(schema.root.get(VERSION_KEY), shown)
        schemas[name] = schema
    return schemas


def _check_version(found: object, shown: str) -> None:
    if found == SCHEMA_VERSION:
        return
    if isinstance(found, int) and found > SCHEMA_VERSION:
        raise SchemaProblem(
            msg(
                f"这份模式是为更新的 dops 写的（记录模型版本 {found}，"
                f"本 dops 读取版本 {SCHEMA_VERSION}）。请升级 dops。",
                f"was written for a newer dops (record model version {found}; this dops reads version "
                f"{SCHEMA_VERSION}). Upgrade dops.",
            ),
            shown,
        )
    was = found if isinstance(found, int) else 0
    raise SchemaProblem(
        msg(
            f"这份模式是为更早的 dops 写的（记录模型版本 {was}，本 dops 读取版本 {SCHEMA_VERSION}）。"
            "请用所安装 dops 附带的模式（在 dops 包的 data/schemas/ 中）替换 schemas/，"
            "或安装与仓库相符的 dops 版本。",
            f"was written for an older dops (record model version {was}; this dops reads version {SCHEMA_VERSION}). "
            "Replace schemas/ with the schemas the installed dops ships (data/schemas/ in the dops package), or "
            "install the dops version the repository was made for.",
        ),
        shown,
    )


def _kind_for(stem: str, data: dict[str, Any]) -> Kind | None:
    kind = kind_of(stem)
    if kind is None:
        kind = kind_of(data.get("id"))
    return kind


def _identity_findings(record: Record, kind: Kind, path: Path, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    stem = path.name.rsplit(".", 1)[0]
    name = printable_path(path.name)

    def finding(message: Message, at: RecordPath = ("id",)) -> Finding:
        line, column = record.at(at)
        return Finding(
            rule=record_id.ID,
            clauses=record_id.CLAUSES,
            severity=record_id.SEVERITY,
            file=record.file,
            line=line,
            column=column,
            record=record.id,
            message=message,
        )

    if isinstance(record.data.get("id"), str) and record.data["id"] != stem:
        found.append(
            finding(
                msg(
                    f"文件名 “{name}” 与记录编号 “{record.data['id']}” 不一致。请把文件改名为 "
                    f"{record.data['id']}{path.suffix}，"
                    ""
                    "或改正编号。",
                    f"The file name '{name}' does not match the record ID '{record.data['id']}'. "
                    f"Rename the file to {record.data['id']}{path.suffix}, or correct the ID.",
                )
            )
        )
    inside = tuple((relative(path, settings.records_dir) or "").split("/"))
    if len(inside) > 1 and inside[0] != kind.folder:
        found.append(
            finding(
                msg(
                    f"{kind.label.zh}记录应放在 {settings.records}/{kind.folder}/ 目录下，而不是 "
                    f"{settings.records}/{inside[0]}/。"
                    "请移动文件。",
                    f"A {kind.label.en} record belongs under {settings.records}/{kind.folder}/, not "
                    f"{settings.records}/{inside[0]}/. Move the file.",
                ),
                at=(),
            )
        )
    return found


#: Findings listed per file and rule; the others are summed up in one finding at the first of them. A file
#: of 50,000 empty status reports would otherwise give half a million findings (and 185 MB of JSON).
FINDINGS_PER_RULE = 50
#: How many findings past the cap are counted in one file before the schema check of that file stops.
COUNTED_PAST_CAP = 1_000


def _left_out(first: Finding, count: int, severe: bool, more: bool) -> Finding:
    shown = f"{count:,}"
    zh = f"超过 {shown}" if more else shown
    en = f"More than {shown}" if more else shown
    return Finding(
        rule=first.rule,
        clauses=first.clauses,
        severity="error" if severe else first.severity,
        file=first.file,
        line=first.line,
        column=first.column,
        record=first.record,
        summary=True,
        message=msg(
            f"从这里起，此文件中规则 {first.rule} 还有{zh}条结果没有列出（每个文件每条规则最多列出 "
            f"{FINDINGS_PER_RULE} 条）。请先改正已列出的问题，再重新检查。",
            f"{en} further finding{'s' if count != 1 or more else ''} of rule {first.rule} in this file, from "
            f"here on, {'are' if count != 1 or more else 'is'} not listed (at most {FINDINGS_PER_RULE} per file "
            "and rule). Fix the ones listed, then check again.",
        ),
    )


def cap(findings: Iterable[Finding], read_at_most: int | None = None) -> list[Finding]:
    """At most FINDINGS_PER_RULE findings per file and rule, the first by place, and one finding for the rest.

    The summary stands at the first finding left out, so it sorts after every finding listed (jsonschema
    reports in the schema's order, not the file's). With ``read_at_most``, no more than that many are
    taken from ``findings`` (a generator that stops working when it is no longer read); the summary then
    says "more than".
    """
    taken = list(itertools.islice(findings, None if read_at_most is None else read_at_most + 1))
    more = read_at_most is not None and len(taken) > read_at_most
    kept: list[Finding] = []
    shown: Counter[tuple[str, str]] = Counter()
    hidden: dict[tuple[str, str], list[Any]] = {}  # first left out, how many, any error among them
    for finding in sorted(taken[:read_at_most], key=Finding.sort_key):
        key = (finding.file, finding.rule)
        if shown[key] < FINDINGS_PER_RULE:
            shown[key] += 1
            kept.append(finding)
        elif key in hidden:
            hidden[key][1] += 1
            hidden[key][2] = hidden[key][2] or finding.severity == "error"
        else:
            hidden[key] = [finding, 1, finding.severity == "error"]
    kept.extend(_left_out(first, count, severe, more) for first, count, severe in hidden.values())
    return kept


def load_record(path: Path, settings: Settings, schemas: dict[str, Schema]) -> tuple[Record | None, list[Finding]]:
    """Read, parse, identify and validate one file (at most FINDINGS_PER_RULE schema findings, and a summary).

    For the features that want one file's record; a check reads every file once and parses them
    through the cache (:func:`_load_all`).
    """
    shown = display_path(path, settings.root)
    raw = loader.read_raw(path, settings.max_file_bytes)
    if isinstance(raw, Finding):
        return None, [replace(raw, file=shown)]
    return _load_record(path, shown, raw, settings, schemas)


def _record_key(shown: str, digest: str) -> str:
    return cache.digest("record", shown, digest)


def _entry(record: Record | None, findings: list[Finding]) -> tuple[Any, ...]:
    """What the cache keeps of a parsed file."""
    if record is None:
        return (None, None, None, None, None, findings, None, False)
    return (record.kind, record.id, record.data, record.lines, record.valid, findings, record.sealed, record.locked)


def _from_entry(entry: tuple[Any, ...], shown: str) -> tuple[Record | None, list[Finding]]:
    kind, record_id, data, kept_lines, valid, findings, sealed, locked = entry
    if kind is None:
        return None, findings
    share = loader.share  # one copy of each path and position, as the loader keeps them
    lines = {share(path): share(at) for path, at in (kept_lines or {}).items()}
    return Record(kind, record_id, shown, data, lines, valid, sealed, locked), findings


#: Below this many files to parse, one process parses them: starting workers would cost more than it saves.
PARALLEL_FROM = 1500
# What the parsing workers read: set just before they are forked, so that they inherit it.
_FORKED: tuple[Settings, dict[str, Schema], inputs.Inputs] | None = None


def jobs(count: int) -> int:
    """How many processes parse ``count`` files: ``DOPS_JOBS`` if set, else one per CPU for a big tree.

    Workers are forked (they inherit the compiled schemas and the files' bytes); where the platform
    cannot fork, one process parses everything.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    given = os.environ.get("DOPS_JOBS", "")
    if given.isdigit() and int(given) >= 1:
        return int(given)
    if count < PARALLEL_FROM:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _parse_some(indexes: list[int]) -> list[tuple[int, bytes]]:
    """In a worker: parse and validate these files; each answer pickled, as the cache keeps it."""
    assert _FORKED is not None
    settings, schemas, read = _FORKED
    out = []
    for i in indexes:
        raw = read.raw[i]
        assert raw is not None and not isinstance(raw, Finding)
        record, findings = _load_record(Path(read.files[i]), read.shown[i], raw, settings, schemas)
        out.append((i, pickle.dumps(_entry(record, findings), protocol=pickle.HIGHEST_PROTOCOL)))
    return out


def _load_all(
    settings: Settings, schemas: dict[str, Schema], read: inputs.Inputs
) -> list[tuple[Record | None, list[Finding]]]:
    """Every file of ``read``, parsed: from the cache, else in this process or in workers on every CPU."""
    global _FORKED
    loaded: list[tuple[Record | None, list[Finding]] | None] = [None] * len(read.files)
    keys: dict[int, str] = {}
    for i, (shown, raw) in enumerate(zip(read.shown, read.raw, strict=True)):
        if isinstance(raw, Finding):
            loaded[i] = (None, [replace(raw, file=shown)])
            continue
        if read.store is not None:  # known by its digest; the bytes are read only if it must be parsed
            keys[i] = _record_key(shown, read.digests[i])
            hit = read.store.get(keys[i])
            if hit is not None:
                loaded[i] = _from_entry(hit, shown)
    missing = [i for i, done in enumerate(loaded) if done is None]
    read.fill(missing)
    for i in missing:  # read just now: one may have turned out unreadable, and its key moved
        raw = read.raw[i]
        if isinstance(raw, Finding):
            loaded[i] = (None, [replace(raw, file=read.shown[i])])
        elif read.store is not None:
            keys[i] = _record_key(read.shown[i], read.digests[i])
    missing = [i for i in missing if loaded[i] is None]
    workers = min(jobs(len(missing)), len(missing))
    if workers <= 1:
        for i in missing:
            raw = read.raw[i]
            assert raw is not None and not isinstance(raw, Finding)
            record, findings = _load_record(Path(read.files[i]), read.shown[i], raw, settings, schemas)
            loaded[i] = (record, findings)
            if read.store is not None:
                read.store.put(keys[i], _entry(record, findings))
    else:
        chunks = [missing[start : start + 250] for start in range(0, len(missing), 250)]
        _FORKED = (settings, schemas, read)
        try:
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for answers in pool.map(_parse_some, chunks):
                    for i, blob in answers:
                        loaded[i] = _from_entry(pickle.loads(blob), read.shown[i])
                        if read.store is not None:
                            read.store.put_pickled(keys[i], blob)
        finally:
            _FORKED = None
    return [done for done in loaded if done is not None]


def _load_record(
    path: Path, shown: str, raw: tuple[bytes, int], settings: Settings, schemas: dict[str, Schema]
) -> tuple[Record | None, list[Finding]]:
    parsed = loader.parse(raw[0], settings.max_file_bytes, raw[1])
    if isinstance(parsed, Finding):
        related = shown if parsed.related_line else None
        return None, [replace(parsed, file=shown, related_file=related)]
    stem = path.name.rsplit(".", 1)[0]
    kind = _kind_for(stem, parsed.data)
    if kind is None:
        return None, [
            Finding(
                rule=record_kind.ID,
                clauses=record_kind.CLAUSES,
                severity=record_kind.SEVERITY,
                file=shown,
                line=1,
                column=1,
                record=None,
                message=msg(
                    "无法判断这是哪类记录：文件名和 id 都不以 EMP-、PRJ-、REV-、RSK-、TRP- 或 TRS- 开头。"
                    "请按记录编号给文件命名（例如 PRJ-2026-001.yaml）并填写 id；不是记录的文件请移出 records/。",
                    "Cannot tell what kind of record this is: neither the file name nor the id starts with "
                    "EMP-, PRJ-, REV-, RSK-, TRP- or TRS-. Name the file after the record ID (e.g. PRJ-2026-001.yaml) "
                    "and fill in id; move files that are not records out of records/.",
                ),
            )
        ]
    record_id_value = parsed.data.get("id")
    sealed = parsed.data.pop(sops.BLOCK) if isinstance(parsed.data.get(sops.BLOCK), dict) else None
    record = Record(
        kind=kind.name,
        id=record_id_value if isinstance(record_id_value, str) else stem,
        file=shown,
        data=parsed.data,
        lines=parsed.lines,
        sealed=sealed,
        locked=any(True for _ in sops.sealed_values(parsed.data)),
    )
    found = _identity_findings(record, kind, path, settings)
    schema_findings = cap(validate(record, schemas[kind.name]), FINDINGS_PER_RULE + COUNTED_PAST_CAP)
    record.valid = not schema_findings
    return record, found + schema_findings


def keyring() -> tuple[sops.Keyring | None, list[Finding]]:
    """The age identities of this run (as SOPS finds them), or a finding when they cannot be read."""
    try:
        return sops.keyring_from_env(), []
    except sops.SopsProblem as problem:
        return None, [
            Finding(
                rule=encryption.ID,
                clauses=encryption.CLAUSES,
                severity=encryption.SEVERITY,
                file=os.environ.get("SOPS_AGE_KEY_FILE") or "SOPS_AGE_KEY",
                line=1,
                column=1,
                record=None,
                message=problem.message,
            )
        ]


def open_sealed(records: list[Record], schemas: dict[str, Schema]) -> tuple[set[str], list[Finding]]:
    """Decrypt, in memory, the confidential values of every record the run's key opens; then validate them.

    Runs after the cache: what the cache keeps is the file as written, never a decrypted value. A record
    the key cannot open stays ``locked``. Damaged values, a MAC that does not match and a damaged wrapped
    key are findings of the rule ``encryption`` at their lines. Returns the files opened and validated
    again (their first validation, of the sealed form, is superseded), and the findings.
    """
    opened_files: set[str] = set()
    sealed = [record for record in records if record.sealed is not None and record.locked]
    if not sealed:
        return opened_files, []
    keys, findings = keyring()
    if keys is None:
        return opened_files, findings
    for record in sealed:
        assert record.sealed is not None
        try:
            opened = sops.open_data(record.data, record.sealed, keys)
        except sops.NotRecipient:
            continue
        except sops.SopsProblem as problem:
            findings.append(_encryption_finding(record, problem))
            continue
        findings.extend(_encryption_finding(record, problem) for problem in opened.problems)
        record.opened = opened.paths
        record.data = opened.data
        record.locked = opened.locked
        if record.locked:
            continue
        checked = cap(validate(record, schemas[record.kind]), FINDINGS_PER_RULE + COUNTED_PAST_CAP)
        findings.extend(checked)
        record.valid = not checked
        opened_files.add(record.file)
    return opened_files, findings


def _encryption_finding(record: Record, problem: sops.SopsProblem) -> Finding:
    line, column = record.at(problem.path)
    return Finding(
        rule=encryption.ID,
        clauses=encryption.CLAUSES,
        severity=encryption.SEVERITY,
        file=record.file,
        line=line,
        column=column,
        record=record.id,
        message=problem.message,
    )


def config_record(settings: Settings) -> Record:
    """The settings file as a record, so rules can point at the setting behind a finding."""
    path = settings.root / CONFIG_NAME
    parsed = loader.read(path, settings.max_file_bytes) if path.is_file() else None
    document = parsed if isinstance(parsed, loader.Document) else loader.Document({}, {})
    return Record(kind="config", id=CONFIG_NAME, file=CONFIG_NAME, data=document.data, lines=document.lines, valid=True)


def _stamp(rule: rules.Rule, problem: Problem, severity: str | None = None) -> Finding:
    record = problem.record
    line, column = record.at(problem.path)
    related = problem.related
    return Finding(
        rule=rule.id,
        clauses=problem.clauses or rule.clauses,
        severity=severity or rule.severity,
        file=record.file,
        line=line,
        column=column,
        record=record.id,
        message=problem.message,
        related_file=related.file if related else None,
        related_line=related.line(problem.related_path) if related else None,
        related_record=related.id if related else None,
    )


#: What a rule's duties are called in the calendar (its CATEGORIES), when the duty names none itself.
CATEGORIES = {
    "review-due": "review",
    "risk-response-checked": "risk-check",
    "deviation-overdue": "deviation",
    "feedback-answered": "feedback",
    "escalation-late": "escalation",
    "training-plan-due": "training-plan",
    "career-plan": "career-plan",
    "acceptance-comments-rectified": "rectification",
}


def state_of(duty: Duty, as_of: dt.date, soon: dt.timedelta) -> str:
    """The obligation's state as of ``as_of``: the one place a due date is compared with today."""
    if duty.status != "open":
        return duty.status
    if duty.due is None:
        return "not_yet_due"
    if as_of > duty.due:
        return "overdue"
    return "due_soon" if duty.due - as_of <= soon else "not_yet_due"


def _obligation(rule: rules.Rule, duty: Duty, context: Context) -> tuple[Obligation, list[Finding]]:
    record = duty.record
    state = state_of(duty, context.as_of, context.soon)
    owner = context.index.get(duty.owner, "person") if duty.owner else None
    owner_name = owner.data.get("name") if owner else None
    note = (
        duty.why_not
        if state == "not_applicable"
        else duty.problems[0].message
        if state
        in (
            "violated",
            "overdue",
        )
        and duty.problems
        else None
    )
    obligation = Obligation(
        rule=rule.id,
        clauses=duty.clauses or rule.clauses,
        record=record.id,
        kind=record.kind,
        file=record.file,
        line=record.line(duty.path),
        subject=duty.subject,
        what=duty.what,
        owner=duty.owner,
        owner_name=owner_name,
        due=duty.due,
        state=state,
        note=note,
        category=duty.category or CATEGORIES.get(rule.id, rule.id),
    )
    if state not in ("violated", "overdue"):
        return obligation, []
    if not duty.problems:
        raise InternalError(
            msg(
                f"规则 {rule.id} 的义务 {obligation.key} 状态为 {state}，却没有说明问题。",
                f"rule {rule.id} left the obligation {obligation.key} {state} without saying what is wrong.",
            )
        )
    severity = "warning" if state == "overdue" else duty.severity or rule.severity
    findings = [
        replace(
            _stamp(rule, problem, severity),
            clauses=problem.clauses or obligation.clauses,
            obligation=obligation.key,
            state=state,
            owner=duty.owner,
            owner_name=owner_name,
            due=duty.due,
        )
        for problem in duty.problems
    ]
    return obligation, findings


def _collect(
    rule: rules.Rule, items: Any, context: Context, findings: list[Finding], obligations: list[Obligation]
) -> None:
    for item in items:
        if isinstance(item, Duty):
            obligation, found = _obligation(rule, item, context)
            obligations.append(obligation)
            findings.extend(found)
        elif rule.integrity:
            findings.append(_stamp(rule, item))
        else:
            raise TypeError(f"rule {rule.id} yielded a bare Problem: a policy rule states Duty objects")


#: The finding that says a rule was skipped for records whose confidential values no key opened.
NEEDS_KEY = needs_key.ID
#: Its severity: it informs and never fails a check, not even with --strict.
NOTICE = needs_key.SEVERITY


def _needs_key(rule: rules.Rule, skipped: list[Record]) -> Finding:
    """One notice per rule: how many records it skipped for want of a key, at the first of them."""
    first = skipped[0]
    sealed = next(sops.sealed_values(first.data), None)
    line, column = first.at(sealed[0] if sealed else ())
    count = len(skipped)
    return Finding(
        rule=NEEDS_KEY,
        clauses=rule.clauses,
        severity=NOTICE,
        file=first.file,
        line=line,
        column=column,
        record=first.id,
        message=msg(
            f"检查跳过了 {count} 份记录（{rule.id}）：其中的保密值已加密，本机没有能解开它们的密钥。"
            "有密钥时（SOPS_AGE_KEY_FILE 或 SOPS_AGE_KEY）这条规则也会检查这些记录。",
            f"Skipped for {count} record{'s' if count != 1 else ''} ({rule.id}): their confidential values are "
            "encrypted and no key that opens them was given (SOPS_AGE_KEY_FILE or SOPS_AGE_KEY). With the key, "
            "this rule checks them too.",
        ),
    )


def apply_rules(
    index: Index, context: Context, selected: list[rules.Rule] | None = None
) -> tuple[list[Finding], list[Obligation]]:
    """Every selected rule on every record: the findings and the obligations.

    A rule that reads confidential values (``CONFIDENTIAL``) skips each record whose values are still
    encrypted (``record.locked``: no key opened them); a rule over all records (``check_all``) is skipped
    while any record is locked. Each rule that skipped records says so once, in a notice (8.2.3).
    """
    findings: list[Finding] = []
    obligations: list[Obligation] = []
    for rule in selected or list(rules.RULES.values()):
        skipped: list[Record] = []
        if rule.check is not None:
            for kind in rule.kinds:
                for record in index.valid(kind):
                    if rule.confidential and record.locked:
                        skipped.append(record)
                        continue
                    try:
                        _collect(rule, rule.check(record, context), context, findings, obligations)
                    except Exception as error:
                        raise RuleCrash(rule.id, record.file, error) from error
        if rule.check_all is not None:
            locked = [record for record in index.records if record.locked] if rule.confidential else []
            if locked:
                listed = {id(record) for record in skipped}
                skipped.extend(record for record in locked if id(record) not in listed)
            else:
                try:
                    _collect(rule, rule.check_all(context), context, findings, obligations)
                except Exception as error:
                    raise RuleCrash(rule.id, None, error) from error
        if skipped:
            findings.append(_needs_key(rule, skipped))
    seen: dict[str, Obligation] = {}
    for obligation in obligations:
        if obligation.key in seen:
            raise InternalError(
                msg(
                    f"规则 {obligation.rule} 两次给出同一项义务 {obligation.key}。",
                    f"rule {obligation.rule} stated the obligation {obligation.key} twice.",
                )
            )
        seen[obligation.key] = obligation
    return findings, obligations


def report(
    settings: Settings,
    paths: list[Path] | None = None,
    as_of: dt.date | None = None,
    use_cache: bool = True,
    given: inputs.Inputs | None = None,
) -> Report | Result:
    """The findings of :func:`run`, from the cache when nothing they depend on changed since they were saved.

    What ``dops check`` reports: on an unchanged tree nothing is parsed and no rule runs.
    ``given``: the files, already read by :func:`dops.core.inputs.read` (the cache found no report for them).
    """
    as_of = as_of or settings.today()
    read = given or inputs.read(settings, paths, use_cache)
    # With a key, a report holds decrypted records: it is never written to the cache, nor read from it.
    whole = not sops.key_given()
    if given is None and whole:
        kept = read.cached_report(as_of)
        if kept is not None:
            return kept
    result = run_on(settings, read, as_of)
    if whole:
        read.keep_report(result)
    return result


def run(
    settings: Settings, paths: list[Path] | None = None, as_of: dt.date | None = None, use_cache: bool = True
) -> Result:
    """Check the whole records tree; with ``paths``, report only on those files.

    Cross-record rules always see every record, so that checking one file
    gives the same answer as checking the tree. Parsed records come from the
    cache when their path and bytes were seen before (``use_cache``).
    """
    return run_on(settings, inputs.read(settings, paths, use_cache), as_of or settings.today())


def run_on(settings: Settings, read: inputs.Inputs, as_of: dt.date) -> Result:
    """:func:`run` on files already read (:func:`dops.core.inputs.read`)."""
    schemas = load_schemas(settings)
    wanted = read.wanted
    records: list[Record] = []
    findings: list[Finding] = []
    for record, found in _load_all(settings, schemas, read):
        findings.extend(found)
        if record is not None:
            records.append(record)
    read.release()
    opened, problems = open_sealed(records, schemas)
    if opened:  # their schema findings are those of the decrypted values
        findings = [f for f in findings if not (f.rule == VALIDATION_RULE and f.file in opened)]
    findings.extend(problems)
    index = Index(records)
    context = Context(index=index, settings=settings, as_of=as_of, config=config_record(settings))
    found, obligations = apply_rules(index, context)
    found.sort(key=Finding.sort_key)
    findings.extend(cap(found))  # the files' own findings were capped as they were read
    if wanted is not None:
        findings = [f for f in findings if f.file in wanted]
        records = [r for r in records if r.file in wanted]
        obligations = [o for o in obligations if o.file in wanted]
    findings.sort(key=Finding.sort_key)
    obligations.sort(key=Obligation.sort_key)
    return Result(
        findings=tuple(findings),
        records=tuple(records),
        files=len(wanted) if wanted is not None else len(read.files),
        as_of=as_of,
        context=context,
        obligations=tuple(obligations),
    )


__all__ = ["Report", "Result", "RuleCrash", "SchemaProblem", "discover", "load_schemas", "report", "run", "run_on"]
