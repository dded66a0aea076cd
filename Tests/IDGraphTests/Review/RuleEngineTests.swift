import Foundation
import GRDB
@testable import IDGraph
import Testing

@Suite struct RuleEngineTests {
    /// A fresh folder of user rules holding `files` (name → SQL).
    private func userRules(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("idgraph-rules-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    private func graph() async throws -> GraphFixture {
        var graph = try await GraphFixture()
        try await graph.addRoster([person("ann@acme.com")])
        try await graph.addSource(
            "proofhub", kind: .proofHub,
            accounts: [account("1", email: "ann@acme.com", admin: true), account("2", email: "zed@acme.com")])
        return graph
    }

    @Test func builtInRulesLoadFromTheResourceBundle() throws {
        let loaded = try RuleLoader().load()
        #expect(loaded.errors == [])
        #expect(loaded.rules.map(\.id).sorted()
            == ["deactivated-with-access", "inactive", "non-human-access", "orphaned", "over-privileged", "stale-invite",
                "token-of-inactive-user"])
        #expect(loaded.rules.first { $0.id == "orphaned" }?.requirements == [.roster])
    }

    @Test func userRulesFolderAddsARule() async throws {
        let folder = try userRules([
            "no-name.sql": """
                -- id: no-name
                -- severity: low
                -- description: An account without a display name.
                SELECT source, account_id, email, name, 'no display name' AS detail
                FROM accounts WHERE name IS NULL OR name = '2'
                """
        ])
        let outcome = try await graph().review(userRules: folder)
        #expect(outcome.flagged(by: "no-name") == ["2"])
        #expect(outcome.finding("no-name", "2")?.severity == .low)
        #expect(outcome.exitStatus == .success)
    }

    @Test func brokenRuleIsReportedWithPathAndSQLiteMessageWhileOthersRun() async throws {
        let folder = try userRules([
            "broken.sql": """
                -- id: broken
                -- severity: high
                -- description: Refers to a column that does not exist.
                SELECT source, account_id, email, name, no_such_column AS detail FROM accounts
                """
        ])
        let outcome = try await graph().review(userRules: folder)
        let error = try #require(outcome.ruleErrors.first)
        #expect(error.file.lastPathComponent == "broken.sql")
        #expect(error.description.contains(folder.appendingPathComponent("broken.sql").path))
        #expect(error.description.contains("no such column: no_such_column"))
        #expect(outcome.exitStatus == .failure)
        #expect(outcome.flagged(by: "orphaned") == ["2"])
        #expect(outcome.flagged(by: "over-privileged") == ["1"])
    }

    @Test func ruleWithoutHeaderIsReportedAndOthersRun() async throws {
        let folder = try userRules(["bare.sql": "SELECT 1"])
        let outcome = try await graph().review(userRules: folder)
        #expect(outcome.ruleErrors.count == 1)
        #expect(outcome.ruleErrors.first?.description.contains("bare.sql") == true)
        #expect(outcome.ruleErrors.first?.description.contains("no 'id'") == true)
        #expect(outcome.flagged(by: "orphaned") == ["2"])
    }

    @Test func ruleThatWritesIsRejected() async throws {
        let folder = try userRules([
            "wipe.sql": """
                -- id: wipe
                -- severity: low
                -- description: Tries to delete accounts.
                DELETE FROM account
                """
        ])
        let graph = try await graph()
        let outcome = try await graph.review(userRules: folder)
        #expect(outcome.ruleErrors.first?.description.contains("read-only") == true)
        let count = try await graph.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") }
        #expect(count == 2)
    }

    @Test func ruleMissingAColumnIsReported() async throws {
        let folder = try userRules([
            "short.sql": """
                -- id: short
                -- severity: low
                -- description: Forgets the detail.
                SELECT source, account_id, email, name FROM accounts
                """
        ])
        let outcome = try await graph().review(userRules: folder)
        #expect(outcome.ruleErrors.first?.description.contains("no 'detail' column") == true)
    }

    @Test func ruleIdUsedTwiceIsReported() async throws {
        let folder = try userRules([
            "mine.sql": """
                -- id: orphaned
                -- severity: low
                -- description: Clashes with the built-in rule.
                SELECT source, account_id, email, name, 'x' AS detail FROM accounts
                """
        ])
        let outcome = try await graph().review(userRules: folder)
        #expect(outcome.ruleErrors.first?.description.contains("already used") == true)
        #expect(outcome.findings(of: "orphaned").allSatisfy { $0.severity == .high })
    }

    @Test func missingRulesFolderIsAConfigurationError() async throws {
        let graph = try await graph()
        await #expect(throws: ConfigurationError.self) {
            _ = try await graph.review(userRules: URL(fileURLWithPath: "/nonexistent/idgraph-rules"))
        }
    }

    @Test func findingsAreStoredWithTheRunAsOfAndThresholds() async throws {
        let graph = try await graph()
        let outcome = try await graph.review()
        let stored = try graph.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT rule, account_id, as_of FROM findings ORDER BY rule, account_id")
        }
        #expect(stored.count == outcome.findings.count)
        #expect(stored.allSatisfy { $0["as_of"] == "2025-06-30T00:00:00Z" })
        let run = try graph.store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT inactive_days, stale_invite_days, status FROM review_runs")
        }
        #expect(run?["inactive_days"] == 90)
        #expect(run?["status"] == "ok")
    }

    @Test func reviewRunsOnAFileDatabaseAsTheCommandOpensIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-pool-\(UUID().uuidString)")
        let store = try GraphStore.open(path: folder.appendingPathComponent("graph.sqlite").path)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "proofhub", kind: .proofHub)
        try await store.insert([account("1", email: "x@acme.com", admin: true)], run: run, canonicalizer: EmailCanonicalizer())
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        let configuration = Configuration(
            file: folder.appendingPathComponent("idgraph.yaml"), sources: [SourceConfiguration(name: "proofhub", kind: .proofHub)])
        let first = try await ReviewReport.run(
            store: store, configuration: configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        let second = try await ReviewReport.run(
            store: store, configuration: configuration, asOf: GraphFixture.asOf, outputDirectory: folder)
        #expect(first.outcome.flagged(by: "over-privileged") == ["1"])
        #expect(second.outcome.reviewRunID == first.outcome.reviewRunID + 1)
        let stored = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM findings") }
        #expect(stored == second.outcome.findings.count)
        // TEMP tables live on the writer's connection, where the rules ran.
        let leftover = try await store.writer.write { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_temp_master WHERE name IN ('review_sources', 'approved_admins')")
        }
        #expect(leftover == 0)
    }

    @Test func asOfDayIsTheStartOfThatDayInUTC() throws {
        #expect(Timestamp.startOfDay("2025-06-30") == GraphFixture.asOf)
        #expect(Timestamp.startOfDay("2025-6-30") == nil)
        #expect(Timestamp.startOfDay("2025-02-30") == nil)
    }
}
