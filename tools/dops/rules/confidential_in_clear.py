"""Confidential values are stored encrypted in the record files (8.2.3).

Files holding confidential information are stored encrypted. In a record
that is each value of a confidential field (``x-confidential`` in the
schemas: appraisal scores and texts, the outcome, customer details, the
budget, personal contact data), kept as an ``ENC[AES256_GCM,…]`` value with
the file's ``sops:`` block, as ``dops encrypt`` writes it; the public fields
stay in clear. Where ``encryption.required`` is true in dops.yaml, a
confidential value in clear is reported at its line, naming the field but
never the value. Whatever the setting, two mistakes are reported: encrypted
values in a file without its ``sops:`` block, which nobody can decrypt, and
an encrypted value in a public field, which the site and the other rules can
no longer read. One duty per person, project and appraisal record, for the
person who keeps it: HR for a person, the project manager for a project, the
reviewer for an appraisal. An encrypted value of the wrong type, or a damaged
one, is the schema's finding.

Failing::

    # dops.yaml
    encryption: {required: true}
    # records/reviews/REV-EMP-0003-2026.yaml
    outcome: {grade: B, bonus_band: 3}

Passing::

    # dops.yaml
    encryption: {required: true}
    # records/reviews/REV-EMP-0003-2026.yaml
    outcome:
      grade: ENC[AES256_GCM,data:Qg==,iv:…,tag:…,type:str]
      bonus_band: ENC[AES256_GCM,data:Mw==,iv:…,tag:…,type:int]
    sops:
        age: [...]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dops.core import confidential, sops
from dops.core.kinds import KINDS
from dops.core.model import Path, Record, msg
from dops.core.validation import load_schema
from dops.rules.base import Context, Duty, Problem, duty, not_applicable
from dops.rules.review_due import reviewer

DOC_ZH = """保密值在记录文件中加密保存（8.2.3）。

涉及保密信息的文件要加密存储。在记录中，这指的是每个保密字段的值（数据模式中标为
``x-confidential``：考核评分和评价、考核结果、客户信息、预算、个人联系方式），按
``dops encrypt`` 的写法保存为 ``ENC[AES256_GCM,…]``，并附上文件的 ``sops:`` 块；公开字段
仍以明文保存。dops.yaml 中 ``encryption.required`` 为 true 时，以明文保存的保密值会在其所在行
报出，指明字段，但绝不显示值本身。无论如何设置，以下两种错误都会报出：文件中有加密值却没有
``sops:`` 块，任何人都无法解密；公开字段保存为加密值，网站和其他规则都无法再读取。每条人员、
项目和考核记录各有一项义务，由保管记录的人负责：人员记录由人力资源负责，项目由项目经理负责，
考核由考核人负责。加密值的类型不对或已损坏，由数据模式检查报出。

不合规示例::

    # dops.yaml
    encryption: {required: true}
    # records/reviews/REV-EMP-0003-2026.yaml
    outcome: {grade: B, bonus_band: 3}

合规示例::

    # dops.yaml
    encryption: {required: true}
    # records/reviews/REV-EMP-0003-2026.yaml
    outcome:
      grade: ENC[AES256_GCM,data:Qg==,iv:…,tag:…,type:str]
      bonus_band: ENC[AES256_GCM,data:Mw==,iv:…,tag:…,type:int]
    sops:
        age: [...]
"""

ID = "confidential-in-clear"
CLAUSES = ("8.2.3",)
SEVERITY = "error"
TITLE = msg("保密信息加密保存，不以明文写在记录中", "Confidential values are stored encrypted, never in clear")

WHAT = msg("加密保存记录中的保密信息", "Keep the record's confidential values encrypted")


def _dotted(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _values(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every scalar under ``data`` with its path, in document order (nothing for an empty value)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _values(value, (*path, index))
    elif data is not None:
        yield path, data


def _owner(record: Record, ctx: Context) -> str | None:
    if record.kind == "person":
        return ctx.hr
    if record.kind == "project":
        manager = record.get("manager")
        return manager if isinstance(manager, str) else None
    return reviewer(ctx, record.data["person"], record.data["period"])


def _problems(record: Record, fields: confidential.Fields, required: bool) -> list[Problem]:
    problems: list[Problem] = []
    orphans: list[Path] = []
    for path, value in _values(record.data):
        covered = fields.covers(path)
        field = _dotted(path)
        if sops.is_sealed(value) or path in record.opened:  # stored encrypted (a key may have opened it)
            if not covered:
                problems.append(
                    Problem(
                        record,
                        path,
                        msg(
                            f"字段 {field} 不是保密字段，却保存为加密值（ENC[…]）：网站和检查都无法读取它。"
                            "请解密后以明文填写。",
                            f"The field {field} is not confidential but holds an encrypted value (ENC[…]): neither "
                            "the site nor the check can read it. Decrypt it and write the value in clear.",
                        ),
                    )
                )
            elif record.sealed is None:
                orphans.append(path)
            continue
        if not covered or not required:
            continue
        problems.append(
            Problem(
                record,
                path,
                msg(
                    f"保密字段 {field} 以明文保存。请运行 `dops encrypt {record.file}` 加密。",
                    f"The confidential field {field} is stored in clear. Run `dops encrypt {record.file}` to "
                    "encrypt it.",
                ),
            )
        )
    if orphans:
        count = len(orphans)
        problems.append(
            Problem(
                record,
                orphans[0],
                msg(
                    f"这个文件有 {count} 个加密值（ENC[…]），却没有 sops: 块（其中保存着解密所需的数据密钥），"
                    "任何人都无法解密。请从版本历史中恢复 sops: 块，或重新填写这些值后运行 "
                    f"`dops encrypt {record.file}`。",
                    f"This file holds {count} encrypted value{'s' if count != 1 else ''} (ENC[…]) but no sops: "
                    "block, which holds the data key to decrypt them: nobody can. Restore the sops: block from "
                    f"the history, or write the values again and run `dops encrypt {record.file}`.",
                ),
            )
        )
    return sorted(problems, key=lambda problem: record.at(problem.path))


def check_all(ctx: Context) -> Iterator[Duty]:
    required = ctx.settings.encryption.required
    for kind in KINDS.values():
        shown = f"{ctx.settings.schemas}/{kind.schema_file}"
        fields = confidential.fields(load_schema(ctx.settings.schemas_dir / kind.schema_file, shown).flat)
        if not fields.patterns:
            continue
        for record in ctx.index.valid(kind.name):
            owner = _owner(record, ctx)
            problems = _problems(record, fields, required)
            if not required and not problems:
                why = msg(
                    "dops.yaml 没有要求加密保存（encryption.required 不是 true）。",
                    "dops.yaml does not require encryption (encryption.required is not true).",
                )
                yield not_applicable(record, ("id",), "encrypted", WHAT, why, owner)
                continue
            yield duty(record, ("id",), "encrypted", WHAT, owner, problems)
