import Foundation
@testable import IDGraph
import IDGraphBrowser
import Testing

/// The access-review page of a report above ``AccessReviewHTML/compactThreshold``
/// accounts: its rows are JSON that the page's script renders a page at a time.
@Suite(.serialized) struct CompactReportTests {
    static let filler = AccessReviewHTML.compactThreshold + 100

    /// The JSON text of the `<script type="application/json">` block `id`.
    private func block(_ id: String, in html: String) throws -> String {
        let open = "<script type=\"application/json\" id=\"\(id)\">"
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func largeReportEmbedsItsRowsAsEscapedJSON() async throws {
        let report = try await HostileReport.make(fillerAccounts: Self.filler)
        let html = try report.html()
        #expect(!html.contains("<tr data-rule"))
        #expect(!html.contains("class=\"reviewer\""))
        #expect(html.contains("open <code>accounts.csv</code>"))
        let accounts = try JSONSerialization.jsonObject(with: Data(try block("review-accounts", in: html).utf8)) as? [[Any]]
        let findings = try JSONSerialization.jsonObject(with: Data(try block("review-findings", in: html).utf8)) as? [[Any]]
        let strings = try JSONSerialization.jsonObject(with: Data(try block("review-strings", in: html).utf8)) as? [String]
        #expect(accounts?.count == Self.filler + 9)
        #expect(findings?.count == report.result.outcome.findings.count)
        #expect(strings?.contains("</script><script>alert(2)</script>") == true)
        // The rows are stored as read; review-order lists each once, people's
        // accounts before those that join no roster person.
        let order = try JSONSerialization.jsonObject(with: Data(try block("review-order", in: html).utf8)) as? [Int]
        let rows = try #require(accounts)
        #expect(order?.sorted() == Array(0..<rows.count))
        let listed = (order ?? []).map { rows[$0] }
        let firstUnmatched = listed.firstIndex { ($0[0] as? Int) == -1 } ?? listed.count
        #expect(firstUnmatched > 0 && listed[firstUnmatched...].allSatisfy { ($0[0] as? Int) == -1 })
        // Each finding names the row of its account: same source, same id.
        let table = try #require(strings)
        for finding in try #require(findings) {
            let row = try #require(finding[8] as? Int)
            let account = rows[row]
            #expect(account[7] as? String == finding[4] as? String)
            #expect(table[account[6] as! Int] == table[finding[2] as! Int])
        }
        for id in ["review-accounts", "review-order", "review-findings", "review-strings"] {
            let json = try block(id, in: html)
            #expect(!json.contains("<") && !json.contains(">") && !json.contains("&"))
            #expect(!json.contains("\u{2028}") && !json.contains("\u{2029}"))
        }
        for injection in HostileReport.injections where injection.contains(where: { "<>&".contains($0) }) {
            #expect(!html.contains(injection), "\(injection) appears unescaped")
        }
        #expect(html.contains("default-src 'none'"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    /// Runs after the page's script: drives its controls and records what it saw.
    static let driver = #"""
        <script>
        (function () {
          var out = {};
          function rows(id) { return Array.prototype.slice.call(document.getElementById(id).tBodies[0].rows); }
          function set(id, value) {
            var control = document.getElementById(id);
            if (control.type === "checkbox") { control.checked = value; } else { control.value = value; }
            control.dispatchEvent(new Event(control.type === "search" ? "input" : "change"));
          }
          try {
            out.rendered = document.documentElement.getAttribute("data-rendered-ms");
            out.findingRows = rows("findings-table").length;
            out.findingsCount = document.getElementById("findings-count").textContent;
            out.accessRows = rows("access-table").length;
            out.accessCount = document.getElementById("access-count").textContent;
            set("findings-search", "evil.example");
            out.searchEmails = rows("findings-table").map(function (r) { return r.cells[4].textContent; });
            set("findings-search", "");
            set("findings-rule", "over-privileged");
            out.ruleRows = rows("findings-table").map(function (r) { return r.cells[0].textContent; });
            set("access-search", "\u003cscript>alert(1)\u003c/script>");
            out.injectedNames = rows("access-table").map(function (r) { return r.cells[1].querySelector("strong").textContent; });
            set("access-search", "");
            set("access-admins", true);
            out.adminRoles = rows("access-table").map(function (r) { return r.cells[4].textContent; });
            set("access-admins", false);
            set("access-source", "procore");
            set("access-flagged", true);
            out.flaggedCount = document.getElementById("access-count").textContent;
            document.querySelector(".pager[data-table='access-table'] .page-next").click();
            out.secondPage = document.querySelector(".pager[data-table='access-table'] .page-number").textContent;
            out.secondPageFirst = rows("access-table")[0].cells[3].querySelector(".mono").textContent;
            document.querySelectorAll("#access-table th button.sort")[3].click();
            document.querySelectorAll("#access-table th button.sort")[3].click();
            out.sortedDescendingFirst = rows("access-table")[0].cells[3].querySelector(".mono").textContent;
            out.containerTexts = rows("access-table").slice(0, 5).map(function (r) { return r.cells[8].textContent; });
          } catch (e) {
            window.__errors.push("driver: " + e.message);
          }
          out.images = document.getElementsByTagName("img").length;
          out.handlers = [];
          document.querySelectorAll("*").forEach(function (el) {
            Array.prototype.forEach.call(el.attributes, function (a) {
              if (a.name.toLowerCase().indexOf("on") === 0) { out.handlers.push(el.tagName + " " + a.name); }
            });
          });
          out.scripts = document.scripts.length;
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
        var rendered: String?
        var findingRows: Int
        var findingsCount: String
        var accessRows: Int
        var accessCount: String
        var searchEmails: [String]
        var ruleRows: [String]
        var injectedNames: [String]
        var adminRoles: [String]
        var flaggedCount: String
        var secondPage: String
        var secondPageFirst: String
        var sortedDescendingFirst: String
        var containerTexts: [String]
        var images: Int
        var handlers: [String]
        var scripts: Int
        var alerts: Int
        var errors: [String]
    }

    @Test func largeReportRendersPagesAndFiltersInTheBrowser() async throws {
        guard let chromium = HeadlessChromium.find() else { return }
        let report = try await HostileReport.make(fillerAccounts: Self.filler)
        var html = try report.html()
        let alertTrap = "<script>window.__alerts = 0; window.alert = function () { window.__alerts += 1; };</script>"
        html = html.replacingOccurrences(of: "<head>", with: "<head>" + BrowserTests.errorProbe + alertTrap)
        let end = try #require(html.range(of: "</body>", options: .backwards))
        html.replaceSubrange(end, with: Self.driver + "</body>")
        let file = report.folder.appendingPathComponent("instrumented.html")
        try html.write(to: file, atomically: true, encoding: .utf8)

        let dom = try chromium.dumpDOM(file)
        let start = try #require(dom.range(of: "<pre id=\"test-results\">"), "the driver wrote no results; DOM: \(dom.prefix(500))")
        let rest = dom[start.upperBound...]
        let close = try #require(rest.range(of: "</pre>"))
        let json = try #require(String(rest[..<close.lowerBound]).removingPercentEncoding)
        let results = try JSONDecoder().decode(Results.self, from: Data(json.utf8))

        let total = Self.filler + 9
        let findings = report.result.outcome.findings.count
        #expect(results.errors == [])
        #expect(results.alerts == 0)
        #expect(results.images == 0)
        #expect(results.handlers == [])
        #expect(results.scripts == 9)  // probe, alert trap, five data blocks, the page's own, the driver
        #expect(results.rendered != nil)
        #expect(results.findingRows == 100)
        #expect(results.findingsCount == "Showing \(findings) of \(findings)")
        #expect(results.accessRows == 100)
        #expect(results.accessCount == "Showing \(total) of \(total)")
        #expect(!results.searchEmails.isEmpty && results.searchEmails.allSatisfy { $0 == "x@evil.example" })
        #expect(results.ruleRows.count == report.result.outcome.findings(of: "over-privileged").count)
        #expect(results.ruleRows.allSatisfy { $0 == "over-privileged" })
        #expect(results.injectedNames == ["<script>alert(1)</script>"])
        #expect(!results.adminRoles.isEmpty && results.adminRoles.allSatisfy { $0.hasSuffix(" admin") })
        #expect(results.flaggedCount == "Showing \(Self.filler) of \(total)")
        #expect(results.secondPage.contains("Page 2 of"))
        #expect(results.secondPageFirst.hasPrefix("f"))
        #expect(results.sortedDescendingFirst == "f999")
        #expect(results.containerTexts.contains("</script><script>alert(2)</script>"))
    }
}
