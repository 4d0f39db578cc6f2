"""Confidential values at rest (8.2.3), in the SOPS format.

A record file keeps its public fields in clear and each confidential value as
``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]``. The file's 32-byte data key is
wrapped with age (X25519) for every recipient in the ``sops:`` block at the end
of the file, beside a MAC over the encrypted values only (SOPS's
``mac_only_encrypted``), so the public fields stay editable by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dops.core.model import Path

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
