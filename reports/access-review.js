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

  // A large report embeds its rows as JSON (see AccessReviewData.swift) and
  // lists them here a page at a time; every value goes into the DOM as text.
  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : [];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function pagedTable(table, panel, pager, items, columns, matches) {
    var pageSize = 100;
    var shown = items;
    var page = 0;
    var body = table.tBodies[0];
    var count = panel ? panel.querySelector(".filter-count") : null;

    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      if (page >= pages) { page = pages - 1; }
      var fragment = document.createDocumentFragment();
      shown.slice(page * pageSize, (page + 1) * pageSize).forEach(function (item) {
        var row = document.createElement("tr");
        if (item.stale) { row.className = "row-stale"; }
        columns.forEach(function (column) {
          var cell = document.createElement("td");
          column.render(item, cell);
          row.appendChild(cell);
        });
        fragment.appendChild(row);
      });
      body.textContent = "";
      body.appendChild(fragment);
      if (count) { count.textContent = "Showing " + shown.length + " of " + items.length; }
      pager.textContent = "";
      var previous = element("button", "page-previous", "Previous");
      previous.type = "button";
      previous.disabled = page === 0;
      previous.addEventListener("click", function () { page -= 1; render(); });
      var next = element("button", "page-next", "Next");
      next.type = "button";
      next.disabled = page >= pages - 1;
      next.addEventListener("click", function () { page += 1; render(); });
      pager.appendChild(previous);
      pager.appendChild(element("span", "page-number", " Page " + (page + 1) + " of " + pages + " "));
      pager.appendChild(next);
    }

    function apply() {
      shown = items.filter(matches);
      page = 0;
      render();
    }

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = element("button", "sort", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var key = columns[index].key;
        var direction = ascending ? 1 : -1;
        var keyed = items.map(function (item, position) { return { item: item, key: key(item), position: position }; });
        keyed.sort(function (x, y) {
          var order = x.key < y.key ? -1 : (x.key > y.key ? 1 : 0);
          return order !== 0 ? order * direction : x.position - y.position;
        });
        items = keyed.map(function (k) { return k.item; });
        apply();
      });
    });
    if (panel) {
      panel.querySelectorAll("input, select").forEach(function (control) {
        control.addEventListener(control.type === "search" ? "input" : "change", apply);
      });
      panel.hidden = false;
    }
    pager.hidden = false;
    apply();
  }

  function compactReport() {
    var strings = readData("review-strings");
    function text(index) { return index >= 0 ? strings[index] : ""; }
    function lower(value) { return (value || "").toLowerCase(); }
    var ranks = { low: 1, medium: 2, high: 3, critical: 4 };

    // Rows are arrays whose positions review-columns names: read every value by name.
    var columns = readData("review-columns");
    function reader(spec) {
      return function (row) {
        var record = {};
        for (var i = 0; i < spec.length; i++) {
          var value = row[i];
          switch (spec[i][1]) {
            case "s": record[spec[i][0]] = text(value); break;
            case "t": record[spec[i][0]] = value || ""; break;
            case "b": record[spec[i][0]] = value === 1; break;
            case "l": record[spec[i][0]] = value.map(text); break;
            default: record[spec[i][0]] = value;
          }
        }
        return record;
      };
    }
    var readFinding = reader(columns.findings);
    var findingRows = readData("review-findings").map(readFinding);
    var findings = findingRows.map(function (f, position) {
      return {
        position: position, rule: f.rule, severity: f.severity, source: f.source, stale: f.stale,
        accountID: f.account_id, email: f.email, name: f.name, detail: f.detail
      };
    });
    // Most urgent first, as the HTML form lists them.
    findings.sort(function (x, y) { return (ranks[y.severity] - ranks[x.severity]) || (x.position - y.position); });
    function sevTag(severity, label) { return element("span", "sev sev-" + severity, label); }

    var findingsPanel = document.querySelector(".filters[data-table='findings-table']");
    var findingsTable = document.getElementById("findings-table");
    if (findingsTable && findingsPanel) {
      var search = findingsPanel.querySelector(".filter-text");
      var rule = document.getElementById("findings-rule");
      var severity = document.getElementById("findings-severity");
      var source = document.getElementById("findings-source");
      pagedTable(findingsTable, findingsPanel, document.querySelector(".pager[data-table='findings-table']"), findings, [
        { key: function (f) { return f.rule; }, render: function (f, td) { td.textContent = f.rule; } },
        { key: function (f) { return ranks[f.severity]; }, render: function (f, td) { td.appendChild(sevTag(f.severity, f.severity)); } },
        { key: function (f) { return lower(f.source); }, render: function (f, td) {
          td.className = "nowrap"; td.textContent = f.source;
          if (f.stale) { td.appendChild(document.createTextNode(" ")); td.appendChild(element("span", "status bad", "STALE")); }
        } },
        { key: function (f) { return lower(f.accountID); }, render: function (f, td) { td.className = "mono"; td.textContent = f.accountID; } },
        { key: function (f) { return lower(f.email); }, render: function (f, td) { td.textContent = f.email; } },
        { key: function (f) { return lower(f.name); }, render: function (f, td) { td.textContent = f.name; } },
        { key: function (f) { return lower(f.detail); }, render: function (f, td) { td.className = "detail"; td.textContent = f.detail; } }
      ], function (f) {
        var query = search.value.trim().toLowerCase();
        if (rule.value && f.rule !== rule.value) { return false; }
        if (severity.value && f.severity !== severity.value) { return false; }
        if (source.value && f.source !== source.value) { return false; }
        if (query) {
          if (f.haystack === undefined) {
            f.haystack = [f.rule, f.severity, f.source, f.accountID, f.email, f.name, f.detail].join("\n").toLowerCase();
          }
          if (f.haystack.indexOf(query) === -1) { return false; }
        }
        return true;
      });
    }

    // Rows are stored in the order they were read; review-order lists them in
    // the order the page shows them (by reviewer, person, source, account).
    var readAccount = reader(columns.accounts);
    var accounts = readData("review-accounts").map(function (row) {
      var a = readAccount(row);
      return {
        person: a.person, personName: a.person_name, department: a.department,
        rosterStatus: a.person ? a.roster_status : "not in roster", reviewer: a.reviewer, reviewerName: a.reviewer_name,
        source: a.source, accountID: a.account_id, email: a.email, name: a.name, role: a.role, admin: a.is_admin,
        status: a.status, lastSeen: a.last_seen, created: a.created, containers: a.memberships, stale: a.stale,
        findings: [], canonical: a.canonical, accountType: a.account_type
      };
    });
    // Each finding names the row of its account, in the rules' order.
    findingRows.forEach(function (f) {
      if (f.row >= 0) { accounts[f.row].findings.push({ rule: f.rule, severity: f.severity, detail: f.detail }); }
    });
    accounts = readData("review-order").map(function (position) { return accounts[position]; });
    function reviewerLabel(a) {
      if (!a.person) { return "Accounts that match no roster person"; }
      if (!a.reviewer) { return "People with no manager in the roster"; }
      return a.reviewerName || a.reviewer;
    }
    var accessPanel = document.querySelector(".filters[data-table='access-table']");
    var accessTable = document.getElementById("access-table");
    if (accessTable && accessPanel) {
      var accessSearch = accessPanel.querySelector(".filter-text");
      var accessSource = document.getElementById("access-source");
      var flagged = document.getElementById("access-flagged");
      var admins = document.getElementById("access-admins");
      pagedTable(accessTable, accessPanel, document.querySelector(".pager[data-table='access-table']"), accounts, [
        { key: function (a) { return lower(reviewerLabel(a)); }, render: function (a, td) {
          td.appendChild(element("strong", "", reviewerLabel(a)));
          if (a.person && a.reviewer) { td.appendChild(element("div", "muted", a.reviewer)); }
        } },
        { key: function (a) { return lower(a.personName || a.person || a.canonical); }, render: function (a, td) {
          td.appendChild(element("strong", "", a.personName || a.person || a.canonical || "(no email)"));
          td.appendChild(element("div", "muted", a.person || a.canonical));
          var line = element("div", "muted", a.department ? a.department + " · " : "");
          line.appendChild(element("span", a.rosterStatus === "active" ? "roster-ok" : "roster-bad", a.rosterStatus));
          td.appendChild(line);
        } },
        { key: function (a) { return lower(a.source); }, render: function (a, td) {
          td.textContent = a.source;
          if (a.stale) { td.appendChild(document.createTextNode(" ")); td.appendChild(element("span", "status bad", "STALE")); }
        } },
        { key: function (a) { return lower(a.accountID); }, render: function (a, td) {
          td.appendChild(element("span", "mono", a.accountID));
          td.appendChild(element("div", "", a.name));
          td.appendChild(element("div", "muted", a.email));
        } },
        { key: function (a) { return lower(a.role); }, render: function (a, td) {
          td.textContent = a.role;
          if (a.admin) { td.appendChild(document.createTextNode(" ")); td.appendChild(element("span", "badge-admin", "admin")); }
        } },
        { key: function (a) { return a.status; }, render: function (a, td) { td.appendChild(element("span", "acct acct-" + a.status, a.status)); } },
        { key: function (a) { return a.lastSeen; }, render: function (a, td) { td.className = "nowrap"; td.title = a.lastSeen; td.textContent = a.lastSeen.slice(0, 10); } },
        { key: function (a) { return a.created; }, render: function (a, td) { td.className = "nowrap"; td.title = a.created; td.textContent = a.created.slice(0, 10); } },
        { key: function (a) { return a.containers.length; }, render: function (a, td) {
          if (a.containers.length === 0) { td.appendChild(element("span", "muted", "none")); return; }
          var list = element("ul", "containers");
          a.containers.forEach(function (name) { list.appendChild(element("li", "", name)); });
          td.appendChild(list);
        } },
        { key: function (a) { return a.findings.map(function (f) { return f.rule; }).join(" "); }, render: function (a, td) {
          a.findings.forEach(function (f) {
            var tag = element("div", "finding-tag");
            tag.appendChild(sevTag(f.severity, f.rule));
            tag.appendChild(document.createTextNode(" "));
            tag.appendChild(element("span", "muted", f.detail));
            td.appendChild(tag);
          });
        } }
      ], function (a) {
        var query = accessSearch.value.trim().toLowerCase();
        if (accessSource.value && a.source !== accessSource.value) { return false; }
        if (flagged.checked && a.findings.length === 0) { return false; }
        if (admins.checked && !a.admin) { return false; }
        if (query) {
          if (a.haystack === undefined) {
            a.haystack = [reviewerLabel(a), a.reviewer, a.personName, a.person, a.canonical, a.department, a.rosterStatus,
              a.source, a.accountID, a.name, a.email, a.role, a.status, a.lastSeen, a.created, a.containers.join("\n"),
              a.findings.map(function (f) { return f.rule + " " + f.detail; }).join("\n")].join("\n").toLowerCase();
          }
          if (a.haystack.indexOf(query) === -1) { return false; }
        }
        return true;
      });
    }
    document.documentElement.setAttribute("data-rendered-ms", String(Math.round(performance.now())));
  }

  if (document.getElementById("review-accounts")) {
    compactReport();
  } else {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll(".filters[data-table]").forEach(setUpFilters);
  }
  var print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
}());
