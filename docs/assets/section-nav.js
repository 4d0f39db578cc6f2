// Record pages (a project, a person, a risk) stay out of the navigation, which Material copies into
// every page. With navigation tabs, the left sidebar then shows nothing on them, and the tabs mark no
// section. This marks, on such a page, the section whose pages the address lies under (for
// status/projects/PRJ-…/, the section that holds status/projects/), so the sidebar shows that
// section's pages and the tab is marked, as on the pages in the navigation. It changes nothing where
// Material has marked a section itself.
(function () {
  "use strict";
  var primary = document.querySelector(".md-nav--primary > .md-nav__list");
  if (!primary || primary.querySelector(":scope > .md-nav__item--active")) return;
  var here = location.pathname;
  var logo = document.querySelector("a.md-logo[href]");
  var home = logo ? new URL(logo.getAttribute("href"), location.href).pathname : "/";
  var best = null;
  var bestLength = 0;
  primary.querySelectorAll(":scope > .md-nav__item").forEach(function (item) {
    item.querySelectorAll("a.md-nav__link[href]").forEach(function (link) {
      var path = new URL(link.getAttribute("href"), location.href).pathname;
      if (path.length > bestLength && here.indexOf(path) === 0 && path !== here && path !== home) {
        best = item;
        bestLength = path.length;
      }
    });
  });
  if (!best) return;
  best.classList.add("md-nav__item--active");
  var toggle = best.querySelector(":scope > input.md-nav__toggle");
  if (toggle) toggle.checked = true;
  var title = best.querySelector(":scope > label, :scope > a");
  var name = title ? title.textContent.trim() : "";
  document.querySelectorAll(".md-tabs__item").forEach(function (tab) {
    if (name && tab.textContent.trim() === name) tab.classList.add("md-tabs__item--active");
  });
})();
