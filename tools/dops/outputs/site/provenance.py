"""Where a page comes from: the commit and the as-of date it was built from, and links into the repository.

An auditor reading the site must be able to say "this is the state on this date, from this
commit" and open the record behind a page, with its history. The commit is git's ``HEAD`` of
the records repository (``$GITHUB_SHA`` when git cannot say, as in some CI checkouts); the
repository's web address comes from the site's settings (MkDocs's ``repo_url``), so links
work for GitHub, GitLab and Gitea alike, whose paths are the same for these three pages.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


@dataclass(frozen=True)
class Provenance:
    commit: str | None  # the full commit ID, or None outside a git repository
    dirty: bool  # records, schemas, policy or settings differ from the commit
    repo_url: str | None  # https://github.com/org/repo, no trailing slash
    branch: str  # the branch whose history and edit links point at

    @property
    def short(self) -> str | None:
        return self.commit[:12] if self.commit else None

    def commit_url(self) -> str | None:
        if not (self.repo_url and self.commit):
            return None
        return f"{self.repo_url}/commit/{self.commit}"

    def file_url(self, path: str) -> str | None:
        """The file as it was at the commit the page was built from."""
        if not self.repo_url:
            return None
        return f"{self.repo_url}/blob/{quote(self.commit or self.branch)}/{quote(path)}"

    def history_url(self, path: str) -> str | None:
        if not self.repo_url:
            return None
        return f"{self.repo_url}/commits/{quote(self.branch)}/{quote(path)}"

    def edit_url(self, path: str) -> str | None:
        if not self.repo_url:
            return None
        return f"{self.repo_url}/edit/{quote(self.branch)}/{quote(path)}"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def branch_of(edit_uri: str | None) -> str:
    """The branch named in MkDocs's ``edit_uri`` (``edit/main/docs/``), else ``main``."""
    parts = [part for part in (edit_uri or "").split("/") if part]
    if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree", "-"):
        return parts[1] if parts[0] != "-" or len(parts) < 3 else parts[2]
    return "main"


def provenance(root: Path, repo_url: str | None = None, edit_uri: str | None = None) -> Provenance:
    """The commit ``root`` is at, and how to link into its repository."""
    inside = _git(root, "rev-parse", "--show-toplevel")
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") if inside else None
    dirty = False
    if commit:
        status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", "records", "schemas", "policy")
        dirty = bool(status)
    else:
        commit = os.environ.get("GITHUB_SHA") or None
    url = (repo_url or "").strip().rstrip("/") or None
    if url and url.endswith(".git"):
        url = url[: -len(".git")]
    if url and not url.startswith(("https://", "http://")):
        url = None  # only a web address can be linked
    return Provenance(commit=commit, dirty=dirty, repo_url=url, branch=branch_of(edit_uri))
