"""Confidential values at rest (8.2.3), in the SOPS format.

A record file keeps its public fields in clear and each confidential value as
``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]``. The file's 32-byte data key is
wrapped with age (X25519) for every recipient in the ``sops:`` block at the end
of the file, beside a MAC over the encrypted values only (SOPS's
``mac_only_encrypted``), so the public fields stay editable by hand.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path as Path_
from typing import Any

import pyrage
import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pyrage import x25519

from dops.core import loader
from dops.core.model import Message, Path, msg

#: The key of the metadata block SOPS appends to a file.
BLOCK = "sops"
#: One encrypted value, as SOPS writes it.
ENC = re.compile(
    r"ENC\[AES256_GCM,data:(?P<data>[A-Za-z0-9+/]*={0,2}),iv:(?P<iv>[A-Za-z0-9+/]+={0,2}),"
    r"tag:(?P<tag>[A-Za-z0-9+/]+={0,2}),type:(?P<type>[a-z]+)\]\Z"
)
#: The same, as a JSON Schema pattern with the type tags given (``%s``: ``str|time``).
ENC_SCHEMA_PATTERN = (
    r"^ENC\[AES256_GCM,data:[A-Za-z0-9+/]*={0,2},iv:[A-Za-z0-9+/]+={0,2},tag:[A-Za-z0-9+/]+={0,2},type:(%s)\]$"
)


def is_sealed(value: object) -> bool:
    """True for a string that is an encrypted value (or meant to be one: it starts like one)."""
    return isinstance(value, str) and value.startswith("ENC[")


def sealed_values(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every encrypted value in ``data``, with its path, in document order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from sealed_values(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from sealed_values(value, (*path, index))
    elif is_sealed(data):
        yield path, data


# --------------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------------

#: SOPS's format version this module writes (the layout of the ``sops:`` block and of the MAC).
VERSION = "3.11.0"
#: With ``mac_only_encrypted``, SOPS feeds the MAC these 32 bytes first, so that such a MAC can never
#: equal one over all values (sops/v3 ``MacOnlyEncryptedInitialization``).
_MAC_ONLY_ENCRYPTED_INIT = bytes.fromhex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69")
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}\Z")


class SopsProblem(Exception):
    """Something about a sealed file or a key that the user must fix; ``message`` says what, in both languages."""

    def __init__(self, message: Message, path: Path = ()) -> None:
        super().__init__(message.en)
        self.message, self.path = message, path


@dataclass(frozen=True)
class Keyring:
    """The age identities this run may decrypt with, and where they came from (for messages)."""

    identities: tuple[x25519.Identity, ...]
    source: str

    @functools.cached_property
    def recipients(self) -> frozenset[str]:
        return frozenset(str(identity.to_public()) for identity in self.identities)


def _identities(text: str, source: str) -> list[x25519.Identity]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except Exception as err:  # pyrage raises its own error types for a malformed key
            raise SopsProblem(
                msg(
                    f"{source} 第 {number} 行不是 age 私钥（应以 AGE-SECRET-KEY-1 开头）。",
                    f"Line {number} of {source} is not an age secret key (it should start with AGE-SECRET-KEY-1).",
                )
            ) from err
    return found


def _default_key_file(env: Mapping[str, str]) -> Path_:
    config = Path_(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path_.home() / ".config"
    return config / "sops" / "age" / "keys.txt"


def key_given(environ: Mapping[str, str] | None = None) -> bool:
    """True when SOPS would find an age key: cheap, for deciding what may be cached."""
    env = os.environ if environ is None else environ
    return bool(env.get("SOPS_AGE_KEY") or env.get("SOPS_AGE_KEY_FILE")) or _default_key_file(env).is_file()


def keyring_from_env(environ: Mapping[str, str] | None = None) -> Keyring | None:
    """The identities SOPS itself would use: ``SOPS_AGE_KEY``, ``SOPS_AGE_KEY_FILE``, else ``sops/age/keys.txt``
    in the user's configuration folder. None when there is none; SopsProblem when one cannot be read."""
    env = os.environ if environ is None else environ
    identities: list[x25519.Identity] = []
    sources: list[str] = []
    if env.get("SOPS_AGE_KEY"):
        identities += _identities(env["SOPS_AGE_KEY"], "SOPS_AGE_KEY")
        sources.append("SOPS_AGE_KEY")
    given = env.get("SOPS_AGE_KEY_FILE")
    path = Path_(given) if given else _default_key_file(env)
    if given or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise SopsProblem(
                msg(
                    f"无法读取密钥文件 {path}（{reason}）。请检查 SOPS_AGE_KEY_FILE。",
                    f"Cannot read the key file {path} ({reason}). Check SOPS_AGE_KEY_FILE.",
                )
            ) from err
        identities += _identities(text, "SOPS_AGE_KEY_FILE" if given else str(path))
        sources.append("SOPS_AGE_KEY_FILE" if given else str(path))
    if not identities:
        return None
    return Keyring(tuple(identities), " + ".join(sources))


