"""Start-up: `dops --version` and `dops --help` load none of the heavy modules (issue 9).

No timers: each command runs in a fresh interpreter, as the installed `dops` command does, and the
test reads which modules that interpreter imported. `--version` is answered before click is
imported; `--help` needs click but none of the rules, reporters, PyYAML or jsonschema.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

from dops import __version__, cli
from dops.outputs.reporters import REPORTERS

from ..conftest import REPO

#: Imported only by the commands that need them.
HEAVY = (
    "yaml",
    "jsonschema",
    "jsonschema_rs",
    "referencing",
    "dops.rules",
    "dops.outputs",
    "dops.features",
    "dops.core.loader",
    "dops.core.validation",
    "dops.core.policy",
)

# What the `dops` script that pip writes does (pyproject.toml [project.scripts]), then the modules loaded.
_PROBE = """
import json, sys
sys.argv = ["dops", *json.loads(sys.argv[1])]
from dops.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def _start(*args: str) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    return done.stdout, modules


def _heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY)]


def test_version_loads_neither_click_nor_any_heavy_module():
    out, modules = _start("--version")
    assert out == f"dops, version {__version__}\n"
    assert _heavy(modules) == []
    assert "click" not in modules
    assert "dops.cli" not in modules


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("calendar", "--help")])
def test_help_loads_click_but_no_heavy_module(args):
    out, modules = _start(*args)
    assert out.startswith("Usage: dops ")
    assert _heavy(modules) == []


def test_the_early_version_answer_is_the_command_lines_own():
    ran = CliRunner().invoke(cli.main, ["--version"])
    assert ran.exit_code == 0
    out, _ = _start("--version")
    assert out == ran.output


def test_check_offers_every_report_format():
    assert tuple(sorted(REPORTERS)) == cli.REPORT_FORMATS


def test_the_installed_command_starts_at_the_early_answer():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["dops"] == "dops.__main__:main"
