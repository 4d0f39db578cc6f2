"""Encrypted values open with the file's own key and match its MAC (8.2.3).

A record's confidential values are stored encrypted in the SOPS format (``ENC[AES256_GCM,…]``), with
the file's data key wrapped for each reader in the ``sops:`` block. When the check has a key that opens
the file (``SOPS_AGE_KEY_FILE`` or ``SOPS_AGE_KEY``), it decrypts every value and checks the file's MAC.
A value that was altered, or copied from another field or file, fails at its line; values added,
removed or swapped outside dops or sops fail the MAC, at ``sops.mac``; a damaged wrapped key fails at
its recipient. Without a key, or with a key that is not among the file's recipients, nothing is
decrypted and the rules that read confidential values say that they were skipped. A key file that
cannot be read is reported once.

Failing (a score's ciphertext pasted from another review)::

    indicators:
      results: {score: "ENC[AES256_GCM,data:Tw==,iv:…,tag:…,type:int]"}   # fails its check

Passing (the values as ``dops encrypt``, ``dops edit`` or ``sops`` wrote them)::

    indicators:
      results: {score: "ENC[AES256_GCM,data:Tw==,iv:…,tag:…,type:int]"}   # sealed for indicators:results:score:
"""

from dops.core.model import msg

ID = "encryption"
DOC_ZH = """加密值必须能用文件自己的密钥解开，并与文件的 MAC 相符（8.2.3）。

记录中的保密值以 SOPS 格式加密保存（``ENC[AES256_GCM,…]``），文件的数据密钥为每位读者
分别用 age 封装，放在文件末尾的 ``sops:`` 元数据里。检查时如果有能打开此文件的密钥
（``SOPS_AGE_KEY_FILE`` 或 ``SOPS_AGE_KEY``），会解密每个值并核对 MAC。被改动过、或从别的
字段或文件复制来的值，在其所在行报错；在 dops 或 sops 之外增删、调换加密值，MAC 不符，
在 ``sops.mac`` 处报错；损坏的封装密钥在其收件人处报错。没有密钥、或密钥不在收件人之中时，
不解密任何值，需要读保密值的规则会说明它们被跳过。无法读取的密钥文件报告一次。

不合规示例（从另一份考核复制来的分数密文）::

    indicators:
      results: {score: "ENC[AES256_GCM,data:Tw==,iv:…,tag:…,type:int]"}   # 校验失败

合规示例（由 ``dops encrypt``、``dops edit`` 或 ``sops`` 写入的加密值）::

    indicators:
      results: {score: "ENC[AES256_GCM,data:Tw==,iv:…,tag:…,type:int]"}   # 为 indicators:results:score: 加密
"""

CLAUSES: tuple[str, ...] = ("8.2.3",)
INTEGRITY = True
SEVERITY = "error"
TITLE = msg("加密值完好、可以校验", "Encrypted values are intact and verifiable")
