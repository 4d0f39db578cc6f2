"""What the screen tests measure in the browser, and which pages of a built site they walk.

Helpers for ``test_screens.py``; the browser itself (Chromium, the fixtures, the rules: 127.0.0.1
only, no timers) comes from ``test_browser.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .conftest import ARTIFACTS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENS = ARTIFACTS / "screens"
WIDTHS = (1280, 390)
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright's colour scheme → Material's data-md-color-scheme
LANGUAGES = {"zh": "", "en": "en/"}  # language → where its pages are in the built site
# The generated pages: the two folders `dops site generate` writes, in both languages.
GENERATED = ("status", "policy")


def page_paths(site: Path, *, generated_only: bool = False) -> list[str]:
    """Every HTML page of a built site as the path a browser asks for ("status/risks/"), both languages."""
    paths = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        parts = relative.parts[1:] if relative.parts[0] == "en" else relative.parts
        if generated_only and (len(parts) < 2 or parts[0] not in GENERATED):
            continue
        if relative.name == "404.html":
            continue
        paths.append(relative.parent.as_posix() + "/" if relative.name == "index.html" else relative.as_posix())
    return [path.removeprefix("./") for path in paths]


@dataclass
class Opened:
    """A page opened in its own tab, with what went wrong in it recorded from the start."""

    page: Page
    base: str
    errors: list[str]
    requests: list[str]

    def outside(self) -> list[str]:
        """Requests that left the server of the site (127.0.0.1)."""
        return [url for url in self.requests if not url.startswith((self.base, "data:", "blob:"))]

    def visit(self, path: str) -> None:
        """Loads ``path``; a page that is not there fails at once, not after a wait for what it would show."""
        response = self.page.goto(self.base + path, wait_until="load")
        status = response.status if response else "no response"
        assert response is not None and response.ok, f"{path}: {status}"


def open_tab(browser: Browser, base: str, path: str, *, width: int, scheme: str, language: str) -> Opened:
    """Opens ``base + path`` in a new tab ``width`` pixels wide, the system set to the light or dark ``scheme``."""
    page = browser.new_page(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if scheme == "dark" else "light",
        locale="zh-CN" if language == "zh" else "en-GB",
    )
    opened = Opened(page, base, [], [])
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("request", lambda r: opened.requests.append(r.url))
    try:
        opened.visit(path)
    except BaseException:
        page.close()
        raise
    return opened


# Overflow of the main column, measured in the page; see test_screens.test_no_page_is_wider_than_its_column
# for what counts and why. Returns a list of {where, px, what, allowed}: the element, by how many pixels
# it is too wide, how (the page or the column scrolls sideways, a box cuts or scrolls its content, an
# element reaches past the window), and whether that box may scroll (a code block; a table when
# ``tablesMayScroll``).
OVERFLOW = """
(tablesMayScroll) => {
  const content = document.querySelector(".md-content");
  const width = document.documentElement.clientWidth;
  const found = [];
  const headings = [...content.querySelectorAll("h1, h2, h3")];
  const name = element => {
    let label = element.tagName.toLowerCase();
    if (element.id) label += "#" + element.id;
    for (const c of element.classList) label += "." + c;
    const under = headings.filter(h => h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    const text = (element.innerText || element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return label + (under ? ` under "${under.textContent.replace("\u00b6", "").trim()}"` : "") +
      (text ? ` ("${text}")` : "");
  };
  const excess = element => element.scrollWidth - element.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    found.push({where: "the page", px: document.documentElement.scrollWidth - width, what: "scrolls sideways",
                allowed: false});
  }
  if (excess(content) > 1) {
    found.push({where: name(content), px: excess(content), what: "(the main column) scrolls sideways",
                allowed: false});
  }
  const scrolls = element => getComputedStyle(element).overflowX !== "visible";
  const holdsTable = element => element.closest(".md-typeset__scrollwrap") ||
    element.firstElementChild?.tagName === "TABLE";  // Material's box for a table, or a page's own
  const mayScroll = element => Boolean(element.closest("pre") || (tablesMayScroll && holdsTable(element)));
  const scroller = element => {
    for (let up = element.parentElement; up && up !== content; up = up.parentElement) {
      if (scrolls(up)) return up;
    }
    return null;
  };
  const reported = new Set();
  for (const element of content.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (scrolls(element) && excess(element) > 1) {
      found.push({where: name(element), px: excess(element), what: "cuts or scrolls its content",
                  allowed: mayScroll(element)});
    }
    const beyond = Math.round(Math.max(box.right - width, -box.left));
    if (beyond > 1 && !scroller(element) && ![...reported].some(r => r.contains(element))) {
      found.push({where: name(element), px: beyond, what: "reaches past the window", allowed: false});
      reported.add(element);
    }
  }
  return found;
}
"""
