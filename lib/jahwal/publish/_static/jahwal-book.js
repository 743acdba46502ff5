/* jahwal.publish.sphinx_ext: mark wide tables so that print (and `jahwal pdf`) sets them in a smaller type. */
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markWide);
  else markWide();
})();