def is_recipient(text: str) -> bool:
    """True for an age X25519 public key (``age1`` + 58 Bech32 characters)."""
    return bool(_AGE_RECIPIENT.match(text))


def new_data_key() -> bytes:
    return os.urandom(32)


def wrap(data_key: bytes, recipients: Iterable[str]) -> list[dict[str, str]]:
    """The data key wrapped for each recipient with age, armored, as SOPS lists it under ``sops.age``."""
    wrapped = []
    for recipient in sorted(set(recipients)):
        enc = pyrage.encrypt(data_key, [x25519.Recipient.from_str(recipient)], armored=True)
        wrapped.append({"recipient": recipient, "enc": enc.decode("ascii")})
    return wrapped


def recipients_of(sealed: Mapping[str, Any]) -> list[str]:
    """The age recipients a sealed file's data key is wrapped for."""
    entries = sealed.get("age")
    if not isinstance(entries, list):
        return []
    return [str(entry["recipient"]) for entry in entries if isinstance(entry, dict) and "recipient" in entry]


def unwrap(sealed: Mapping[str, Any], keyring: Keyring) -> bytes:
    """The file's data key, opened with one of the keyring's identities; SopsProblem when none can."""
    entries = sealed.get("age")
    if not isinstance(entries, list) or not entries:
        raise SopsProblem(
            msg(
                "sops 元数据里没有 age 收件人，没有人能解密此文件。请用 `dops reencrypt` 重新加密。",
                "The sops metadata lists no age recipient: nobody can decrypt this file. Run `dops reencrypt`.",
            ),
            (BLOCK,),
        )
    mine = keyring.recipients
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("enc"), str):
            continue
        if entry.get("recipient") not in mine:
            continue
        try:
            key = pyrage.decrypt(entry["enc"].encode("ascii", "replace"), list(keyring.identities))
        except Exception as err:
            raise SopsProblem(
                msg(
                    f"第 {index + 1} 个收件人（{entry.get('recipient')}）的数据密钥已损坏，无法解开。"
                    "请由另一位收件人运行 `dops reencrypt`。",
                    f"The data key wrapped for recipient {index + 1} ({entry.get('recipient')}) is damaged and "
                    "cannot be opened. Ask another recipient to run `dops reencrypt`.",
                ),
                (BLOCK, "age", index),
            ) from err
        if len(key) != 32:
            raise SopsProblem(
                msg("数据密钥长度不对（应为 32 字节）。", "The data key has the wrong length (32 bytes expected)."),
                (BLOCK, "age", index),
            )
        return key
    raise NotRecipient(recipients_of(sealed))


class NotRecipient(SopsProblem):
    """None of the keyring's identities is among the file's recipients."""

    def __init__(self, recipients: list[str]) -> None:
        super().__init__(
            msg(
                "你的密钥不在此文件的收件人中，无法解密。",
                "Your key is not among this file's recipients, so it cannot be decrypted.",
            ),
            (BLOCK, "age"),
        )
        self.recipients = recipients


# --------------------------------------------------------------------------------------------------
# Values and the MAC
# --------------------------------------------------------------------------------------------------


def aad(path: Path) -> str:
    """SOPS's additional data for a value: the keys on its path (list indexes left out), each followed by ``:``."""
    return "".join(f"{step}:" for step in path if isinstance(step, str))


