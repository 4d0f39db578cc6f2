"""An encrypted record file is readable by exactly those the records say may read it (8.2.3).

Each encrypted file lists in its ``sops:`` block the age keys its data key is
wrapped for. They must be the keys of the people who may read it (see
``dops keys``: an appraisal's chain of superiors and HR, a project's manager,
the manager's superior and the policy owners, HR for people's contact data)
plus ``encryption.always``. Someone who may no longer read — a leaver, a former
superior, a replaced key — must be removed: re-encrypt the file with
``dops reencrypt FILE`` and the next commit no longer opens for them (the
versions already in git history still do; see the README). Someone who may
read but is not among the recipients — a new superior, a new key — cannot do
their job until the file is re-encrypted for them, in the same pull request
as the change that made them a reader. Readers without an ``age_key`` are the
rule ``age-key-present``'s. The check reads only the ``sops:`` block, so it
runs without a key. Who must act: someone who can decrypt the file; the duty
is the project manager's for a project, HR's otherwise.

Failing::

    # records/people/EMP-0006.yaml
    status: left
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
    # records/reviews/REV-EMP-0003-2026Q3.yaml
    sops:
        age:
            - recipient: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm

Passing::

    # records/people/EMP-0006.yaml
    status: left
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
    # records/reviews/REV-EMP-0003-2026Q3.yaml
    sops:
        age:
            - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.kinds import KINDS as ALL_KINDS
from dops.core.model import Message, Record, msg
from dops.rules import recipients
from dops.rules.base import Context, Duty, Problem, duty

DOC_ZH = """加密的记录文件恰好只能由记录规定的有权阅读者解密（8.2.3）。

每个加密文件在 ``sops:`` 块中列出其数据密钥为哪些 age 公钥加密。它们必须正是有权阅读者的
公钥（见 ``dops keys``：考核为被考核人的上级链和人力资源，项目为项目经理、其上级和制度负责人，
人员联系方式为人力资源），再加上 ``encryption.always``。不应再能阅读的人——离职人员、原上级、
已更换的密钥——必须移除：用 ``dops reencrypt FILE`` 重新加密，下一次提交起他们就打不开了
（git 历史中已有的版本仍然可以，见 README）。有权阅读却不在接收者中的人——新的上级、新的
密钥——在文件为他们重新加密之前无法履行职责，应在使其成为阅读者的同一个 Pull Request 中重新
加密。没有 ``age_key`` 的阅读者由规则 ``age-key-present`` 报告。本检查只读 ``sops:`` 块，
没有密钥也能运行。由能解密此文件的人执行；项目的这项义务属于项目经理，其他记录属于人力资源。

不合规示例::

    # records/people/EMP-0006.yaml
    status: left
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
    # records/reviews/REV-EMP-0003-2026Q3.yaml
    sops:
        age:
            - recipient: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm

合规示例::

    # records/people/EMP-0006.yaml
    status: left
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
    # records/reviews/REV-EMP-0003-2026Q3.yaml
    sops:
        age:
            - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
"""

ID = "recipients-current"
CLAUSES = ("8.2.3",)
SEVERITY = "error"
TITLE = msg("加密文件的接收者须与有权阅读者一致", "An encrypted file's recipients are those who may read it")
KINDS = tuple(ALL_KINDS)

WHAT = msg("使本文件恰好只能由有权阅读者解密", "Keep the file readable by exactly those who may read it")


def check(record: Record, ctx: Context) -> Iterator[Duty]:
    have = recipients.sealed_recipients(record)
    if have is None:  # not encrypted (yet): nothing to compare
        return
    derived = recipients.of(ctx.index, ctx.settings)
    readers = derived.readers(record)
    if readers is None:  # a kind without confidential fields: nothing of it is to be read by anyone in particular
        return
    owner = record.get("manager") if record.kind == "project" else (derived.hr[0] if derived.hr else ctx.hr)
    at = recipients.sealed_at(record)
    wanted = set(readers.recipients)
    present = set(have)
    missing = [_reader(readers, key, derived) for key in sorted(wanted - present)]
    extra = [derived.holder(key) for key in sorted(present - wanted)]
    problems = [Problem(record, at, _message(record, missing, extra))] if missing or extra else []
    yield duty(record, at, "recipients", WHAT, owner if isinstance(owner, str) else None, problems)


def _reader(readers: recipients.Readers, key: str, derived: recipients.Recipients) -> Message:
    for reader in readers.people:
        if reader.key == key:
            return reader.label()
    return derived.holder(key)


def _message(record: Record, missing: list[Message], extra: list[Message]) -> Message:
    zh: list[str] = []
    en: list[str] = []
    if extra:
        zh.append(f"{'、'.join(m.zh for m in extra)} 不应再能阅读，却仍是接收者")
        en.append(
            f"{', '.join(m.en for m in extra)} may no longer read it but {_are(extra)} still among its recipients"
        )
    if missing:
        zh.append(f"{'、'.join(m.zh for m in missing)} 有权阅读，却不在接收者中")
        en.append(f"{', '.join(m.en for m in missing)} may read it but {_are(missing)} not among its recipients")
    return msg(
        f"{record.file} 的接收者与记录不一致：{'；'.join(zh)}。"
        f"请由能解密此文件的人运行 `dops reencrypt {record.file}` 并提交。",
        f"{record.file}'s recipients differ from the records: {'; '.join(en)}. "
        f"Someone who can decrypt it runs `dops reencrypt {record.file}` and commits the result.",
    )


def _are(items: list[Message]) -> str:
    return "is" if len(items) == 1 else "are"
