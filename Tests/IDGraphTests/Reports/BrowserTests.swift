import Foundation
import IDGraph
import IDGraphBrowser
import Testing

/// The HTML report as a reviewer uses it: in a real browser, with its own controls.
@Suite(.serialized) struct BrowserTests {
    /// Runs before the page's script: records every script error.
    static let errorProbe = """
        <script>window.__errors = []; window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });</script>
        """

    /// Runs after the page's script: drives sorting and filtering through the
    /// page's own controls and writes what it saw into the DOM.
    static let driver = #"""
        <script>
        (function () {
          var out = {};
          function rows(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }
          function visible(table) { return rows(table).filter(function (r) { return !r.classList.contains("filtered-out"); }); }
          try {
            var findings = document.getElementById("findings-table");
            out.findingRows = rows(findings).length;
            var headers = findings.tHead.rows[0].cells;
            out.sortButtons = findings.querySelectorAll("th button.sort").length;
            headers[1].querySelector("button").click();
            out.severityAscending = rows(findings).map(function (r) { return r.cells[1].getAttribute("data-value"); });
            headers[1].querySelector("button").click();
            out.severityDescending = rows(findings).map(function (r) { return r.cells[1].getAttribute("data-value"); });
            out.severityAriaSort = headers[1].getAttribute("aria-sort");
            headers[5].querySelector("button").click();
            out.namesAscending = rows(findings).map(function (r) { return r.cells[5].textContent; });
            var search = document.getElementById("findings-search");
            search.value = "evil.example";
            search.dispatchEvent(new Event("input"));
            out.searchVisible = visible(findings).map(function (r) { return r.cells[4].textContent; });
            out.searchCount = document.getElementById("findings-count").textContent;
            search.value = "";
            search.dispatchEvent(new Event("input"));
            var rule = document.getElementById("findings-rule");
            rule.value = "orphaned";
            rule.dispatchEvent(new Event("change"));
            out.ruleVisible = visible(findings).map(function (r) { return r.getAttribute("data-rule"); });
            rule.value = "";
            rule.dispatchEvent(new Event("change"));
            out.afterReset = visible(findings).length;
            var flagged = document.getElementById("access-flagged");
            flagged.checked = true;
            flagged.dispatchEvent(new Event("change"));
            var accessTables = document.querySelectorAll("table.access-table");
            out.flaggedVisible = [];
            accessTables.forEach(function (t) { visible(t).forEach(function (r) { out.flaggedVisible.push(r.getAttribute("data-flagged")); }); });
            flagged.checked = false;
            flagged.dispatchEvent(new Event("change"));
            var accessSearch = document.getElementById("access-search");
            accessSearch.value = "evil.example";
            accessSearch.dispatchEvent(new Event("input"));
            out.hiddenReviewerSections = document.querySelectorAll("section.reviewer.filtered-out").length;
            out.shownReviewerSections = document.querySelectorAll("section.reviewer:not(.filtered-out)").length;
            out.accessCount = document.getElementById("access-count").textContent;
            out.filtersShown = document.querySelectorAll(".filters[hidden]").length === 0;
          } catch (e) {
            window.__errors.push("driver: " + e.message);
          }
          out.images = document.getElementsByTagName("img").length;
          out.scripts = document.scripts.length;
          out.handlers = [];
          document.querySelectorAll("*").forEach(function (el) {
            Array.prototype.forEach.call(el.attributes, function (a) {
              if (a.name.toLowerCase().indexOf("on") === 0) { out.handlers.push(el.tagName + " " + a.name); }
            });
          });
          out.alerts = window.__alerts || 0;
          out.errors = window.__errors;
          var pre = document.createElement("pre");
          pre.id = "test-results";
          pre.textContent = encodeURIComponent(JSON.stringify(out));
          document.body.appendChild(pre);
        }());
        </script>
        """#

    struct Results: Decodable {
        var findingRows: Int
        var sortButtons: Int
        var severityAscending: [String]
        var severityDescending: [String]
        var severityAriaSort: String?
        var namesAscending: [String]
        var searchVisible: [String]
        var searchCount: String
        var ruleVisible: [String]
        var afterReset: Int
        var flaggedVisible: [String]
        var hiddenReviewerSections: Int
        var shownReviewerSections: Int
        var accessCount: String
        var filtersShown: Bool
        var images: Int
        var scripts: Int
        var handlers: [String]
        var alerts: Int
        var errors: [String]
    }

    /// The report with the probe and the driver injected, next to the original.
    private func instrumented(_ report: HostileReport) throws -> URL {
        var html = try report.html()
        let alertTrap = "<script>window.__alerts = 0; window.alert = function () { window.__alerts += 1; };</script>"
        html = html.replacingOccurrences(of: "<head>", with: "<head>" + Self.errorProbe + alertTrap)
        let end = try #require(html.range(of: "</body>", options: .backwards))
        html.replaceSubrange(end, with: Self.driver + "</body>")
        let file = report.folder.appendingPathComponent("instrumented.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func sortingAndFilteringWorkWithoutScriptErrors() async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let report = try await HostileReport.make()
        let dom = try chromium.dumpDOM(try instrumented(report))
        let start = try #require(dom.range(of: "<pre id=\"test-results\">"), "the driver wrote no results; DOM: \(dom.prefix(500))")
        let rest = dom[start.upperBound...]
        let end = try #require(rest.range(of: "</pre>"))
        let encoded = String(rest[..<end.lowerBound])
        let json = try #require(encoded.removingPercentEncoding)
        let results = try JSONDecoder().decode(Results.self, from: Data(json.utf8))

        #expect(results.errors == [])
        #expect(results.alerts == 0)
        #expect(results.images == 0)
        #expect(results.handlers == [])
        #expect(results.scripts == 4)  // probe, alert trap, the page's own, the driver
        let total = report.result.outcome.findings.count
        #expect(results.findingRows == total)
        #expect(results.sortButtons == 7)
        #expect(results.severityAscending == results.severityAscending.sorted())
        #expect(results.severityDescending == Array(results.severityAscending.reversed()))
        #expect(results.severityAriaSort == "descending")
        let names = results.namesAscending
        #expect(names.count == total)
        #expect(Set(names).contains("<script>alert(1)</script>"))
        #expect(results.searchVisible.allSatisfy { $0 == "x@evil.example" } && !results.searchVisible.isEmpty)
        #expect(results.searchCount == "Showing \(results.searchVisible.count) of \(total)")
        #expect(results.ruleVisible.count == report.result.outcome.findings(of: "orphaned").count)
        #expect(results.ruleVisible.allSatisfy { $0 == "orphaned" })
        #expect(results.afterReset == total)
        #expect(!results.flaggedVisible.isEmpty && results.flaggedVisible.allSatisfy { $0 == "1" })
        #expect(results.hiddenReviewerSections >= 1)
        #expect(results.shownReviewerSections == 1)
        #expect(results.accessCount == "Showing 1 of 9")
        #expect(results.filtersShown)
    }

    @Test func pageIsReadableWithJavaScriptOff() async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let report = try await HostileReport.make()
        // The page as a browser with JavaScript off sees it: its script removed.
        var html = try report.html()
        let start = try #require(html.range(of: "<script>", options: .backwards))
        let end = try #require(html.range(of: "</script>", options: .backwards))
        html.removeSubrange(start.lowerBound..<end.upperBound)
        #expect(!html.contains("<script"))
        let file = report.folder.appendingPathComponent("no-script.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let dom = try chromium.dumpDOM(file)
        let page = HTMLScanner(dom)
        let rows = page.tags.filter { tag in
            tag.name == "tr" && !tag.isEnd && tag.attributes.contains { $0.name == "data-rule" }
        }
        #expect(rows.count == report.result.outcome.findings.count)
        #expect(!dom.contains("class=\"sort\""))
        #expect(!page.tags.contains { $0.attributes.contains { $0.name == "class" && $0.value.contains("filtered-out") } })
        let panels = page.tags.filter { $0.name == "div" && $0.attributes.contains { $0 == ("class", "filters js-only") } }
        #expect(panels.count == 2)
        #expect(panels.allSatisfy { $0.attributes.contains { $0.name == "hidden" } })
        let text = page.texts.joined(separator: " ")
        #expect(text.contains("R&D <\"Alpha\">"))
        #expect(text.contains("Access by reviewer"))
    }

    @Test func pageRendersToAScreenshot() async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let report = try await HostileReport.make()
        let png = report.folder.appendingPathComponent("review.png")
        try chromium.screenshot(report.result.html, to: png)
        let data = try Data(contentsOf: png)
        #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(data.count > 20_000)
    }

    /// No table runs off the right edge of a 1400-pixel window, whatever long
    /// ids, emails and group names it holds, on either page size.
    @Test(arguments: [0, 6_000]) func tablesFitTheWindow(filler: Int) async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let report = try await HostileReport.make(fillerAccounts: filler)
        let probe = """
            <script>window.addEventListener("load", function () {
              var widest = 0;
              document.querySelectorAll("table").forEach(function (t) { widest = Math.max(widest, Math.ceil(t.getBoundingClientRect().right)); });
              var pre = document.createElement("pre"); pre.id = "fit";
              pre.textContent = widest + " " + document.documentElement.clientWidth + " " + document.querySelectorAll("table tbody tr").length;
              document.body.appendChild(pre);
            });</script>
            """
        var html = try report.html()
        // A membership name far wider than any column.
        html = html.replacingOccurrences(of: "R&amp;D &lt;&quot;Alpha&quot;&gt;", with: String(repeating: "WarehouseRetrofit", count: 12))
        let end = try #require(html.range(of: "</body>", options: .backwards))
        html.replaceSubrange(end, with: probe + "</body>")
        let file = report.folder.appendingPathComponent("fit.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let dom = try chromium.dumpDOM(file, width: 1400)
        let start = try #require(dom.range(of: "<pre id=\"fit\">"))
        let numbers = dom[start.upperBound...].prefix { $0 != "<" }.split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 3)
        #expect(numbers[2] > 5, "the tables have rows")
        #expect(numbers[0] <= numbers[1], "a table ends at \(numbers[0]) px in a page \(numbers[1]) px wide")
    }
}
