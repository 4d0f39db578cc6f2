"""What must hold for any file whatever: the properties the fuzz tests assert.

- ``dops check`` never shows a traceback and exits 0, 1 or 2 (3 is an internal error: a bug);
- the JSON report parses, and exits 1 exactly when it holds an error;
- every finding names a file of the repository, as a repository-relative path, and a line inside that
  file, lines counted as YAML 1.2 counts them (``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line; NEL,
  U+2028 and U+2029 do not), and a column inside that line (or just past its end).

"The lines of a file" are what an editor shows: ``a\\n`` has two, the second empty (a parser that
reaches the end of the file stands there).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..conftest import run
from .strategies import Case

AS_OF = "2026-11-28"  # a fixed today: the same findings on every run
_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(raw: bytes) -> list[str]:
    """The lines of a file as YAML 1.2 counts them; bytes that are not UTF-8 count as one character each."""
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return _BREAK.split(text)


def check_position(where: str, raw: bytes, line: Any, column: Any = None) -> None:
    lines = text_lines(raw)
    assert isinstance(line, int), f"{where}: the line is {line!r}, not a number"
    assert 1 <= line <= len(lines), f"{where}: line {line} is outside the file's {len(lines)} lines"
    if column is not None:
        assert isinstance(column, int), f"{where}: the column is {column!r}, not a number"
        width = len(lines[line - 1])
        assert 1 <= column <= width + 1, f"{where}: column {column} is outside line {line} ({width} characters)"


def check_in_world(root: Path, case: Case) -> dict[str, Any]:
    """Put the case's file into ``root``, run ``dops check --format json`` there, assert the properties.

    Returns the report (empty when the run exited 2). The file is taken out again (or the sample it
    replaced put back) whatever happens.
    """
    target = root / case.path
    before = target.read_bytes() if target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.raw)
    try:
        ran = run(root, "check", "--format", "json", "--as-of", AS_OF)
        contents = {case.path: case.raw}
        assert "Traceback" not in ran.stderr, ran.stderr
        assert ran.returncode in (0, 1, 2), f"exit {ran.returncode}:\n{ran.stderr}"
        if ran.returncode == 2:  # a usage or configuration problem: one line per problem, no report
            assert ran.stderr.startswith("dops: "), ran.stderr
            return {}
        report: dict[str, Any] = json.loads(ran.stdout)
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        assert ran.returncode == (1 if errors else 0), f"exit {ran.returncode} with {len(errors)} errors"
        for finding in report["findings"]:
            where = f"{finding['rule']} at {finding['file']}:{finding['line']}"
            for file, line, column in (
                (finding["file"], finding["line"], finding["column"]),
                *(
                    [(finding["related"]["file"], finding["related"]["line"], None)]
                    if finding["related"] and finding["related"]["line"] is not None
                    else []
                ),
            ):
                assert isinstance(file, str) and file, f"{where}: no file"
                posix = PurePosixPath(file)
                assert not posix.is_absolute() and ".." not in posix.parts, f"{where}: {file!r} is not relative"
                path = root / file
                assert path.is_file(), f"{where}: {file!r} is not a file of the repository"
                raw = contents.get(file)
                check_position(where, path.read_bytes() if raw is None else raw, line, column)
        return report
    finally:
        if before is None:
            target.unlink()
        else:
            target.write_bytes(before)
