import Foundation
import GRDB
@testable import IDGraph
import Mustache
import Testing

@Suite struct AccessReviewHTMLTests {
    @Test func injectionStringsAppearOnlyAsVisibleText() async throws {
        let report = try await HostileReport.make()
        let html = try report.html()
        let page = HTMLScanner(html)
        let allowed: Set<String> = [
            "html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "p", "strong", "button",
            "nav", "a", "main", "section", "ul", "li", "span", "code", "table", "thead", "tbody", "tr", "th", "td",
            "label", "input", "select", "option", "output", "footer", "script",
        ]
        for tag in page.tags {
            #expect(allowed.contains(tag.name), "unexpected element <\(tag.name)>")
            for attribute in tag.attributes {
                #expect(!attribute.name.hasPrefix("on"), "event handler attribute \(attribute.name) on <\(tag.name)>")
                #expect(!attribute.value.lowercased().contains("javascript:"))
            }
        }
        #expect(page.tags.filter { $0.name == "script" && !$0.isEnd }.count == 1)
        #expect(page.rawTexts.count == 2)  // the page's own style and script
        for raw in page.rawTexts {
            for injection in HostileReport.injections {
                #expect(!raw.contains(injection))
            }
        }
        let text = page.texts.joined(separator: "\u{1}")
        for injection in HostileReport.injections {
            #expect(text.contains(injection), "\(injection) should be visible text")
        }
        for injection in HostileReport.injections where injection.contains(where: { "<>\"'&".contains($0) }) {
            #expect(!html.contains(injection), "\(injection) appears unescaped")
        }
    }

    @Test func pageIsSelfContained() async throws {
        let html = try await HostileReport.make().html()
        let page = HTMLScanner(html)
        for tag in page.tags {
            for attribute in tag.attributes where ["src", "href", "action", "srcset", "poster", "data"].contains(attribute.name) {
                #expect(attribute.value.hasPrefix("#"), "<\(tag.name) \(attribute.name)=\(attribute.value)> would fetch")
            }
            #expect(!["link", "img", "iframe", "object", "embed", "base", "form"].contains(tag.name))
        }
        for raw in page.rawTexts {
            #expect(!raw.contains("http://") && !raw.contains("https://") && !raw.contains("url("))
            #expect(!raw.contains("@import") && !raw.contains("fetch(") && !raw.contains("XMLHttpRequest"))
        }
        #expect(html.contains("default-src 'none'"))
    }

