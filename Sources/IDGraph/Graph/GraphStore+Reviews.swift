import Foundation
import GRDB
import GRDBSQLite

/// Review runs: what the rules found, what they ran, and how the review ended.
extension GraphStore {
    /// Runs `rules` (the review's reads) in one write transaction and records their outcome as a
    /// review run with `facts`, so the run records exactly the graph the rules read; returns the
    /// outcome with its ``ReviewOutcome/reviewRunID``.
    ///
    /// `found` is called with that outcome once the run is numbered and before its findings are
    /// written, so that reports can be written from the findings while they are stored; nothing
    /// of the run is visible to other connections until the transaction commits.
    ///
    /// With `finished` false the run is stored `running`, so that the `findings` view does not
    /// show it until ``finishReview(_:ok:note:at:)`` records it `ok`.
    func review(
        facts: ReviewFacts, startedAt: Date, finished: Bool, found: @Sendable (ReviewOutcome) -> Void = { _ in },
        _ rules: @Sendable (Database) throws -> ReviewOutcome
    ) async throws -> ReviewOutcome {
        try await writer.write { db in
            var outcome = try rules(db)
            outcome.reviewRunID = try Self.recordReview(outcome, facts: facts, db: db, startedAt: startedAt, finished: finished)
            found(outcome)
            try Self.insertFindings(outcome.findings, run: outcome.reviewRunID, db: db)
            return outcome
        }
    }

    /// Records how a review stored `running` ended: `ok`, or `failed` with `note` saying why.
    func finishReview(_ reviewRunID: Int64, ok: Bool, note: String? = nil, at date: Date = Date()) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE review_run SET status = ?, finished_at = ?,
                        warnings = CASE WHEN ? IS NULL THEN warnings
                                        ELSE coalesce(warnings || char(10), '') || ? END
                    WHERE id = ?
                    """,
                arguments: [ok ? "ok" : "failed", Timestamp.string(from: date), note, note, reviewRunID])
        }
    }

    /// Writes the review run, the rules it ran and the source runs it read; its findings follow.
    private static func recordReview(
        _ outcome: ReviewOutcome, facts: ReviewFacts, db: Database, startedAt: Date, finished: Bool
    ) throws -> Int64 {
        let notes = outcome.warnings + outcome.ruleErrors.map(\.description)
        try db.execute(
            sql: """
                INSERT INTO review_run
                    (snapshot_id, as_of, inactive_days, stale_invite_days, started_at, finished_at, status, warnings,
                     parameters)
                VALUES ((SELECT max(id) FROM snapshot), ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                facts.asOf, facts.inactiveDays, facts.staleInviteDays,
                Timestamp.string(from: startedAt), finished ? Timestamp.string(from: Date()) : nil,
                finished ? "ok" : "running", notes.isEmpty ? nil : notes.joined(separator: "\n"), facts.json,
            ])
        let run = db.lastInsertedRowID
        // What it ran, for `idgraph evidence`: each loaded rule's SQL as read, and the source runs it read.
        let statuses = Dictionary(outcome.ruleRuns.map { ($0.rule, $0.status) }, uniquingKeysWith: { first, _ in first })
        for rule in outcome.rules {
            try db.execute(
                sql: "INSERT OR REPLACE INTO review_rule (review_run_id, rule, file, sql, status) VALUES (?, ?, ?, ?, ?)",
                arguments: [run, rule.id, rule.file.lastPathComponent, rule.sql, (statuses[rule.id] ?? .failed).rawValue])
        }
        try db.execute(
            sql: """
                INSERT INTO review_input (review_run_id, source, source_run_id, stale)
                SELECT ?, source, source_run_id, stale FROM current_source_runs
                """,
            arguments: [run])
        return run
    }

    /// Inserts findings through SQLite's own calls: a review can store hundreds of thousands of
    /// findings, and building argument arrays was most of it.
    private static func insertFindings(_ findings: [Finding], run: Int64, db: Database) throws {
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO finding (review_run_id, rule, severity, source, account_id, email, name, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let sqlite = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func bind(_ text: String?, _ index: Int32) {
            guard var text else {
                sqlite3_bind_null(sqlite, index)
                return
            }
            text.withUTF8 { bytes in
                _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress, chars.count > 0 {
                        sqlite3_bind_text(sqlite, index, base, Int32(chars.count), transient)
                    } else {
                        sqlite3_bind_text(sqlite, index, "", 0, transient)  // empty text, not NULL
                    }
                }
            }
        }
        for f in findings {
            sqlite3_reset(sqlite)
            sqlite3_bind_int64(sqlite, 1, run)
            bind(f.rule, 2)
            bind(f.severity.rawValue, 3)
            bind(f.source, 4)
            bind(f.accountID, 5)
            bind(f.email, 6)
            bind(f.name, 7)
            bind(f.detail, 8)
            let code = sqlite3_step(sqlite)
            guard code == SQLITE_DONE else {
                sqlite3_reset(sqlite)
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: statement.sql)
            }
        }
        sqlite3_reset(sqlite)
        sqlite3_clear_bindings(sqlite)
    }

    /// Writes a consistent copy of the whole graph to `path` (`VACUUM INTO`), whatever a writer does meanwhile.
    func copy(to path: String) async throws {
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
    }
}