def plaintext(value: Any) -> tuple[bytes, str]:
    """A value's bytes and type tag as SOPS encrypts it (Go's formatting of numbers and booleans)."""
    if isinstance(value, bool):
        return (b"True" if value else b"False"), "bool"
    if isinstance(value, int):
        return str(value).encode(), "int"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f").encode(), "float"
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass"), "str"
    raise TypeError(f"cannot encrypt a {type(value).__name__}")


def encrypt_value(value: Any, key: bytes, path: Path) -> str:
    """``ENC[AES256_GCM,…]`` for ``value`` at ``path``, under a fresh 32-byte nonce as SOPS uses."""
    data, tag = plaintext(value)
    return _seal(data, tag, key, aad(path))


def _seal(data: bytes, tag: str, key: bytes, additional: str) -> str:
    nonce = os.urandom(32)
    sealed = AESGCM(key).encrypt(nonce, data, additional.encode("utf-8"))
    b64 = base64.b64encode
    return (
        f"ENC[AES256_GCM,data:{b64(sealed[:-16]).decode()},iv:{b64(nonce).decode()},"
        f"tag:{b64(sealed[-16:]).decode()},type:{tag}]"
    )


def _open(text: str, key: bytes, additional: str, path: Path) -> tuple[bytes, str]:
    found = ENC.match(text)
    if found is None:
        raise SopsProblem(
            msg(
                "加密值的格式不对（应为 ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]），可能被手工改过。"
                "请从 git 历史恢复这个值，或重新填写后运行 `dops encrypt`。",
                "The encrypted value is malformed (expected ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]); it may "
                "have been edited by hand. Restore it from git history, or fill it in again and run `dops encrypt`.",
            ),
            path,
        )
    decode = binascii.a2b_base64
    try:
        clear = AESGCM(key).decrypt(
            decode(found["iv"]), decode(found["data"]) + decode(found["tag"]), additional.encode("utf-8")
        )
    except (InvalidTag, ValueError, binascii.Error) as err:
        raise SopsProblem(
            msg(
                "加密值无法通过校验：它被改动过、从别的字段或文件复制而来，或用了别的数据密钥。"
                "请从 git 历史恢复这个值，或重新填写后运行 `dops encrypt`。",
                "The encrypted value fails its check: it was altered, copied from another field or file, or made "
                "with another data key. Restore it from git history, or fill it in again and run `dops encrypt`.",
            ),
            path,
        ) from err
    return clear, found["type"]


def decrypt_value(text: str, key: bytes, path: Path) -> Any:
    """The value an ``ENC[…]`` string at ``path`` holds, typed by its tag; SopsProblem when it cannot be."""
    return _decrypt(text, key, path)[0]


def _decrypt(text: str, key: bytes, path: Path) -> tuple[Any, bytes]:
    """The typed value and the bytes it was encrypted from (what the MAC covers)."""
    clear, tag = _open(text, key, aad(path), path)
    return _typed(clear, tag, path), clear


def _typed(clear: bytes, tag: str, path: Path) -> Any:
    try:
        text = clear.decode("utf-8", "surrogatepass")
        if tag == "str":
            return text
        if tag == "int":
            return int(text)
        if tag == "float":
            return float(text)
        if tag == "bool":
            if text in ("1", "t", "T", "TRUE", "true", "True"):
                return True
            if text in ("0", "f", "F", "FALSE", "false", "False"):
                return False
            raise ValueError(text)
        if tag == "time":
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.time() == dt.time(0) and moment.utcoffset() in (None, dt.timedelta(0)):
                return moment.date().isoformat()  # a date written without quotes, which sops took for a time
            return text
    except ValueError:
        pass
    raise SopsProblem(
        msg(
            f"加密值的类型标记 type:{tag} 与内容不符，或 dops 不支持这种类型。",
            f"The encrypted value's type:{tag} does not match its content, or dops does not support that type.",
        ),
        path,
    )


def mac(clear: Iterable[bytes]) -> str:
    """SOPS's MAC over the plaintext bytes of the encrypted values, in document order (``mac_only_encrypted``)."""
    digest = hashlib.sha512(_MAC_ONLY_ENCRYPTED_INIT)
    for data in clear:
        digest.update(data)
    return digest.hexdigest().upper()


def seal_mac(value: str, key: bytes, lastmodified: str) -> str:
    return _seal(value.encode("ascii"), "str", key, lastmodified)