    @Test func staleSourceIsShownProminentlyWithItsLastGoodDate() async throws {
        let report = try await HostileReport.make()
        let html = try report.html()
        let page = HTMLScanner(html)
        let text = page.texts.joined(separator: " ")
        #expect(html.contains("id=\"stale-sources\""))
        #expect(text.contains("proofhub"))
        #expect(text.contains("last good data from"))
        #expect(text.contains("2025-06-01T07:00:00Z"))
        #expect(text.contains("HTTP 503 from GET /people?page=2"))
        // The stale box comes before the summary and the findings.
        let stale = try #require(html.range(of: "id=\"stale-sources\""))
        let summary = try #require(html.range(of: "id=\"summary\""))
        #expect(stale.lowerBound < summary.lowerBound)
        #expect(report.result.outcome.warnings.contains { $0.contains("'proofhub' is stale") })
        // A finding on the stale source is marked where the reviewer reads it.
        let findings = try #require(section(of: html, id: "findings-table"))
        let rows = findings.components(separatedBy: "<tr ").filter { $0.contains("data-source=\"proofhub\"") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("STALE") })
        #expect(!findings.components(separatedBy: "<tr ").contains { $0.contains("data-source=\"streak\"") && $0.contains("STALE") })
    }

    @Test func summaryCountsRulesSourcesAndCoverage() async throws {
        let report = try await HostileReport.make()
        let html = try report.html()
        let rules = try #require(section(of: html, id: "rules-table"))
        #expect(rules.contains("orphaned"))
        #expect(rules.contains("deactivated-with-access"))
        let sources = try #require(section(of: html, id: "sources-table"))
        let streak = try #require(sources.components(separatedBy: "<tr").first { $0.contains("<strong>streak</strong>") })
        #expect(streak.contains(">yes<"))
        #expect(streak.contains("3 of 3 accounts have a last-seen date"))
        let proofhub = try #require(sources.components(separatedBy: "<tr").first { $0.contains("<strong>proofhub</strong>") })
        #expect(proofhub.contains(">yes<") && proofhub.contains("STALE"))
    }

    /// A source whose API exposes no admin flag or no activity is shown "not checked" for the rules that
    /// need them, in the coverage table and in source_runs; it never silently passes.
    @Test func rulesASourceCannotFeedAreShownNotChecked() async throws {
        var graph = try await GraphFixture()
        try await graph.addSource(
            "process-street", kind: .processStreet, accounts: [account("1", email: "zed@acme.com", created: GraphFixture.daysBefore(900))])
        try await graph.addSource("procore", kind: .procore, accounts: [account("2", email: "amy@acme.com", admin: true)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-coverage-\(UUID().uuidString)")
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        let sources = try #require(section(of: html, id: "sources-table"))
        let ps = try #require(sources.components(separatedBy: "<tr").first { $0.contains("<strong>process-street</strong>") })
        #expect(ps.contains("inactive: not checked") && ps.contains("over-privileged: not checked"))
        // Procore without admin_permission_templates cannot tell admins apart.
        let procore = try #require(sources.components(separatedBy: "<tr").first { $0.contains("<strong>procore</strong>") })
        #expect(!procore.contains("inactive: not checked") && procore.contains("over-privileged: not checked"))
        let coverage = try await graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT source, has_activity, has_admin FROM source_runs ORDER BY source")
                .map { "\($0["source"] as String) \($0["has_activity"] as Int) \($0["has_admin"] as Int)" }
        }
        #expect(coverage.contains("process-street 0 0"))
        #expect(!result.outcome.findings.contains { $0.source == "process-street" && $0.rule == "inactive" })
    }

    @Test func accessIsGroupedByManagerWithUnmatchedAccountsApart() async throws {
        let report = try await HostileReport.make()
        let html = try report.html()
        let text = HTMLScanner(html).texts.joined(separator: " ")
        #expect(text.contains("</script><script>alert(2)</script>"))  // the manager's name as a heading
        #expect(text.contains("Accounts that match no roster person"))
        let unmatched = try #require(html.range(of: "id=\"reviewer-unmatched\""))
        let rest = String(html[unmatched.lowerBound...])
        #expect(rest.contains("x@evil.example"))
        #expect(!rest.contains("wei@acme.com"))
    }

    @Test func rendersWithoutAnyFindingOrAccount() async throws {
        let graph = try await GraphFixture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-empty-\(UUID().uuidString)")
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        #expect(html.contains("No findings."))
        #expect(html.contains("No accounts in the graph."))
    }

    @Test func skippedRuleWarningIsShownAndTheRuleMarkedSkipped() async throws {
        var graph = try await GraphFixture(roster: false)
        try await graph.addSource("proofhub", kind: .proofHub, accounts: [account("1", email: "zed@acme.com")])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-noroster-\(UUID().uuidString)")
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        let warnings = try #require(html.range(of: "id=\"warnings\""))
        let summary = try #require(html.range(of: "id=\"summary\""))
        let box = String(html[warnings.upperBound..<summary.lowerBound])
        #expect(box.contains("Rule &#39;orphaned&#39; was skipped: no roster source is configured"))
        let rules = try #require(section(of: html, id: "rules-table"))
        let orphaned = try #require(rules.components(separatedBy: "<tr").first { $0.contains("<strong>orphaned</strong>") })
        #expect(orphaned.contains(">skipped<"))
        #expect(!html.contains("id=\"stale-sources\""))
    }

    @Test func failedRuleIsListedAtTheTop() async throws {
        let graph = try await GraphFixture()
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try "-- id: bad\n-- severity: low\n-- description: x\nSELECT nope FROM nowhere".write(
            to: rules.appendingPathComponent("bad.sql"), atomically: true, encoding: .utf8)
        var configuration = graph.configuration
        configuration.rulesDirectory = rules
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-badrule-\(UUID().uuidString)")
        let result = try await ReviewReport.run(
            store: graph.store, configuration: configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        #expect(result.exitStatus == .failure)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        let box = try #require(html.range(of: "id=\"rule-errors\""))
        let text = String(html[box.upperBound...].prefix(1500))
        #expect(text.contains(rules.appendingPathComponent("bad.sql").path))
        #expect(text.contains("no such table: nowhere"))
        #expect(FileManager.default.fileExists(atPath: result.findingsCSV.path))
    }

    @Test func reviewThatCannotWriteItsPageLeavesThePreviousReports() async throws {
        var graph = try await GraphFixture()
        try await graph.addSource("proofhub", kind: .proofHub, accounts: [account("1", email: "zed@acme.com")])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-keep-\(UUID().uuidString)")
        let first = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let before = try [first.html, first.findingsCSV, first.accountsCSV].map { try Data(contentsOf: $0) }
        // A folder where the page's part file goes: the page cannot be written.
        let blocker = folder.appendingPathComponent(".access-review.html.part")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        await #expect(throws: ReportError.self) {
            try await ReviewReport.run(
                store: graph.store, configuration: graph.configuration, asOf: GraphFixture.date("2025-07-30T00:00:00Z"),
                outputDirectory: folder)
        }
        let after = try [first.html, first.findingsCSV, first.accountsCSV].map { try Data(contentsOf: $0) }
        #expect(after == before)
        // No part file is left behind (the blocking folder had the part's name).
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["access-review.html", "accounts.csv", "findings.csv"])
    }

    private func section(of html: String, id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.range(of: "</table>") else { return nil }
        return String(rest[..<end.lowerBound])
    }
}

