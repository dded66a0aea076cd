import Foundation
import GRDB
import Testing

@testable import IDGraph

@Suite struct ReadOnlyQueryTests {
    /// A graph on disk with two accounts and one person.
    static func makeDatabase() async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("query-\(UUID()).sqlite").path
        let store = try GraphStore.open(path: path)
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: "app", kind: .proofHub)
        try await store.insert(
            [
                Account(accountID: "1", email: "ana@acme.com", name: "=HYPERLINK(\"x\")", isAdmin: true, status: .active),
                Account(accountID: "2", email: "bob@acme.com", name: "Bob, \"B\"\nJr", status: .inactive),
            ], run: run, canonicalizer: EmailCanonicalizer())
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        try await store.finishSnapshot(snapshot, status: .ok)
        return path
    }

    static func counts(_ path: String) throws -> [Int] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            try ["account", "snapshot", "source_run"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
        }
    }

    @Test(arguments: [
        "DELETE FROM account",
        "UPDATE account SET name = 'x'",
        "INSERT INTO snapshot (started_at, status) VALUES ('x', 'ok')",
        "DROP TABLE account",
        "DROP VIEW accounts",
        "CREATE TABLE evil (x)",
        "ATTACH DATABASE '/tmp/idgraph-evil.sqlite' AS evil",
        "DETACH DATABASE main",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA user_version = 7",
        "PRAGMA writable_schema",
        "WITH doomed AS (SELECT account_id FROM account) DELETE FROM account WHERE account_id IN doomed",
        "SELECT 1; DELETE FROM account",
        "SELECT 1; SELECT 2",
        "VACUUM INTO '/tmp/idgraph-copy.sqlite'",
        "REPLACE INTO snapshot (id, started_at, status) VALUES (1, 'x', 'ok')",
        "BEGIN IMMEDIATE",
    ])
    func writesAreRefusedAndNothingChanges(sql: String) async throws {
        let path = try await Self.makeDatabase()
        let before = try Self.counts(path)
        #expect(throws: QueryError.self) { try ReadOnlyQuery(path: path).run(sql) }
        #expect(try Self.counts(path) == before)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/idgraph-copy.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/idgraph-evil.sqlite"))
    }

    /// Comments do not hide a statement from the refusal list.
    @Test(arguments: [
        ("/* x */ ATTACH DATABASE '/tmp/idgraph-evil.sqlite' AS evil", "refuses ATTACH"),
        ("-- hello\nATTACH DATABASE '/tmp/idgraph-evil.sqlite' AS evil", "refuses ATTACH"),
        ("/* x */ PRAGMA query_only=0", "this PRAGMA"),
        ("/**/VACUUM", "refuses VACUUM"),
        ("PRAGMA table_info(account) /* = */", nil),
        ("SELECT '/* not a comment */ ATTACH' AS text", nil),
    ] as [(String, String?)])
    func commentsDoNotHideAStatement(sql: String, refusal: String?) async throws {
        let path = try await Self.makeDatabase()
        if let refusal {
            do {
                _ = try ReadOnlyQuery(path: path).run(sql)
                Issue.record("ran: \(sql)")
            } catch {
                #expect(error.description.contains(refusal), "\(error.description)")
            }
        } else {
            #expect(throws: Never.self) { try ReadOnlyQuery(path: path).run(sql) }
        }
    }

    @Test func namedParametersAreBound() async throws {
        let path = try await Self.makeDatabase()
        let result = try ReadOnlyQuery(path: path).run(
            "SELECT account_id FROM accounts WHERE email = :email", parameters: ["email": "bob@acme.com"])
        #expect(result.rows.map { $0[0] } == ["2".databaseValue])
        // A value is data, never SQL.
        let injected = try ReadOnlyQuery(path: path).run(
            "SELECT count(*) FROM accounts WHERE email = :email", parameters: ["email": "x' OR '1'='1"])
        #expect(injected.rows[0][0] == 0.databaseValue)
    }

    @Test func missingAndUnusedParametersAreUsageErrors() async throws {
        let path = try await Self.makeDatabase()
        #expect(throws: QueryError.self) { try ReadOnlyQuery(path: path).run("SELECT :a") }
        #expect(throws: QueryError.self) { try ReadOnlyQuery(path: path).run("SELECT 1", parameters: ["a": "1"]) }
        #expect(throws: QueryError.self) { try ReadOnlyQuery(path: path).run("SELECT ?") }
    }

    @Test func sqlErrorsAndMissingDatabasesExplainThemselves() async throws {
        let path = try await Self.makeDatabase()
        do {
            _ = try ReadOnlyQuery(path: path).run("SELECT nope FROM accounts")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("no such column: nope"))
            #expect(error.exitStatus == .usage)
        }
        do {
            _ = try ReadOnlyQuery(path: "/nonexistent/x.sqlite").run("SELECT 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent/x.sqlite"))
        }
    }

    @Test func readOnlyPragmasAreAllowed() async throws {
        let path = try await Self.makeDatabase()
        let result = try ReadOnlyQuery(path: path).run("PRAGMA table_info(account)")
        #expect(result.rows.count == 11)
    }

    @Test func formatsRenderEveryValue() async throws {
        let path = try await Self.makeDatabase()
        let result = try ReadOnlyQuery(path: path).run(
            "SELECT account_id, name, is_admin, last_seen FROM accounts ORDER BY account_id")
        let json = QueryFormat.json.render(result)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 2)
        #expect(decoded?[1]["name"] as? String == "Bob, \"B\"\nJr")
        #expect(decoded?[0]["is_admin"] as? Int == 1)
        #expect(decoded?[0]["last_seen"] is NSNull)

        let csv = QueryFormat.csv.render(result)
        #expect(csv.hasPrefix("account_id,name,is_admin,last_seen\r\n"))
        #expect(csv.contains("1,'=HYPERLINK(\"\"x\"\")\",1,\r\n") || csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(csv.contains("\"Bob, \"\"B\"\"\nJr\""))

        let table = QueryFormat.table.render(result)
        #expect(table.contains("account_id"))
        #expect(table.hasSuffix("(2 rows)\n"))
    }
}

@Suite struct SavedQueryTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("queries")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".sql") }.sorted()
    }

    @Test func thereAreSavedQueries() {
        #expect(Self.files.count >= 3)
    }

    @Test(arguments: files)
    func savedQueryRuns(file: String) async throws {
        let path = try await ReadOnlyQueryTests.makeDatabase()
        let sql = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let all = ["email": "ana@acme.com", "from": "1", "to": "1"]
        let statement = try await DatabaseQueue(path: path).read { db in
            ReadOnlyQuery.parameterNames(of: try db.makeStatement(sql: sql))
        }
        let result = try ReadOnlyQuery(path: path).run(sql, parameters: all.filter { statement.contains($0.key) })
        #expect(!result.columns.isEmpty)
    }
}
