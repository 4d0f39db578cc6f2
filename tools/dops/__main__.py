"""The ``dops`` command (pyproject.toml, [project.scripts]) and ``python -m dops``.

``dops --version`` is answered here, before click and the command line are imported: importing click
alone takes longer than the whole answer may (issue 9: at most 0.08 s), and scripts, editors and
pre-commit ask it to learn which dops they run. The text is click's, as ``dops.cli`` prints it (a test
compares the two). Everything else goes to :func:`dops.cli.main`.
"""

from __future__ import annotations

import sys

from dops import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"dops, version {__version__}\n")
        sys.stdout.flush()
        return
    from dops.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
