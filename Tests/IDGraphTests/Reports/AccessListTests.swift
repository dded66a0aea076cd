import Foundation
import GRDB
@testable import IDGraph
import Testing

/// The access list has one order, and every report lists its rows in it.
@Suite struct AccessListTests {
    /// Account ids in the order the list must show them.
    static let expectedOrder = [
        "a-bea",  // managed by Amy (named in the roster)
        "a-cal", "b-cal",  // managed by Zed; a person's accounts by source, then id
        "a-dan",  // managed by ghost@, whom the roster does not list
        "a-amy", "a-eve", "a-zed",  // no manager, by name
        "a-w", "b-w",  // no roster person: by canonical email
        "a-x",
        "a-none", "b-none",  // no email
    ]

    static func graph() async throws -> GraphFixture {
        var graph = try await GraphFixture()
        try await graph.addRoster([
            person("zed@acme.com", name: "Zed"),
            person("amy@acme.com", name: "Amy"),
            person("cal@acme.com", name: "Cal", manager: "zed@acme.com"),
            person("bea@acme.com", name: "Bea", manager: "amy@acme.com"),
            person("dan@acme.com", name: "Dan", manager: "ghost@acme.com"),
            person("eve@acme.com", name: "Eve"),
        ])
        for source in ["b", "a"] {
            var accounts = [
                account("\(source)-cal", email: "cal@acme.com", name: "Cal"),
                account("\(source)-none", email: nil, name: "No email"),
                account("\(source)-w", email: "w@partner.example", name: "W"),
            ]
            if source == "a" {
                for name: String in ["zed", "amy", "bea", "dan", "eve"] {
                    accounts.append(account("a-\(name)", email: "\(name)@acme.com", name: name))
                }
                accounts.append(account("a-x", email: "x@partner.example", name: "X"))
            }
            try await graph.addSource(source, kind: .proofHub, accounts: accounts)
        }
        return graph
    }

    @Test func rowsFollowTheOneOrder() async throws {
        let graph = try await Self.graph()
        let rows = try await graph.store.writer.read { db in try AccessList.rows(db, findings: []) }
        #expect(rows.map(\.accountID) == Self.expectedOrder)
        let dan = try #require(rows.first { $0.accountID == "a-dan" })
        #expect(dan.managerEmail == "ghost@acme.com" && dan.managerName == nil && dan.personName == "Dan")
    }

    @Test(arguments: [false, true]) func bothPageSizesListTheSameOrder(compact: Bool) async throws {
        let graph = try await Self.graph()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-order-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await ReviewReport.run(
            store: graph.store, configuration: graph.configuration, asOf: GraphFixture.asOf, outputDirectory: folder,
            compactThreshold: compact ? 0 : 1_000)
        let html = try String(contentsOf: result.html, encoding: .utf8)
        let listed = compact ? try Self.compactOrder(html) : Self.renderedOrder(html)
        #expect(listed == Self.expectedOrder)
    }

    /// The account ids of the access table's rows, as rendered.
    static func renderedOrder(_ html: String) -> [String] {
        guard let start = html.range(of: "<!-- idgraph:reviewers -->") else { return [] }
        return html[start.upperBound...].components(separatedBy: "<span class=\"mono\">").dropFirst().map {
            String($0.prefix { $0 != "<" })
        }
    }

    /// The account ids of a compact page's data, read by column name in `review-order`.
    static func compactOrder(_ html: String) throws -> [String] {
        func block(_ id: String) throws -> Any {
            let marker = "id=\"\(id)\">"
            let start = try #require(html.range(of: marker))
            let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
            return try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        }
        let columns = try #require(try block("review-columns") as? [String: [[String]]])
        let position = try #require(columns["accounts"]?.firstIndex { $0.first == "account_id" })
        let accounts = try #require(try block("review-accounts") as? [[Any]])
        let order = try #require(try block("review-order") as? [Int])
        return order.map { accounts[$0][position] as? String ?? "" }
    }
}
