// idgraph access review: sorting and filtering of the rendered tables.
// The page is complete without this script; it only adds controls.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-value");
    return value !== null ? value : cell.textContent.trim();
  }

  function compare(a, b, numeric) {
    if (numeric) { return (parseFloat(a) || 0) - (parseFloat(b) || 0); }
    return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
  }

  function sortTable(table, index, numeric, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, position) {
      return { row: row, key: cellValue(row, index), position: position };
    });
    keyed.sort(function (x, y) {
      var order = compare(x.key, y.key, numeric) * direction;
      return order !== 0 ? order : x.position - y.position;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortTable(table, index, kind === "number", ascending ? 1 : -1);
      });
    });
  }

  function setUpFilters(panel) {
    var tableClass = panel.getAttribute("data-table");
    var tables = document.querySelectorAll("#" + tableClass + ", table." + tableClass);
    var text = panel.querySelector(".filter-text");
    var selects = panel.querySelectorAll(".filter-select");
    var flags = panel.querySelectorAll(".filter-flag");
    var count = panel.querySelector(".filter-count");

    function apply() {
      var query = text ? text.value.trim().toLowerCase() : "";
      var shown = 0;
      var total = 0;
      Array.prototype.forEach.call(tables, function (table) {
        var visibleInTable = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var visible = query === "" || row.textContent.toLowerCase().indexOf(query) !== -1;
          Array.prototype.forEach.call(selects, function (select) {
            var wanted = select.value;
            if (wanted !== "" && row.getAttribute("data-" + select.getAttribute("data-attribute")) !== wanted) {
              visible = false;
            }
          });
          Array.prototype.forEach.call(flags, function (flag) {
            if (flag.checked && row.getAttribute("data-" + flag.getAttribute("data-attribute")) !== "1") {
              visible = false;
            }
          });
          row.classList.toggle("filtered-out", !visible);
          total += 1;
          if (visible) { shown += 1; visibleInTable += 1; }
        });
        var section = table.closest("section.reviewer");
        if (section) { section.classList.toggle("filtered-out", visibleInTable === 0); }
      });
      if (count) { count.textContent = "Showing " + shown + " of " + total; }
    }

    if (text) { text.addEventListener("input", apply); }
    Array.prototype.forEach.call(selects, function (select) { select.addEventListener("change", apply); });
    Array.prototype.forEach.call(flags, function (flag) { flag.addEventListener("change", apply); });
    panel.hidden = false;
    apply();
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll(".filters[data-table]").forEach(setUpFilters);
  var print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
}());
