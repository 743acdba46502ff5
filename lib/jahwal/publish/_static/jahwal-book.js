/* jahwal.publish.sphinx_ext: mark wide tables so that print (and `jahwal pdf`) sets them in a smaller type;
   give the bibliography entries a list-item role. */
(function () {
  "use strict";
  const WIDE_COLUMNS = 8;
  function markWide() {
    document.querySelectorAll("article table").forEach(function (table) {
      const first = table.rows.length ? table.rows[0].cells.length : 0;
      if (first >= WIDE_COLUMNS) {
        (table.closest("figure") || table.closest(".pst-scrollable-table-container") || table).classList.add("jahwal-wide");
      }
    });
  }
  /* bibliography: docutils marks the list role="list" but its entries with the deprecated doc-biblioentry role,
     which assistive technology does not read as list items (axe: aria-required-children) */
  function fixCitationRoles() {
    document.querySelectorAll('.citation-list[role="list"]').forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (item) {
        if (item.getAttribute("role") !== "listitem") item.setAttribute("role", "listitem");
      });
    });
  }
  function ready() {
    markWide();
    fixCitationRoles();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
