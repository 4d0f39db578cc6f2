"""Encrypting, decrypting and editing record files (8.2.3): the file side of :mod:`dops.core.sops`.

Who may read a file is what ``.sops.yaml`` says (``dops keys`` writes it from the records, and the check
reports when it drifts), so dops and the ``sops`` tool encrypt the same file for the same people.
Which values are encrypted is what the kind's schema marks ``x-confidential``. Files are replaced
atomically and keep their permissions; a file whose bytes would not change is not written.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dops.core import confidential, inputs, loader, sops
from dops.core.config import Settings
from dops.core.kinds import kind_of
from dops.core.model import Message, msg
from dops.features import files
from dops.rules import engine

#: Where SOPS looks for its creation rules, at the repository's root.
RULES_FILE = ".sops.yaml"


class SecretsProblem(Exception):
    """What stops an encryption command, for one file: shown with the file, never as a traceback."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def _problem(problem: sops.SopsProblem, text: str | None = None) -> SecretsProblem:
    message = problem.message
    if isinstance(problem, sops.NotRecipient):
        readers = "、".join(problem.recipients) or "—"
        message = msg(
            f"{message.zh} 此文件的读者：{readers}。请其中一位运行此命令，或请他们把你加入读者（dops keys）。",
            f"{message.en} Its readers: {', '.join(problem.recipients) or '—'}. Ask one of them to run this, or "
            "to add you as a reader (dops keys).",
        )
    return SecretsProblem(message)


def recipients_for(settings: Settings, shown: str) -> list[str]:
    """The age recipients ``.sops.yaml`` names for the file ``shown`` (repository-relative): its first matching
    creation rule, as SOPS picks it. Empty when no rule matches."""
    rules = _creation_rules(settings.root / RULES_FILE)
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        pattern = rule.get("path_regex")
        try:
            if isinstance(pattern, str) and not re.search(pattern, shown):
                continue
        except re.error:
            continue
        age = rule.get("age")
        if isinstance(age, list):
            return [str(key).strip() for key in age if str(key).strip()]
        if isinstance(age, str):
            return [key.strip() for key in age.split(",") if key.strip()]
        return []
    return []


def _creation_rules(path: Path) -> list[Any]:
    """``.sops.yaml``'s creation rules, parsed once for as long as the file stays the same (one per encrypted file
    would make encrypting a tree quadratic)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return []
    except OSError as err:
        raise SecretsProblem(msg(f"无法读取 {RULES_FILE}：{err}", f"Cannot read {RULES_FILE}: {err}")) from None
    return _parsed_rules(str(path), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=4)
def _parsed_rules(path: str, mtime_ns: int, size: int) -> list[Any]:
    try:
        content = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise SecretsProblem(msg(f"无法读取 {RULES_FILE}：{err}", f"Cannot read {RULES_FILE}: {err}")) from None
    rules = content.get("creation_rules") if isinstance(content, dict) else None
    return rules if isinstance(rules, list) else []


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Target:
    """A record file to encrypt: where it is, how it is shown, and which of its fields are confidential."""

    path: Path
    shown: str
    fields: confidential.Fields


def target(settings: Settings, path: Path) -> Target:
    """The file at ``path`` with its kind's confidential fields; SecretsProblem when it is not a record."""
    shown = inputs.display_path(path, settings.root)
    kind = kind_of(path.name.rsplit(".", 1)[0])
    if kind is None:
        raise SecretsProblem(
            msg(
                "不是记录文件（文件名应以 EMP-、PRJ-、REV- 等记录编号开头）。",
                "Not a record file (its name should start with a record ID such as EMP-, PRJ-, REV-).",
            )
        )
    return Target(path, shown, _fields(settings)[kind.name])