@Suite struct HTMLPageLookupTests {
    /// Every field of a row the template reads must answer by name: a name that
    /// returned nil would make Mustache show the enclosing reviewer's value.
    @Test func rowsAnswerEveryFieldByName() throws {
        let tag = HTMLPage.FindingTag(rule: "r", severity: "high", detail: "d")
        let row = HTMLPage.AccessRowView(
            person: "person", personEmail: "personEmail", department: "department", hasDepartment: true,
            rosterStatus: "rosterStatus", rosterStatusClass: "rosterStatusClass", source: "source",
            accountID: "accountID", email: "email", name: "the name", role: "role", isAdmin: false, status: "status",
            lastSeen: "lastSeen", lastSeenDay: "lastSeenDay", created: "created", createdDay: "createdDay",
            containers: ["c1"], containerCount: 1, hasContainers: true, stale: false, findings: [tag],
            hasFindings: true, ruleList: "ruleList")
        let finding = HTMLPage.FindingView(
            rule: "rule", severity: "high", severityRank: 3, source: "source", stale: true, accountID: "accountID",
            email: "email", name: "the name", detail: "detail")
        let values: [any MustacheParent] = [row, tag, finding]
        for value in values {
            for child in Mirror(reflecting: value).children {
                let label = try #require(child.label)
                let answer = try #require(value.child(named: label), "\(type(of: value)).\(label) is not answered by name")
                #expect(String(describing: answer) == String(describing: child.value), "\(type(of: value)).\(label)")
            }
        }
    }
}

/// A bidirectional override in a name is shown, not applied, on both page sizes.
@Suite struct BidiControlTests {
    @Test(arguments: [0, AccessReviewHTML.compactThreshold + 10])
    func bidiOverridesAreShownAsText(filler: Int) async throws {
        var graph = try await GraphFixture()
        var accounts = [account("x1", email: "eve@acme.com", name: "admin\u{202E}nimda", admin: true)]
        accounts += (0..<filler).map { account("f\($0)", email: "filler\($0)@contractor.example", name: "Filler \($0)") }
        try await graph.addSource("procore", kind: .procore, accounts: accounts)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-bidi-\(UUID().uuidString)")
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        #expect(!html.unicodeScalars.contains { TerminalText.isBidiControl($0) })
        #expect(html.contains("admin&lt;U+202E&gt;nimda") || html.contains("admin\\u003cU+202E\\u003enimda"))
    }
}