def open_mac(sealed: Mapping[str, Any], key: bytes) -> str:
    """The MAC stored in a ``sops:`` block, decrypted; SopsProblem when it is missing or damaged."""
    stored, lastmodified = sealed.get("mac"), sealed.get("lastmodified")
    if not isinstance(stored, str) or not isinstance(lastmodified, str):
        raise SopsProblem(
            msg(
                "sops 元数据缺少 mac 或 lastmodified，文件可能被截断或手工改过。请从 git 历史恢复。",
                "The sops metadata lacks mac or lastmodified; the file may be truncated or edited by hand. "
                "Restore it from git history.",
            ),
            (BLOCK,),
        )
    clear, _ = _open(stored, key, lastmodified, (BLOCK, "mac"))
    return clear.decode("ascii", "replace")


@dataclass
class Opened:
    """A sealed record's data with every encrypted value decrypted, and what went wrong on the way.

    ``paths`` names the values decrypted; ``locked`` is True when some stayed encrypted (they failed).
    """

    data: dict[str, Any]
    problems: list[SopsProblem]
    paths: frozenset[Path] = frozenset()
    locked: bool = False


def open_data(data: dict[str, Any], sealed: Mapping[str, Any], keyring: Keyring) -> Opened:
    """Decrypt every ``ENC[…]`` value of ``data`` and verify the MAC; ``data`` itself is left as it was.

    Only the branches that hold encrypted values are copied. NotRecipient is raised as is (the record
    stays locked); every other problem is collected: a value that cannot be opened stays encrypted and is
    reported at its path, a MAC that does not match at ``sops.mac``.
    """
    key = unwrap(sealed, keyring)
    problems: list[SopsProblem] = []
    clear: list[bytes] = []
    paths: list[Path] = []

    def walk(node: Any, path: Path) -> Any:
        """``node`` with its encrypted values decrypted: the very same object where it holds none."""
        if isinstance(node, dict):
            changed = None
            for name, value in node.items():
                if isinstance(value, (dict, list, str)):
                    new = walk(value, (*path, name))
                    if new is not value:
                        if changed is None:
                            changed = dict(node)
                        changed[name] = new
            return node if changed is None else changed
        if isinstance(node, list):
            items = None
            for index, value in enumerate(node):
                if isinstance(value, (dict, list, str)):
                    new = walk(value, (*path, index))
                    if new is not value:
                        if items is None:
                            items = list(node)
                        items[index] = new
            return node if items is None else items
        if node.startswith("ENC["):
            try:
                value, data = _decrypt(node, key, path)
            except SopsProblem as problem:
                problems.append(problem)
                return node
            clear.append(data)
            paths.append(path)
            return value
        return node

    opened = walk(data, ())
    if not problems:
        try:
            if open_mac(sealed, key) != mac(clear):
                problems.append(
                    SopsProblem(
                        msg(
                            "MAC 不符：加密值被增删、调换或改动过，不是用 dops 或 sops 加密写入的。"
                            "请从 git 历史找出改动，恢复后重新加密。",
                            "The MAC does not match: encrypted values were added, removed, swapped or altered "
                            "other than by dops or sops. Find the change in git history, restore it and encrypt again.",
                        ),
                        (BLOCK, "mac"),
                    )
                )
        except SopsProblem as problem:
            problems.append(problem)
    still_sealed = any(problem.path[:1] != (BLOCK,) for problem in problems)  # a value that failed stays ENC[…]
    return Opened(opened, problems, frozenset(paths), still_sealed)


# --------------------------------------------------------------------------------------------------
# Files: only the confidential values' bytes change
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """Where a scalar value sits in the text, and what surrounds it."""

    path: Path
    start: int
    end: int
    flow: bool  # inside [...] or {...}: a value written there must be quoted if it holds "," or brackets
    indent: int  # the indentation of the line the value starts on


@dataclass
class _Layout:
    spans: list[_Span]
    block: tuple[int, int] | None  # the top-level ``sops:`` entry, from its line's start to its value's end


