"""Without Chromium or Playwright the browser tests skip on a developer's machine and fail on CI.

Each case runs pytest on test_browser.py in a subprocess, with Chromium's path (``DOPS_CHROMIUM``)
pointed at a file that does not exist, or with a stand-in ``playwright`` package that fails to import
first on the path. Either way nothing may be built: the check comes before the site fixtures.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from ..conftest import REPO

BROWSER_TESTS = "tests/site/test_browser.py"
HOW = {"chromium": "apt-get install chromium fonts-noto-cjk", "playwright": "pip install -e '.[test]'"}


def _run_browser_tests(tmp_path, missing: str, *, ci: bool) -> tuple[int, str]:
    environment = {name: value for name, value in os.environ.items() if name not in {"CI", "PYTEST_ADDOPTS"}}
    if ci:
        environment["CI"] = "true"
    if missing == "chromium":
        if importlib.util.find_spec("playwright") is None:
            pytest.skip("without playwright the browser tests stop at that, before they look for Chromium")
        environment["DOPS_CHROMIUM"] = str(tmp_path / "no-chromium")
    else:
        stub = tmp_path / "stub" / "playwright"
        stub.mkdir(parents=True)
        (stub / "__init__.py").write_text('raise ImportError("playwright is hidden by a test")\n', encoding="utf-8")
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(stub.parent), os.environ.get("PYTHONPATH")]))
    basetemp = tmp_path / "basetemp"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-rfEs",
        "-p",
        "no:cacheprovider",
        "-n",
        "0",
        f"--basetemp={basetemp}",
    ]
    done = subprocess.run(
        [*command, BROWSER_TESTS], cwd=REPO, capture_output=True, text=True, env=environment, timeout=300
    )
    output = done.stdout + done.stderr
    assert not basetemp.exists() or not any(basetemp.iterdir()), f"a site was built first\n{output}"
    return done.returncode, output


@pytest.mark.parametrize("missing", ["chromium", "playwright"])
def test_on_ci_the_browser_tests_fail_and_say_what_to_install(tmp_path, missing):
    returncode, output = _run_browser_tests(tmp_path, missing, ci=True)
    summary = output.strip().splitlines()[-1]
    assert returncode == 1, output
    assert re.fullmatch(r"\d+ errors? in [\d.]+s", summary), output  # every test failed at its set-up
    errors = [line for line in output.splitlines() if line.startswith("ERROR tests/site/test_browser.py::")]
    assert errors and all(HOW[missing] in line and "CI must run the browser tests" in line for line in errors), output


@pytest.mark.parametrize("missing", ["chromium", "playwright"])
def test_elsewhere_the_browser_tests_skip_with_a_one_line_reason(tmp_path, missing):
    returncode, output = _run_browser_tests(tmp_path, missing, ci=False)
    assert returncode == pytest.ExitCode.NO_TESTS_COLLECTED, output  # the file is skipped as a whole: no failure
    assert output.strip().splitlines()[-1].startswith("1 skipped in"), output
    [reason] = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert reason.startswith("SKIPPED [1] tests/site/test_browser.py:") and reason.endswith(f"({HOW[missing]})"), output
