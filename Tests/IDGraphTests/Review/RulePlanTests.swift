import Foundation
import GRDB
@testable import IDGraph
import Testing

/// The built-in rules search the graph by index: none scans the accounts,
/// memberships, containers or people of every stored snapshot.
@Suite struct RulePlanTests {
    /// Aliases and names of the tables of collected rows, as rules use them.
    static let collectedTables: Set<String> = [
        "a", "m", "k", "p", "q", "account", "membership", "container", "person", "credential",
    ]

    @Test func builtInRulesUseIndexes() throws {
        let store = try GraphStore.inMemory()
        let rules = try RuleLoader().load().rules
        #expect(rules.count == 7)
        let configuration = Configuration(
            file: URL(fileURLWithPath: "/tmp/idgraph.yaml"),
            sources: [SourceConfiguration(name: "hr", kind: .roster), SourceConfiguration(name: "streak", kind: .streak)])
        try store.writer.write { db in
            try ReviewFacts(configuration: configuration).install(in: db)
            for rule in rules {
                let plan = try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN " + rule.sql,
                    arguments: ["as_of": "2025-06-30T00:00:00Z", "inactive_days": 60, "stale_invite_days": 30]
                ).map { $0["detail"] as String }
                let scans = plan.filter { line in
                    let words = line.split(separator: " ")
                    return words.count > 1 && words[0] == "SCAN" && Self.collectedTables.contains(String(words[1]))
                }
                #expect(scans.isEmpty, "rule \(rule.id) scans: \(scans)")
                switch rule.id {
                case "non-human-access":
                    // Only the accounts that are not a person's are read.
                    #expect(plan.contains { $0.contains("USING INDEX account_non_human") }, "\(plan)")
                case "orphaned":
                    // The active roster emails are gathered once, not looked up account by account.
                    #expect(plan.contains { $0.hasPrefix("LIST SUBQUERY") }, "\(plan)")
                default:
                    break
                }
            }
        }
    }
}