def _layout(text: str) -> _Layout:
    """Every scalar value's span, from libyaml's events (character offsets, as Python slices count)."""
    parser = loader.event_parser(text)
    spans: list[_Span] = []
    block: tuple[int, int] | None = None
    # Each open collection: [is_mapping, flow, next index or current key, expecting a key, key start]
    stack: list[list[Any]] = []
    path: list[str | int] = []

    def line_start(offset: int) -> int:
        return text.rfind("\n", 0, offset) + 1

    def begin_value() -> None:
        """A value starts: put its key or index on the path."""
        top = stack[-1] if stack else None
        if top is not None and not top[0]:
            path.append(top[2])

    def end_value() -> None:
        top = stack[-1] if stack else None
        if top is None:
            return
        if top[0]:
            path.pop()
            top[3] = True
        else:
            path.pop()
            top[2] += 1

    while True:
        event: Any = parser.get_event()
        if event is None or isinstance(event, yaml.StreamEndEvent):
            break
        top = stack[-1] if stack else None
        if isinstance(event, yaml.ScalarEvent):
            if top is not None and top[0] and top[3]:  # a key
                top[2], top[3], top[4] = event.value, False, _offset(event.start_mark)
                path.append(event.value)
                continue
            begin_value()
            start = _offset(event.start_mark)
            head = line_start(start)
            indent = len(text[head:start]) - len(text[head:start].lstrip(" "))
            spans.append(_Span(tuple(path), start, _offset(event.end_mark), any(level[1] for level in stack), indent))
            end_value()
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            begin_value()
            flow = bool(event.flow_style)
            stack.append([isinstance(event, yaml.MappingStartEvent), flow, 0, True, 0])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            if len(stack) == 1 and path == [BLOCK]:
                block = (line_start(stack[0][4]), _offset(event.end_mark))
            end_value()
    return _Layout(spans, block)


def _offset(mark: Any) -> int:
    return int(mark.index)


def _lookup(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def _plain_ok(text: str, flow: bool) -> bool:
    """True when ``text`` can be written as a plain scalar and reads back as the same string."""
    if not text or text != text.strip() or not text.isprintable() or not isinstance(loader.core_scalar(text), str):
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (flow and any(char in text for char in ",[]{}"))


def render(value: Any, flow: bool, indent: int, newline: str = "\n") -> str:
    """``value`` as a YAML scalar that the loader reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _plain_ok(text, flow):
        return text
    lines = text.split("\n")
    if not flow and len(lines) > 1 and all(line == line.rstrip() and line.isprintable() for line in lines):
        chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
        body = lines[:-1] if chomp == "" else lines
        if body and body[0] and not body[0].startswith(" "):
            pad = " " * (indent + 2)
            return f"|{chomp}{newline}" + newline.join(pad + line if line else "" for line in body)
    return json.dumps(text, ensure_ascii=False)


def _without_block(text: str, changes: list[tuple[_Span, str]], block: tuple[int, int] | None) -> str:
    """``text`` with each span's value replaced and the ``sops:`` entry cut out.

    A span's trailing line breaks (a block scalar's) are kept; the block goes with the blank lines after it.
    """
    cuts: list[tuple[int, int, str]] = []
    for span, new in changes:
        old = text[span.start : span.end]
        cuts.append((span.start, span.end, new + old[len(old.rstrip("\r\n")) :]))
    if block is not None:
        end = block[1]
        while end < len(text) and text[end] == "\n":
            end += 1
        cuts.append((block[0], end, ""))
    out = text
    for start, end, new in sorted(cuts, reverse=True):
        out = out[:start] + new + out[end:]
    return out


@dataclass
class Sealed:
    """The result of sealing a file's text."""

    text: str
    encrypted: int  # values newly encrypted
    changed: bool


def _parse(text: str) -> dict[str, Any]:
    parsed = loader.parse(text.encode("utf-8", "surrogatepass"), len(text.encode("utf-8", "surrogatepass")) + 1)
    if isinstance(parsed, loader.Document):
        return parsed.data
    raise SopsProblem(
        msg(
            f"第 {parsed.line} 行：{parsed.message.zh} 请先修正，再加密。",
            f"Line {parsed.line}: {parsed.message.en} Fix it before encrypting.",
        )
    )


