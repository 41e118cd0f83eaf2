/* The app's own small behaviours, loaded on every page (no inline script: the CSP forbids it).
   Everything here improves a page that already works without script. */
(function () {
  "use strict";

  // After a failed submit: move focus (and the screen reader) to the list of errors.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // A link in the summary puts the cursor in its field, not only the field in view.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-focus-field]");
    if (!link) return;
    const field = document.getElementById(link.dataset.focusField);
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center", behavior: "instant" });
    field.focus();
  });

  // "Add a child": a new blank row of the formset, on the same page, no round trip.
  document.querySelectorAll("[data-formset]").forEach((set) => {
    const prefix = set.dataset.formset;
    const total = set.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const rows = set.querySelector("[data-formset-rows]");
    const template = set.querySelector("template[data-formset-template]");
    const add = set.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !add) return;
    add.addEventListener("click", (event) => {
      event.preventDefault();
      const index = parseInt(total.value, 10) || 0;
      const html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    });
  });

  // Tables marked .table-stack become one block per row on a narrow screen; each cell is
  // labelled with its column's heading (read from the table itself, so it is translated).
  document.querySelectorAll("table.table-stack").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).map((th) =>
      th.textContent.trim()
    );
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (cell.colSpan === 1 && headings[index] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
    });
  });
})();
