import CSV
import Foundation
import Testing

/// A quarterly review as a coordinator runs it, through the real binary.
@Suite struct CampaignCommandTests {
    /// The demo starts a campaign and writes its worksheets; a script fills in
    /// every row; import, close and status follow.
    @Test func roundTripOnTheDemoCompany() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let demo = try CommandLineTool.run(["demo", "--out", folder.path, "--size", "80", "--faults", ""])
        #expect(demo.status == 0, "\(demo.stderr)")
        let worksheets = folder.appendingPathComponent("worksheets")
        #expect(demo.stdout.contains("Worksheets (a .csv to fill in and a .html to print, per reviewer): \(worksheets.path)"))
        let files = try FileManager.default.contentsOfDirectory(atPath: worksheets.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.count > 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: worksheets.path).filter { $0.hasSuffix(".html") }.count == files.count)

        var items = 0
        var revokes = 0
        for name in files {
            let url = worksheets.appendingPathComponent(name)
            let reader = try CSVReader(string: try String(contentsOf: url, encoding: .utf8), hasHeaderRow: false)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            let header = rows[0]
            let decision = try #require(header.firstIndex(of: "decision")), reason = try #require(header.firstIndex(of: "reason"))
            let findings = try #require(header.firstIndex(of: "findings")), admin = try #require(header.firstIndex(of: "is_admin"))
            for index in rows.indices.dropFirst() {
                items += 1
                if !rows[index][findings].isEmpty {
                    rows[index][decision] = "revoke"
                    rows[index][reason] = "flagged in the review"
                    revokes += 1
                } else if rows[index][admin] == "1" {
                    rows[index][decision] = "keep"
                    rows[index][reason] = "approved admin"
                } else {
                    rows[index][decision] = "keep"
                }
            }
            let stream = OutputStream(toMemory: ())
            let writer = try CSVWriter(stream: stream)
            for row in rows { try writer.write(row: row) }
            writer.stream.close()
            try (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()).write(to: url)
        }

        let paths = files.map { worksheets.appendingPathComponent($0).path }
        let imported = try CommandLineTool.run(["campaign", "import", "demo", "--config", "idgraph.yaml"] + paths, in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.split(separator: "\n").count == files.count)
        let again = try CommandLineTool.run(["campaign", "import", "demo", "--config", "idgraph.yaml"] + paths, in: folder)
        #expect(again.status == 0 && again.stdout.contains(" 0 decisions stored"), "\(again.stdout)")

        let closed = try CommandLineTool.run(["campaign", "close", "demo", "--config", "idgraph.yaml", "--undecided", "leave"], in: folder)
        #expect(closed.status == 0 && closed.stdout.contains("0 undecided items left undecided"), "\(closed.stdout)\(closed.stderr)")
        let status = try CommandLineTool.run(["campaign", "status", "demo", "--config", "idgraph.yaml"], in: folder)
        #expect(status.status == 0)
        #expect(status.stdout.contains("demo (closed): \(items) of \(items) items decided (100%), \(revokes) to revoke or modify"), "\(status.stdout)")
        let json = try CommandLineTool.run(["campaign", "status", "demo", "--config", "idgraph.yaml", "--format", "json"], in: folder)
        #expect(json.stdout.hasPrefix("[") && json.stdout.contains("\"left\": 0"))

        // After the close, an import is refused and changes nothing.
        let late = try CommandLineTool.run(["campaign", "import", "demo", "--config", "idgraph.yaml", paths[0]], in: folder)
        #expect(late.status == 2 && late.stderr.contains("was closed"), "\(late.stderr)")

        let decisions = try CommandLineTool.run(
            ["query", "--db", "idgraph.sqlite", "--format", "csv", "SELECT count(*) AS n FROM decisions WHERE campaign = 'demo'"],
            in: folder)
        #expect(decisions.stdout == "n\r\n\(items)\r\n")
        // The revokes become a plan, and a verify before the next collect can tell nothing yet.
        let plan = try CommandLineTool.run(["remediation", "plan", "--config", "idgraph.yaml", "--campaign", "demo", "--out", "plan"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("\(revokes) accounts to remediate for campaign demo"), "\(plan.stdout)")
        let planRows = try String(contentsOf: folder.appendingPathComponent("plan/remediation-plan.csv"), encoding: .utf8)
        #expect(planRows.hasPrefix("item,source,kind,account_id,email,person_email,action,origin,reason,decided_by,decided_at,due,steps,caveat,ticket\r\n"))
        let jira = try String(contentsOf: folder.appendingPathComponent("plan/jira-import.csv"), encoding: .utf8)
        #expect(jira.hasPrefix("Summary,Description,Issue Type,Priority,Due Date,Labels\r\n"))
        let verify = try CommandLineTool.run(["remediation", "verify", "--config", "idgraph.yaml", "--campaign", "demo", "--format", "csv"], in: folder)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.components(separatedBy: ",unverifiable,").count - 1 == revokes)

        let page = try CommandLineTool.run(["review", "--config", "idgraph.yaml", "--campaign", "demo", "--out", "final"], in: folder)
        #expect(page.status == 0)
        let html = try String(contentsOf: folder.appendingPathComponent("final/access-review.html"), encoding: .utf8)
        #expect(html.contains("id=\"campaign-removals\""))
    }

    @Test func pastDueWithItemsLeftExitsOne() throws {
        let folder = try CommandLineTool.temporaryFolder()
        let demo = try CommandLineTool.run(["demo", "--out", folder.path, "--size", "60", "--faults", "", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let start = try CommandLineTool.run(
            ["campaign", "start", "--config", "idgraph.yaml", "--name", "late", "--due", "2020-01-31"], in: folder)
        #expect(start.status == 0, "\(start.stderr)")
        let status = try CommandLineTool.run(["campaign", "status", "late", "--config", "idgraph.yaml", "--format", "csv"], in: folder)
        #expect(status.status == 1)
        #expect(status.stdout.hasPrefix("reviewer,assigned,decided,left,overdue\r\n"))
        #expect(status.stdout.contains(",overdue\r\n"))
        let unknown = try CommandLineTool.run(["campaign", "status", "nope", "--config", "idgraph.yaml"], in: folder)
        #expect(unknown.status == 2 && unknown.stderr.contains("There is no campaign named 'nope'. Campaigns: demo, late."), "\(unknown.stderr)")
    }
}