def block_text(wrapped: list[dict[str, str]], mac_value: str, lastmodified: str, encrypted_regex: str | None) -> str:
    """The ``sops:`` block, laid out as SOPS 3.11 writes it."""
    out = ["sops:", "    age:"]
    for entry in wrapped:
        out.append(f"        - recipient: {entry['recipient']}")
        out.append("          enc: |")
        out.extend(f"            {line}" for line in entry["enc"].strip("\n").split("\n"))
    out.append(f'    lastmodified: "{lastmodified}"')
    out.append(f"    mac: {mac_value}")
    if encrypted_regex:
        out.append(f"    encrypted_regex: {encrypted_regex}")
    out.append("    mac_only_encrypted: true")
    out.append(f"    version: {VERSION}")
    return "\n".join(out) + "\n"


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seal(
    text: str,
    covers: Callable[[Path], bool],
    recipients: Iterable[str],
    keyring: Keyring | None,
    encrypted_regex: str | None,
    rotate: bool = False,
    stamp: str | None = None,
) -> Sealed:
    """Encrypt every confidential value still in clear; only those values' bytes and the ``sops:`` block change.

    A file that already has a ``sops:`` block keeps its data key (so ``keyring`` must open it) unless
    ``rotate``: then every value is encrypted again under a new key. The key is wrapped for ``recipients``;
    where they are the ones already listed and no value changed, the text is returned as it was.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    data = _parse(body)
    old = data.pop(BLOCK, None)
    if old is not None and not isinstance(old, dict):
        raise SopsProblem(msg("sops: 不是映射。", "sops: is not a mapping."), (BLOCK,))
    wanted = sorted(set(recipients))
    if not wanted:
        raise SopsProblem(
            msg(
                "没有收件人：没有人能读这些值。请先为读者登记 age_key 并运行 `dops keys`。",
                "No recipients: nobody could read these values. Record the readers' age_key and run `dops keys`.",
            )
        )
    for recipient in wanted:
        if not is_recipient(recipient):
            raise SopsProblem(msg(f"{recipient} 不是 age 公钥。", f"{recipient} is not an age public key."))
    layout = _layout(body)
    to_add = [
        span
        for span in layout.spans
        if span.path[:1] != (BLOCK,)
        and covers(span.path)
        and (value := _lookup(data, span.path)) is not None
        and not isinstance(value, (dict, list))
        and not is_sealed(value)
    ]
    if old is not None and not to_add and not rotate and keyring is None:
        return Sealed(text, 0, False)  # nothing to add; the readers are `dops reencrypt`'s business
    if old is None:
        old_key, key = None, new_data_key()
    else:
        if keyring is None:
            raise SopsProblem(
                msg(
                    "此文件已加密；要改动其中的加密值，需要你的 age 私钥（SOPS_AGE_KEY_FILE 或 SOPS_AGE_KEY）。",
                    "This file is already encrypted; changing its encrypted values needs your age secret key "
                    "(SOPS_AGE_KEY_FILE or SOPS_AGE_KEY).",
                ),
                (BLOCK, "age"),
            )
        old_key = unwrap(old, keyring)
        key = new_data_key() if rotate else old_key
    changes: list[tuple[_Span, str]] = []
    clear: list[bytes] = []
    encrypted = 0
    for span in layout.spans:
        if span.path[:1] == (BLOCK,):
            continue
        value = _lookup(data, span.path)
        if is_sealed(value):
            if old_key is None:
                raise SopsProblem(
                    msg(
                        "这个加密值没有对应的 sops 元数据，无法解密。请从 git 历史恢复文件，或重新填写明文。",
                        "This encrypted value has no sops metadata, so it cannot be decrypted. Restore the file "
                        "from git history, or fill the value in again in clear.",
                    ),
                    span.path,
                )
            _, data_bytes = _decrypt(value, old_key, span.path)
            clear.append(data_bytes)
            if rotate:
                tag = ENC.match(value)
                assert tag is not None
                changes.append((span, _quoted(_seal(data_bytes, tag["type"], key, aad(span.path)), span.flow)))
        elif value is not None and not isinstance(value, (dict, list)) and covers(span.path):
            data_bytes, tag_name = plaintext(value)
            clear.append(data_bytes)
            changes.append((span, _quoted(_seal(data_bytes, tag_name, key, aad(span.path)), span.flow)))
            encrypted += 1
    if not clear and old is None:
        return Sealed(text, 0, False)
    same_readers = old is not None and sorted(recipients_of(old)) == wanted
    if not changes and same_readers and not rotate and old is not None and old_key is not None:
        try:
            current = open_mac(old, old_key) == mac(clear)
        except SopsProblem:
            current = False
        if current:  # values removed by hand leave a MAC to renew
            return Sealed(text, 0, False)
    wrapped = [dict(entry) for entry in old["age"]] if same_readers and not rotate and old else wrap(key, wanted)
    stamp = stamp or now_stamp()
    new_block = block_text(wrapped, seal_mac(mac(clear), key, stamp), stamp, encrypted_regex)
    out = _without_block(body, changes, layout.block)
    newline = _newline(body)
    if out and not out.endswith("\n"):
        out += newline
    return Sealed(bom + out + new_block.replace("\n", newline), encrypted, True)


def _newline(text: str) -> str:
    """The file's line break: CRLF where it uses them, else LF."""
    return "\r\n" if "\r\n" in text else "\n"


