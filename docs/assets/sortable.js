// Click a column heading to sort a table; click again to reverse. No library, no network.
// Applies to tables on pages that contain an element with data-dops-sortable (the risk register).
(function () {
  function cellValue(row, index) {
    const text = (row.cells[index] ? row.cells[index].textContent : "").trim();
    const number = Number(text.replace(/[★\s]/g, ""));
    return text !== "" && text !== "—" && !Number.isNaN(number) ? number : text;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "zh");
  }

  function makeSortable(table) {
    if (table.hasAttribute("data-dops-sortable-table")) return;
    table.setAttribute("data-dops-sortable-table", "");  // not a class: Material styles only tables without one
    const headings = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    headings.forEach(function (heading, index) {
      heading.setAttribute("tabindex", "0");
      heading.setAttribute("role", "button");
      function sort() {
        const ascending = heading.getAttribute("aria-sort") !== "ascending";
        headings.forEach(function (h) { h.removeAttribute("aria-sort"); });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort(function (x, y) {
          const order = compare(cellValue(x, index), cellValue(y, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      heading.addEventListener("click", sort);
      heading.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function init() {
    if (!document.querySelector("[data-dops-sortable]")) return;
    document.querySelectorAll("article table").forEach(makeSortable);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
