"""Whoever must read confidential records has an age public key in their person record (8.2.3).

Confidential fields are encrypted for the people who may read them (see
``dops keys``): an appraisal for the person's chain of superiors and HR, a
project's budget and customer for its manager, the manager's superior and the
policy owners, people's contact data for HR. A person among them without an
``age_key`` cannot open what their job needs them to read, so someone else
would have to decrypt it for them — which is what encryption is to prevent.
The finding sits on the person record and names one of the files; the person
makes a key pair with ``age-keygen``, keeps the private key on their own
machine, puts the public key into ``age_key`` and runs ``dops keys``; someone
who can decrypt the files then runs ``dops reencrypt`` in the same pull
request. A person who reads nothing, or has left, needs no key. The rule
applies once the repository encrypts: a record file is encrypted or there is
a ``.sops.yaml``. The finding is a warning about the setup, not a duty of the
policy with a date: it stands until the key is there.

Failing::

    # .sops.yaml exists
    # records/people/EMP-0002.yaml (the superior of EMP-0003, who has appraisals)
    id: EMP-0002
    status: active

Passing::

    # .sops.yaml exists
    # records/people/EMP-0002.yaml (the superior of EMP-0003, who has appraisals)
    id: EMP-0002
    status: active
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
"""

from __future__ import annotations

from collections.abc import Iterator

from dops.core.model import Record, msg
from dops.rules import recipients
from dops.rules.base import Context, Problem

DOC_ZH = """须阅读保密记录的人，其人员记录中要有 age 公钥（8.2.3）。

保密字段只为有权阅读者加密（见 ``dops keys``）：考核为被考核人的上级链和人力资源，项目的
预算和客户信息为项目经理、其上级和制度负责人，人员联系方式为人力资源。其中没有 ``age_key``
的人打不开工作需要阅读的内容，只能由别人解密给他看——这正是加密要防止的。检查结果在人员记录
上，并举出其中一个文件；本人用 ``age-keygen`` 生成密钥对，私钥只留在自己的电脑上，把公钥
填入 ``age_key`` 并运行 ``dops keys``；然后由能解密这些文件的人在同一个 Pull Request 中运行
``dops reencrypt``。不需要阅读任何加密文件的人和已离职人员不需要密钥。仓库开始加密之后
（已有加密的记录文件，或有 ``.sops.yaml``）本规则才适用。这是关于配置的警告，不是有期限的
制度义务：在填好公钥之前一直存在。

不合规示例::

    # 已有 .sops.yaml
    # records/people/EMP-0002.yaml（EMP-0003 的上级，EMP-0003 有考核记录）
    id: EMP-0002
    status: active

合规示例::

    # 已有 .sops.yaml
    # records/people/EMP-0002.yaml（EMP-0003 的上级，EMP-0003 有考核记录）
    id: EMP-0002
    status: active
    age_key: age1erumjv469kgnyhc8qnwqq3m27w9fd209mm40vxnerwhxhsaznuuqgenlpm
"""

ID = "age-key-present"
CLAUSES = ("8.2.3",)
INTEGRITY = True  # a gap in the setup, reported as found: no duty with a due date, no "done late"
SEVERITY = "warning"
TITLE = msg("须阅读保密记录的人要有 age 公钥", "Whoever must read confidential records has an age key")
KINDS = ("person",)


def check(record: Record, ctx: Context) -> Iterator[Problem]:
    if recipients.left(record) or recipients.age_key(record) is not None:
        return
    derived = recipients.of(ctx.index, ctx.settings)
    files = derived.reads().get(record.id) if derived.in_use else None
    if files:
        first = files[0]
        roles = next(reader for reader in first.people if reader.person == record.id).roles
        yield Problem(
            record,
            ("id",),
            msg(
                f"{record.id} 须阅读 {len(files)} 个含保密字段的文件（例如 {first.file}，作为"
                f"{'、'.join(role.zh for role in roles)}），但人员记录中没有 age_key，打不开它们。请用 age-keygen "
                "生成密钥对，私钥只留在自己的电脑上，把公钥（age1…）填入 age_key；然后运行 dops keys，"
                "并请能解密这些文件的人运行 dops reencrypt。",
                f"{record.id} must read {len(files)} file(s) with confidential fields (such as {first.file}, as "
                f"{' and '.join(role.en for role in roles)}) but their person record has no age_key, so they "
                "cannot open them. Make a key pair with age-keygen, keep the private key on your own machine "
                "and put the public key (age1…) into age_key; then run dops keys and have someone who can "
                "decrypt the files run dops reencrypt.",
            ),
        )