def _quoted(enc: str, flow: bool) -> str:
    """An ``ENC[…]`` value as written: plain in a block, double-quoted inside ``{…}`` or ``[…]`` (it holds commas)."""
    return f'"{enc}"' if flow else enc


def unseal(text: str, keyring: Keyring) -> str:
    """The file's text with every encrypted value in clear and no ``sops:`` block; the rest byte for byte.

    SopsProblem when a value cannot be opened or the MAC does not match: nothing half-decrypted is returned.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    data = _parse(body)
    sealed = data.pop(BLOCK, None)
    if not isinstance(sealed, dict):
        if any(True for _ in sealed_values(data)):
            raise SopsProblem(
                msg(
                    "文件里有加密值，却没有 sops 元数据，无法解密。",
                    "The file holds encrypted values but no sops metadata, so it cannot be decrypted.",
                )
            )
        return text
    opened = open_data(data, sealed, keyring)
    if opened.problems:
        raise opened.problems[0]
    layout = _layout(body)
    changes = [
        (span, render(_lookup(opened.data, span.path), span.flow, span.indent, _newline(body)))
        for span in layout.spans
        if span.path[:1] != (BLOCK,) and is_sealed(_lookup(data, span.path))
    ]
    return bom + _without_block(body, changes, layout.block)


def reseal_unchanged(before: str, after: str, keyring: Keyring) -> str:
    """``after`` (an edited copy of ``before`` in clear) prepared for :func:`seal`: each value left as it was gets
    its old ciphertext back and the old ``sops:`` block is appended, so sealing keeps the data key and
    encrypts only what changed (a one-word edit stays a one-line diff)."""
    old_body = before.lstrip("\ufeff")
    old_data = _parse(old_body)
    sealed = old_data.pop(BLOCK, None)
    if not isinstance(sealed, dict):
        return after
    key = unwrap(sealed, keyring)
    layout = _layout(old_body)
    kept: dict[Path, tuple[str, bytes, str]] = {}
    for span in layout.spans:
        if span.path[:1] == (BLOCK,):
            continue
        value = _lookup(old_data, span.path)
        if is_sealed(value):
            found = ENC.match(value)
            if found is not None:
                kept[span.path] = (value, _open(value, key, aad(span.path), span.path)[0], found["type"])
    bom = "\ufeff" if after.startswith("\ufeff") else ""
    body = after[len(bom) :]
    data = _parse(body)
    data.pop(BLOCK, None)
    changes = []
    for span in _layout(body).spans:
        if span.path in kept and span.path[:1] != (BLOCK,):
            value = _lookup(data, span.path)
            if value is not None and not isinstance(value, (dict, list)) and not is_sealed(value):
                enc, clear, tag = kept[span.path]
                if plaintext(value) == (clear, tag) or (tag == "time" and _typed(clear, tag, span.path) == value):
                    changes.append((span, _quoted(enc, span.flow)))
    out = _without_block(body, changes, _layout(body).block)
    newline = _newline(body)
    if out and not out.endswith("\n"):
        out += newline
    assert layout.block is not None
    return bom + out + old_body[layout.block[0] : layout.block[1]].rstrip("\r\n") + newline
