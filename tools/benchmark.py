"""How long does `dops check` take on a large department?

Builds a temporary repository whose records are the bundled sample records
copied N times over with fresh IDs (references renamed consistently, so the
copies are as valid as the originals), then times the real command:

    python tools/benchmark.py                 # 10,000 records, 3 runs
    python tools/benchmark.py --records 2000 --runs 5

It prints the wall time of each run of `dops check --format json`, the
best and median, and a breakdown of one in-process run (load, schema, rules).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_ID = re.compile(r"\b(EMP-\d{4}|PRJ-\d{4}-\d{3}|RSK-\d{4}-\d{3}|TRS-\d{4}-\d{3})\b")


def _renamer(copy: int):
    """Map each ID of the sample set to its counterpart in copy number ``copy``."""

    def rename(match: re.Match) -> str:
        value = match.group(1)
        prefix, rest = value[:4], value[4:]
        if prefix == "EMP-":
            return f"EMP-{copy * 100 + int(rest) % 100:04d}"
        _year, number = rest.split("-")
        return f"{prefix}{2000 + copy:04d}-{number}"

    return rename


def build(target: Path, wanted: int) -> int:
    shutil.copytree(REPO / "schemas", target / "schemas")
    shutil.copy(REPO / "dops.yaml", target / "dops.yaml")
    shutil.copytree(REPO / "policy", target / "policy")
    sources = sorted((REPO / "records").rglob("*.yaml"))
    plans = [p for p in sources if p.name.startswith("TRP-")]
    per_copy = [p for p in sources if p not in plans]
    written = 0
    for plan in plans:  # one set of annual plans serves every copy
        destination = target / plan.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(plan, destination)
        written += 1
    copy = 0
    while written < wanted:
        if copy > 99:
            raise SystemExit("more than 100 copies of the sample records would reuse person IDs")
        rename = _renamer(copy)
        for source in per_copy:
            if written >= wanted:
                break
            text = _ID.sub(rename, source.read_text(encoding="utf-8"))
            name = _ID.sub(rename, source.name)
            destination = target / source.relative_to(REPO).parent / f"copy{copy:02d}" / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
            written += 1
        copy += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-24")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dops-bench-") as folder:
        root = Path(folder)
        count = build(root, args.records)
        print(f"{count} records in a temporary repository")
        times = []
        for run in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "dops", "check", "--format", "json", "--as-of", args.as_of],
                cwd=root,
                capture_output=True,
                text=True,
            )
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            if done.returncode not in (0, 1):
                raise SystemExit(f"dops check failed ({done.returncode}):\n{done.stderr}")
            print(f"run {run + 1}: {elapsed:.2f} s (exit {done.returncode})")
        print(f"best {min(times):.2f} s, median {statistics.median(times):.2f} s")
        _breakdown(root, args.as_of)


def _breakdown(root: Path, as_of: str) -> None:
    import datetime as dt

    from dops.core import loader
    from dops.core.config import load_settings
    from dops.rules import engine
    from dops.rules.base import Context, Index

    settings = load_settings(root)
    schemas = engine.load_schemas(settings)
    files = engine.discover(settings.records_dir)
    started = time.perf_counter()
    documents = [loader.read(path, settings.max_file_bytes) for path in files]
    parsed = time.perf_counter()
    records = []
    for path in files:
        record, _ = engine.load_record(path, settings, schemas)
        if record is not None:
            records.append(record)
    loaded = time.perf_counter()
    index = Index(records)
    context = Context(
        index=index, settings=settings, as_of=dt.date.fromisoformat(as_of), config=engine.config_record(settings)
    )
    findings = engine.apply_rules(index, context)
    ruled = time.perf_counter()
    broken = sum(1 for document in documents if not isinstance(document, loader.Document))
    print(
        f"in-process: parse alone {parsed - started:.2f} s ({broken} unparseable); "
        f"parse + identify + schema {loaded - parsed:.2f} s; rules {ruled - loaded:.2f} s ({len(findings)} findings)"
    )


if __name__ == "__main__":
    main()
