import CSV
import Foundation
import IDGraph
import Testing

@Suite struct CSVReportTests {
    /// Every row of a CSV file, header first, read with a CSV parser.
    private func rows(_ url: URL) throws -> [[String]] {
        let data = try Data(contentsOf: url)
        let text = try #require(String(data: data, encoding: .utf8))
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test func findingsHeaderIsExact() async throws {
        let report = try await HostileReport.make()
        let header = try rows(report.result.findingsCSV).first
        #expect(header == ["rule", "severity", "source", "account_id", "email", "name", "detail"])
    }

    @Test func accountsHeaderIsExact() async throws {
        let report = try await HostileReport.make()
        let header = try rows(report.result.accountsCSV).first
        #expect(header == [
            "source", "account_id", "email", "name", "person_email", "department", "manager_email", "role",
            "is_admin", "status", "last_seen", "created", "memberships", "stale", "account_type",
        ])
    }

    @Test func filesAreCRLFSeparatedUTF8() async throws {
        let report = try await HostileReport.make()
        let data = try Data(contentsOf: report.result.accountsCSV)
        #expect(String(data: data, encoding: .utf8)?.hasPrefix("source,account_id,email,name,") == true)
        #expect(data.suffix(2) == Data([13, 10]))
        #expect(data.first != 0xEF)
    }

    @Test func everyCellIsNeutralisedAgainstFormulas() async throws {
        let report = try await HostileReport.make()
        for url in [report.result.findingsCSV, report.result.accountsCSV] {
            let table = try rows(url)
            #expect(table.count > 1)
            for row in table {
                #expect(row.count == table[0].count)
                for cell in row {
                    if let first = cell.unicodeScalars.first {
                        #expect(!["=", "+", "-", "@", "\t", "\r"].contains(first), "cell \(cell) of \(url.lastPathComponent)")
                    }
                }
            }
        }
    }

    @Test func hostileCellsKeepTheirTextAfterTheQuote() async throws {
        let report = try await HostileReport.make()
        let table = try rows(report.result.accountsCSV)
        let header = table[0]
        func column(_ name: String, of id: String) -> String? {
            let row = table.first { $0[1] == id || $0[1] == "'" + id }
            return row.map { $0[header.firstIndex(of: name)!] }
        }
        #expect(column("name", of: "p1") == "'=HYPERLINK(\"http://x\")")
        #expect(column("name", of: "p2") == "O'Brien, \"Bob\"")
        #expect(column("role", of: "s1") == "'@SUM(A1)")
        #expect(column("email", of: "=cmd|' /C calc'!A0") == "'-2")
        #expect(column("department", of: "s2") == "'+1")
        #expect(column("name", of: "s1") == "<script>alert(1)</script>")
    }

    @Test func accountsRowsCarryPersonMembershipsAndStale() async throws {
        let report = try await HostileReport.make()
        let table = try rows(report.result.accountsCSV)
        let header = table[0]
        let records = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        #expect(records.count == 9)
        let p2 = try #require(records.first { $0["account_id"] == "p2" })
        #expect(p2["memberships"] == #"["R&D <\"Alpha\">","a; b \"c\", d"]"#)
        #expect(p2["person_email"] == "bob@acme.com")
        #expect(p2["manager_email"] == "boss@acme.com")
        #expect(p2["status"] == "inactive")
        #expect(p2["stale"] == "0")
        let p1 = try #require(records.first { $0["account_id"] == "p1" })
        #expect(p1["is_admin"] == "1")
        #expect(p1["memberships"] == "[]")
        let h1 = try #require(records.first { $0["account_id"] == "h1" })
        #expect(h1["stale"] == "1")
        let p5 = try #require(records.first { $0["account_id"] == "p5" })
        #expect(p5["email"] == "")
        #expect(p5["person_email"] == "")
        let memberships = try JSONDecoder().decode([String].self, from: Data(p2["memberships"]!.utf8))
        #expect(memberships == ["R&D <\"Alpha\">", "a; b \"c\", d"])
    }

    @Test func findingsRowsMatchTheReview() async throws {
        let report = try await HostileReport.make()
        let table = try rows(report.result.findingsCSV)
        #expect(table.count == report.result.outcome.findings.count + 1)
        let rules = Set(table.dropFirst().map { $0[0] })
        #expect(rules == ["inactive", "orphaned", "over-privileged", "stale-invite", "deactivated-with-access"])
    }

    /// findings.csv is written from the findings the rules hand over while they are stored; it is
    /// byte for byte the file of the rows stored.
    @Test func findingsCSVHoldsTheRowsTheReviewStored() async throws {
        let report = try await HostileReport.make()
        let stored = report.folder.appendingPathComponent("stored-findings.csv")
        try await FindingsCSV.write(report.result.outcome.reviewRunID, from: report.store.reader, to: stored)
        #expect(try rows(stored).count == report.result.outcome.findings.count + 1)
        #expect(try Data(contentsOf: stored) == Data(contentsOf: report.result.findingsCSV))
    }

    @Test(arguments: [
        ("=1+2", "'=1+2"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("a=b", "a=b"), ("", ""), ("2025-06-30", "2025-06-30"), ("'quoted", "'quoted"),
    ])
    func formulaSafePrefixesOnlyDangerousStarts(input: String, expected: String) {
        #expect(formulaSafe(input) == expected)
    }
}
