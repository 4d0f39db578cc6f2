"""Benchmark dops on generated departments, beside check-jsonschema and the floors, in one run.

    python benchmarks/run.py --sizes 1000,10000 --runs 3 --output bench.md

For each size, a department is generated into a temporary directory (``department.py``: seeded, so the
same size gives the same records), made a git repository of two commits (the second changes one
record), and each piece of work is run ``--runs`` times as a child process; the table shows the
medians: wall time and, for the checks, the child's peak resident memory. Not part of the test suite:
timings belong here, never in a unit test.

At the largest size, the section "encryption" (8.2.3) seals every record with confidential fields into a
copy of the department with one throw-away age key, then times sealing and unsealing every such file
(``dops.core.sops``, in a child) and ``dops check`` on the encrypted copy with the key and without it.

The tools are found on PATH or given: ``--dops`` (a command line; default: ``python -m dops`` with this
interpreter, so ``PYTHONPATH=tools`` measures the working tree), ``--check-jsonschema`` (install it from
``requirements/bench.txt``) and ``--mkdocs``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from department import AS_OF, generate

REPO = Path(__file__).resolve().parent.parent
SCHEMA_OF = {"people": "person", "projects": "project", "reviews": "review", "risks": "risk"}
# Keep each command line well below the kernel's limit for arguments plus environment.
ARG_BYTES = 1_500_000
# The floor under any YAML checker that reports lines: libyaml composing every file into nodes.
YAML_FLOOR = """
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    yaml.compose(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


# Seal (``seal SRC DST KEYFILE``: the department's clear records into the copy) or unseal (``unseal ROOT``: with
# the key of SOPS_AGE_KEY_FILE, in memory) every record file of the kinds with confidential fields.
CRYPT = """
import pathlib, sys
from dops.core import confidential, sops
from dops.core.validation import load_schema
KINDS = {"people": "person", "projects": "project", "reviews": "review"}
command, root = sys.argv[1], pathlib.Path(sys.argv[2])
if command == "seal":
    target, keys = pathlib.Path(sys.argv[3]), sops.keyring_from_env({"SOPS_AGE_KEY_FILE": sys.argv[4]})
    readers = sorted(keys.recipients)
    for folder, kind in KINDS.items():
        found = confidential.fields(load_schema(root / "schemas" / f"{kind}.schema.json", kind).flat)
        regex = found.encrypted_regex()
        for path in sorted((root / "records" / folder).rglob("*.yaml")):
            sealed = sops.seal(path.read_text(encoding="utf-8"), found.covers, readers, keys, regex)
            if sealed.changed:
                (target / path.relative_to(root)).write_text(sealed.text, encoding="utf-8")
else:
    keys = sops.keyring_from_env()
    for folder in KINDS:
        for path in sorted((root / "records" / folder).rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if "\\nsops:\\n" in text:
                sops.unseal(text, keys)
"""


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    code: int


# The child is started by this small interpreter, not by the benchmark itself: a process's peak RSS starts
# at that of the process it was forked from (Linux keeps the high-water mark across exec), and the
# benchmark holds a whole department in memory. Here the floor is a bare Python, about 10 MB.
MEASURE = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run one child to its end: its wall time and its own peak RSS (``wait4`` on it alone)."""
    with tempfile.NamedTemporaryFile("r", prefix="dops-bench-", suffix=".txt") as result:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, result.name, *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        figures = result.read().split()
    if done.returncode != 0 or len(figures) != 3 or int(figures[2]) not in (0, 1):
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        code = figures[2] if len(figures) == 3 else done.returncode
        raise SystemExit(f"{shlex.join(command[:4])} … exited {code}:\n" + "\n".join(tail))
    return Sample(float(figures[0]), int(figures[1]) / 1024, int(figures[2]))


def run_many(commands: Sequence[Sequence[str]], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Several children one after the other, as one piece of work: times add up, the peak is the largest."""
    samples = [run_child(command, cwd, env) for command in commands]
    return Sample(sum(s.seconds for s in samples), max(s.peak_mb for s in samples), max(s.code for s in samples))


def median(work: Callable[[], Sample], runs: int) -> Sample:
    samples = [work() for _ in range(runs)]
    return Sample(
        statistics.median(s.seconds for s in samples),
        statistics.median(s.peak_mb for s in samples),
        samples[-1].code,
    )


def batches(prefix: list[str], files: list[str]) -> list[list[str]]:
    """``prefix + files``, split only where one command line would be too long for the kernel."""
    commands: list[list[str]] = []
    current: list[str] = []
    size = 0
    for name in files:
        if current and size + len(name) + 1 > ARG_BYTES:
            commands.append(prefix + current)
            current, size = [], 0
        current.append(name)
        size += len(name) + 1
    if current:
        commands.append(prefix + current)
    return commands


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    done = subprocess.run([*command, *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def prepare(root: Path, size: int, seed: int) -> tuple[str, int]:
    """Generate the department into ``root``, commit it, then commit one changed record; return that file."""
    for name in ("schemas", "policy", "overrides", "docs"):
        shutil.copytree(
            REPO / name, root / name, ignore=shutil.ignore_patterns("policy", "status") if name == "docs" else None
        )
    for name in ("dops.yaml", "mkdocs.yml"):
        shutil.copy2(REPO / name, root / name)
    encryption(root, required=False)  # a department in clear, as before its migration (8.2.3)
    (root / ".gitignore").write_text("/site/\n/docs/policy/\n/docs/status/\n", encoding="utf-8")
    department = generate(root, size, seed)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "department")
    changed = next(
        path
        for path in sorted(department.files)
        if path.startswith("records/people/")
        and path not in department.violations
        and "title: 项目专员" in (root / path).read_text(encoding="utf-8")
    )
    path = root / changed
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: 项目专员", "title: 高级项目专员"), encoding="utf-8"
    )
    git(root, "commit", "-q", "-am", "one record changed")
    return changed, len(department.violations)


def encryption(root: Path, required: bool, always: str | None = None) -> None:
    """Set ``encryption.required`` (and the key that reads every file) in the department's ``dops.yaml``."""
    path = root / "dops.yaml"
    text = path.read_text(encoding="utf-8")
    text, found = re.subn(r"(?m)^(  required:) \S+$", rf"\1 {'true' if required else 'false'}", text, count=1)
    if always:
        text, found_always = re.subn(r"(?m)^(  always:) .*$", rf"\1 [{always}]", text, count=1)
        found = min(found, found_always)
    if not found:
        raise SystemExit("dops.yaml has no encryption section with required and always: update benchmarks/run.py")
    path.write_text(text, encoding="utf-8")


def kind_files(root: Path) -> dict[str, list[str]]:
    """Record files by schema, as repository-relative paths."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((root / "records").rglob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        folder = path.parent.name
        if folder == "trainings":
            schema = "training-plan" if path.name.startswith("TRP-") else "training-session"
        else:
            schema = SCHEMA_OF[folder]
        found[schema].append(relative)
    return found


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def figure(sample: Sample, memory: bool) -> str:
    return seconds(sample.seconds) + (f", {sample.peak_mb:.0f} MB" if memory else "")


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dops = shlex.split(args.dops) if args.dops else [sys.executable, "-m", "dops"]
        self.python = self.dops[0] if Path(self.dops[0]).name.startswith("python") else sys.executable
        self.cjs = args.check_jsonschema or shutil.which("check-jsonschema")
        sibling = Path(sys.executable).parent / "mkdocs"
        self.mkdocs = args.mkdocs or shutil.which("mkdocs") or (str(sibling) if sibling.exists() else None)
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.sizes = sizes_of(args.sizes)

    def want(self, *works: str) -> bool:
        return not self.args.only or any(work in self.args.only.split(",") for work in works)

    def row(
        self, work: str, size: int, dops: Sample | None, peer_name: str, peer: Sample | None, memory: bool = True
    ) -> None:
        ratio = f"{dops.seconds / peer.seconds:.2f}" if dops and peer else "—"
        peer_text = f"{peer_name}: {figure(peer, memory)}" if peer else peer_name or "—"
        line = (work, f"{size:,}", figure(dops, memory) if dops else "—", peer_text, ratio)
        self.rows.append(line)
        print("  " + " | ".join(line), flush=True)

    def size(self, size: int) -> None:
        runs, as_of = self.args.runs, AS_OF.isoformat()
        with tempfile.TemporaryDirectory(prefix="dops-bench-") as tmp:
            root = Path(tmp) / "department"
            root.mkdir()
            started = time.perf_counter()
            changed, violations = prepare(root, size, self.args.seed)
            print(
                f"{size:,} records generated in {time.perf_counter() - started:.1f} s "
                f"({violations} with a violation); changed record: {changed}",
                flush=True,
            )
            check = [*self.dops, "check", "--as-of", as_of]
            cache = Path(tmp) / "cache"  # dops's cache, outside the repository
            warm = {**os.environ, "DOPS_CACHE_DIR": str(cache)}
            # One untimed run first: what the department holds (and a warm file cache for every tool).
            report = subprocess.run([*check, "--format", "json"], cwd=root, capture_output=True, env=warm, check=False)
            try:
                summary = json.loads(report.stdout)["summary"]
                print(f"dops check: {summary['errors']} errors, {summary['warnings']} warnings", flush=True)
            except (ValueError, KeyError):
                raise SystemExit(
                    f"dops check --format json exited {report.returncode}: {report.stderr[-500:]!r}"
                ) from None

            def cold() -> Sample:
                """A first check: dops's cache empty (it is filled as it goes, as on a fresh CI machine)."""
                shutil.rmtree(cache, ignore_errors=True)
                return run_child(check, root, warm)

            edits = iter(range(1, 1_000_000))
            path = root / changed
            original = path.read_text(encoding="utf-8")

            def edit() -> None:
                """Change the changed record once more, in a way the cache has never seen (untimed)."""
                path.write_text(original.replace("title: 高级项目专员", f"title: 高级项目专员{next(edits)}"), "utf-8")

            def after_edit(command: list[str]) -> Callable[[], Sample]:
                def work() -> Sample:
                    edit()
                    return run_child(command, root, warm)

                return work

            want = self.want
            full = median(cold, runs) if want("check", "peer", "floor") else None
            if want("check", "peer") and full:
                if self.cjs:
                    groups = kind_files(root)
                    commands = [
                        command
                        for schema, files in sorted(groups.items())
                        for command in batches([self.cjs, "--schemafile", f"schemas/{schema}.schema.json"], files)
                    ]
                    peer = median(lambda: run_many(commands, root), runs)
                    self.row(
                        "full check, cold", size, full, f"check-jsonschema ({len(commands)} runs, one per kind)", peer
                    )
                else:
                    self.row("full check, cold", size, full, "check-jsonschema not found (--check-jsonschema)", None)
            if want("check", "floor") and full:
                floor = median(lambda: run_child([self.python, "-c", YAML_FLOOR, "records"], root), runs)
                self.row("full check, cold", size, full, "libyaml compose of every file (floor)", floor)
            if want("check", "warm"):
                run_child(check, root, warm)  # fills the cache
                unchanged = median(lambda: run_child(check, root, warm), runs)
                self.row("full check, unchanged tree, warm cache", size, unchanged, "", None)
            if want("one"):
                one = median(after_edit([*check, changed]), runs)
                self.row("one changed record named, warm cache", size, one, "", None)
            if want("since"):
                run_child([*check, "--changed-since", "HEAD~1"], root, warm)  # the merge base's answer, kept
                since = median(after_edit([*check, "--changed-since", "HEAD~1"]), runs)
                self.row("`--changed-since HEAD~1`, one record changed, warm cache", size, since, "", None)
            if want("hook"):
                files = git(root, "diff", "--name-only", "HEAD~1").split()
                hook = median(after_edit([*check, *files]), runs)
                self.row("pre-commit (`dops check` on the changed files), warm cache", size, hook, "", None)
            path.write_text(original, encoding="utf-8")
            if want("encryption") and size == max(self.sizes):
                self.encryption(root, size, Path(tmp), full)
            if want("version"):
                version = median(lambda: run_child([*self.dops, "--version"], root), runs)
                floor = median(lambda: run_child([self.python, "-c", "pass"], root), runs)
                self.row("`dops --version`", size, version, "`python -c pass`", floor, memory=False)

            if not want("site") or self.args.no_site or (size > 10_000 and not self.args.site_all):
                return
            site_runs = min(runs, self.args.site_runs)
            generate = [*self.dops, "site", "generate", "--as-of", as_of]
            generated = median(lambda: run_child(generate, root, warm), site_runs)
            self.row("`dops site generate`", size, generated, "", None)
            if not self.mkdocs:
                self.row("`mkdocs build`", size, None, "mkdocs not found (--mkdocs)", None)
                return
            env = {**warm, "DOPS_AS_OF": as_of}
            mkdocs = self.mkdocs
            built = median(lambda: run_child([mkdocs, "build", "--quiet"], root, env), site_runs)
            self.row("`mkdocs build` (runs the dops plugin)", size, built, "", None)

    def encryption(self, root: Path, size: int, tmp: Path, clear_check: Sample | None) -> None:
        """Seal the department's confidential values into a copy; time sealing, unsealing and the checks of it."""
        runs, as_of = self.args.runs, AS_OF.isoformat()
        copy = tmp / "encrypted"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
        key = tmp / "demo-age-key.txt"  # a throw-away key of this run only: it reads every file
        made = subprocess.run(
            [
                self.python,
                "-c",
                "from pyrage import x25519; k = x25519.Identity.generate(); print(k); print(k.to_public())",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        secret, public = made.stdout.split()
        key.write_text(secret + "\n", encoding="utf-8")
        key.chmod(0o600)
        # The generated people have no age_key: every file's only reader is the key in encryption.always.
        encryption(copy, required=True, always=public)
        cache = tmp / "cache-encrypted"
        nothing = tmp / "no-config"  # where SOPS would look for a user's key: nothing there
        no_key = {
            name: value for name, value in os.environ.items() if name not in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE")
        }
        no_key.update(DOPS_CACHE_DIR=str(cache), XDG_CONFIG_HOME=str(nothing))
        keyed = {**no_key, "SOPS_AGE_KEY_FILE": str(key)}

        keys = median(lambda: run_child([*self.dops, "keys"], copy, no_key), runs)
        self.row("`dops keys` (writes .sops.yaml)", size, keys, "", None)
        seal = [self.python, "-c", CRYPT, "seal", str(root), str(copy), str(key)]
        sealing = median(lambda: run_child(seal, root, no_key), runs)
        sealed = [path for path in sorted((copy / "records").rglob("*.yaml")) if "\nsops:\n" in path.read_text("utf-8")]
        self.row(f"seal every record with confidential fields ({len(sealed):,} files)", size, sealing, "", None)
        unseal = [self.python, "-c", CRYPT, "unseal", str(copy)]
        unsealing = median(lambda: run_child(unseal, copy, keyed), runs)
        self.row(f"unseal them, in memory ({len(sealed):,} files)", size, unsealing, "", None)

        check = [*self.dops, "check", "--as-of", as_of]
        for env in (no_key, keyed):  # what the encrypted copy holds, untimed
            done = subprocess.run([*check, "--format", "json"], cwd=copy, capture_output=True, env=env, check=False)
            try:
                summary = json.loads(done.stdout)["summary"]
            except (ValueError, KeyError):
                raise SystemExit(f"dops check exited {done.returncode}: {done.stderr[-500:]!r}") from None
            print(
                f"dops check, encrypted copy, {'with' if env is keyed else 'without'} the key: "
                f"{summary['errors']} errors, {summary['warnings']} warnings",
                flush=True,
            )

        def cold(env: dict[str, str]) -> Callable[[], Sample]:
            def work() -> Sample:
                shutil.rmtree(cache, ignore_errors=True)
                return run_child(check, copy, env)

            return work

        with_key, without = median(cold(keyed), runs), median(cold(no_key), runs)
        self.row("encrypted copy: full check with the key, cold", size, with_key, "without a key", without)
        if clear_check:
            self.row("encrypted copy: full check with the key, cold", size, with_key, "clear department", clear_check)
        run_child(check, copy, no_key)  # fills the cache: the records as written, never a decrypted value
        warm_key = median(lambda: run_child(check, copy, keyed), runs)
        warm_none = median(lambda: run_child(check, copy, no_key), runs)
        self.row(
            "encrypted copy: full check with the key, warm cache (no report kept with a key)",
            size,
            warm_key,
            "without a key (the report kept)",
            warm_none,
        )

    def versions(self) -> list[str]:
        def output(command: Sequence[str]) -> str:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"

        facts = [
            f"date: {dt.date.today().isoformat()} (records as of {AS_OF.isoformat()})",
            f"machine: {os.cpu_count()} CPUs, {platform.platform()}",
            f"Python: {output([self.python, '-c', 'import sys; print(sys.version.split()[0])'])}",
            f"dops: {output([*self.dops, '--version'])}",
        ]
        if self.cjs:
            facts.append(f"check-jsonschema: {output([self.cjs, '--version'])}")
        if self.mkdocs:
            # "mkdocs, version 1.6.1 from <where it is installed> (Python 3.11)": no machine paths in the table.
            facts.append(f"mkdocs: {output([self.mkdocs, '--version']).split(' from ')[0]}")
        facts.append(f"medians of {self.args.runs} runs (site: {min(self.args.runs, self.args.site_runs)})")
        facts.append("load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        return facts

    def table(self) -> str:
        lines = ["| work | size | dops | peer / floor | dops ÷ peer |", "|---|---:|---|---|---:|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines) + "\n"


def sizes_of(text: str) -> list[int]:
    return [int(part.replace("_", "").replace(",", "")) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="record counts, comma-separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the table shows medians (3)")
    parser.add_argument("--site-runs", type=int, default=1, help="runs of the site generation and build (1)")
    parser.add_argument("--site-all", action="store_true", help="build the site above 10,000 records too")
    parser.add_argument("--no-site", action="store_true", help="skip the site generation and build")
    parser.add_argument(
        "--only",
        help="measure only these, comma-separated: check, peer, floor, warm, one, since, hook, encryption, version, "
        "site (default: all; encryption at the largest size only)",
    )
    parser.add_argument("--seed", type=int, default=9, help="seed of the generated department (9)")
    parser.add_argument("--dops", help="the dops command line (default: this python -m dops)")
    parser.add_argument("--check-jsonschema", help="the check-jsonschema executable (default: from PATH)")
    parser.add_argument("--mkdocs", help="the mkdocs executable (default: from PATH, else beside this python)")
    parser.add_argument("--output", type=Path, help="also write the table and the machine facts to this file")
    args = parser.parse_args(argv)
    bench = Bench(args)
    facts = bench.versions()
    print("\n".join(facts), flush=True)
    for size in bench.sizes:
        bench.size(size)
    facts.append("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    table = bench.table()
    print("\n" + table)
    if args.output:
        args.output.write_text("\n".join(f"- {fact}" for fact in facts) + "\n\n" + table, encoding="utf-8")


if __name__ == "__main__":
    main()