def _fields(settings: Settings) -> dict[str, confidential.Fields]:
    """Each kind's confidential fields, from the schemas read once while they stay the same (not once per file)."""
    stamp = tuple(
        (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
        for entry in sorted(settings.schemas_dir.glob("*.json"))
    )
    return _fields_of(settings, stamp)


@functools.lru_cache(maxsize=4)
def _fields_of(settings: Settings, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, confidential.Fields]:
    return {name: confidential.fields(schema.flat) for name, schema in engine.load_schemas(settings).items()}


def read_text(path: Path, settings: Settings) -> str:
    raw = loader.read_raw(path, settings.max_file_bytes)
    if not isinstance(raw, tuple):
        raise SecretsProblem(raw.message)
    content: bytes = raw[0]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretsProblem(msg("文件不是 UTF-8 编码。", "The file is not UTF-8.")) from None


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text``, keeping its permissions and line breaks."""
    files.replace(path, text)


def derived_readers(settings: Settings, shown: str) -> list[str]:
    """The age keys of those the records say may read the file ``shown`` (what ``dops keys`` would write for it)."""
    from dops.features import keys

    readers = keys.recipients(settings)[0].by_file.get(shown)
    return list(readers.recipients) if readers is not None else []


def seal_text(
    settings: Settings,
    item: Target,
    text: str,
    keyring: sops.Keyring | None,
    rotate: bool = False,
    readers: list[str] | None = None,
) -> sops.Sealed:
    """``text`` of the file ``item`` with its confidential values encrypted for ``readers``, by default those
    ``.sops.yaml`` names."""
    readers = readers if readers is not None else recipients_for(settings, item.shown)
    if not readers:
        raise SecretsProblem(
            msg(
                f"{RULES_FILE} 没有给出此文件的读者。请为相关人员登记 age_key，然后运行 dops keys。",
                f"{RULES_FILE} names no readers for this file. Record the readers' age_key, then run dops keys.",
            )
        )
    try:
        return sops.seal(text, item.fields.covers, readers, keyring, item.fields.encrypted_regex(), rotate=rotate)
    except sops.SopsProblem as problem:
        raise _problem(problem) from None


def encrypt(
    settings: Settings,
    path: Path,
    keyring: sops.Keyring | None,
    rotate: bool = False,
    readers: list[str] | None = None,
) -> sops.Sealed:
    """Encrypt the file's clear confidential values in place (or, with ``rotate``, all of them under a new key)."""
    item = target(settings, path)
    text = read_text(path, settings)
    if not item.fields.patterns:  # a kind without confidential fields (risks, trainings)
        return sops.Sealed(text, 0, False)
    sealed = seal_text(settings, item, text, keyring, rotate, readers)
    if sealed.changed:
        write_text(path, sealed.text)
    return sealed


def decrypt(settings: Settings, path: Path, keyring: sops.Keyring) -> str:
    """The file's text with its values in clear and no ``sops:`` block: for standard output, never for disk."""
    try:
        return sops.unseal(read_text(path, settings), keyring)
    except sops.SopsProblem as problem:
        raise _problem(problem) from None


def edit(
    settings: Settings,
    path: Path,
    keyring: sops.Keyring,
    run_editor: Callable[[Path], int],
) -> tuple[bool, sops.Sealed | None]:
    """Decrypt into an owner-only temporary file, let the editor change it, encrypt the result back.

    Returns (edited, sealed): edited is False when the editor left the text as it was (the file is not
    touched). The temporary file is removed on every way out, an editor's failure and Ctrl-C included.
    """
    item = target(settings, path)
    before = read_text(path, settings)
    try:
        clear = sops.unseal(before, keyring)
    except sops.SopsProblem as problem:
        raise _problem(problem) from None
    folder = tempfile.mkdtemp(prefix="dops-edit-")  # created 0700: nobody else can list or open it
    temporary = Path(folder) / path.name
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(clear)
        status = run_editor(temporary)
        if status != 0:
            raise SecretsProblem(
                msg(
                    f"编辑器以状态 {status} 退出，文件未改动。",
                    f"The editor exited with status {status}; the file was not changed.",
                )
            )
        after = temporary.read_text(encoding="utf-8")
    finally:
        temporary.unlink(missing_ok=True)
        os.rmdir(folder)
    if after == clear:
        return False, None
    try:
        sealed = sops.seal(
            _reuse(before, after, keyring),
            item.fields.covers,
            recipients_for(settings, item.shown) or sops.recipients_of(_block(before)),
            keyring,
            item.fields.encrypted_regex(),
        )
    except sops.SopsProblem as problem:
        raise _problem(problem) from None
    write_text(path, sealed.text)
    return True, sealed


def _block(text: str) -> dict[str, object]:
    data = yaml.safe_load(text.lstrip("\ufeff"))
    block = data.get(sops.BLOCK) if isinstance(data, dict) else None
    return block if isinstance(block, dict) else {}


def _reuse(before: str, after: str, keyring: sops.Keyring) -> str:
    """``after`` (edited, in clear) with the old file's ``sops:`` block and, for each value the editor left as it
    was, its old ciphertext: so that a one-word edit is a one-line diff."""
    return sops.reseal_unchanged(before, after, keyring)


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``; split as a shell would (an editor may take arguments)."""
    import shlex

    env = os.environ if environ is None else environ
    return shlex.split(env.get("VISUAL") or env.get("EDITOR") or "vi")


def run_editor(path: Path) -> int:
    try:
        return subprocess.call([*editor_command(), str(path)])
    except OSError as err:
        raise SecretsProblem(
            msg(
                f"无法启动编辑器（{err.strerror or err}）。请设置 EDITOR，例如 EDITOR=nano。",
                f"Cannot start the editor ({err.strerror or err}). Set EDITOR, e.g. EDITOR=nano.",
            )
        ) from None
