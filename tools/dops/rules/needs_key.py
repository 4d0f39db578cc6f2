"""Rules that read confidential values say when they were skipped for want of a key (8.2.3).

Budget overruns, low scores without a shortcoming, an outcome that contradicts its grade: these rules
read values that are stored encrypted. Without a key that opens a record (``SOPS_AGE_KEY_FILE`` or
``SOPS_AGE_KEY``: a pull request's CI, the site build, a colleague's machine), such a rule skips the
record and says so once, in a notice at the first skipped record: how many records it skipped. A notice
never fails the check, not even with ``--strict``. With a key that opens the records, every rule runs
and no notice is given.

Failing (a notice, without a key: review-outcome skipped 70 records)::

    indicators: {results: {score: "ENC[AES256_GCM,data:…,type:int]"}}

Passing (with the key, the same record is checked in full)::

    SOPS_AGE_KEY_FILE=~/.config/sops/age/keys.txt dops check
"""

from dops.core.model import msg

ID = "needs-key"
DOC_ZH = """需要读保密值的规则在没有密钥时说明自己跳过了哪些记录（8.2.3）。

预算超支、低分却没有记录不足、结果与等级矛盾：这些规则要读加密保存的值。没有能打开记录的密钥时
（``SOPS_AGE_KEY_FILE`` 或 ``SOPS_AGE_KEY``：Pull Request 的 CI、网站构建、同事的电脑），这类规则
跳过该记录，并在第一份被跳过的记录处给出一条提示，说明跳过了多少份。提示不会让检查失败，
``--strict`` 下也不会。有能打开记录的密钥时，所有规则都会运行，不再提示。

不合规示例（没有密钥时的提示：review-outcome 跳过了 70 份记录）::

    indicators: {results: {score: "ENC[AES256_GCM,data:…,type:int]"}}

合规示例（有密钥时，同一份记录会被完整检查）::

    SOPS_AGE_KEY_FILE=~/.config/sops/age/keys.txt dops check
"""

CLAUSES: tuple[str, ...] = ("8.2.3",)
INTEGRITY = True  # stated by the engine about other rules, never a duty of the policy's
SEVERITY = "notice"
TITLE = msg("没有密钥时说明跳过了哪些检查", "Checks skipped for want of a key are named")
