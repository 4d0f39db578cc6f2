// The risk register's filters: select boxes for category, project and owner above the open risks.
// Progressive enhancement: without script the register is grouped by the same fields below the tables.
// Each risk row carries its values on a marker (<span class="dops-risk" data-category=… data-project=…
// data-owner=…>); the labels come from the placeholder's data-label-* attributes, in the page's language.
(function () {
  const FIELDS = [
    { key: "category", label: "categoryLabel" },
    { key: "project", label: null },
    { key: "owner", label: "ownerLabel" },
  ];

  function init() {
    const holder = document.querySelector("[data-dops-risk-filter]");
    if (!holder || holder.hasAttribute("data-ready")) return;
    holder.setAttribute("data-ready", "");
    const words = holder.dataset;
    const rows = Array.from(document.querySelectorAll("article .dops-risk"))
      .map(function (marker) { return { row: marker.closest("tr"), data: marker.dataset }; })
      .filter(function (item) { return item.row; });
    const selects = {};
    FIELDS.forEach(function (field) {
      const values = new Map();
      rows.forEach(function (item) {
        const value = item.data[field.key] || "";
        const label = field.label ? item.data[field.label] || value : value;
        values.set(value, value ? label : words.labelNone);
      });
      const label = document.createElement("label");
      const name = document.createElement("span");
      name.textContent = words["label" + field.key.charAt(0).toUpperCase() + field.key.slice(1)];
      const select = document.createElement("select");
      select.setAttribute("data-field", field.key);
      const all = document.createElement("option");
      all.value = "";
      all.textContent = words.labelAll;
      select.appendChild(all);
      Array.from(values.entries())
        .sort(function (a, b) { return (a[0] === "") - (b[0] === "") || a[1].localeCompare(b[1], "zh"); })
        .forEach(function (entry) {
          const option = document.createElement("option");
          option.value = "=" + entry[0];  // "=" keeps a risk without a value apart from "all"
          option.textContent = entry[1];
          select.appendChild(option);
        });
      select.addEventListener("change", apply);
      label.appendChild(name);
      label.appendChild(select);
      holder.appendChild(label);
      selects[field.key] = select;
    });
    const shown = document.createElement("output");
    shown.setAttribute("aria-live", "polite");
    holder.appendChild(shown);

    function apply() {
      let count = 0;
      rows.forEach(function (item) {
        const match = FIELDS.every(function (field) {
          const wanted = selects[field.key].value;
          return wanted === "" || wanted === "=" + (item.data[field.key] || "");
        });
        item.row.hidden = !match;
        if (match && !item.row.closest("details")) count += 1;  // closed risks are filtered too, folded away
      });
      shown.textContent = words.labelShown.replace("#", String(count));
    }
    apply();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
