import Foundation
import GRDB

/// What the store recorded of a review, read back for `idgraph evidence` and `evidence verify`:
/// the review run, its rules as they ran, the source runs it read. Each read takes a `Database`, so
/// it runs on the live graph or on a pack's copy.
extension GraphStore {
    /// A `review_run` row.
    struct ReviewRunRecord: Sendable {
        var id: Int64
        var snapshotID: Int64?
        var asOf: String
        var startedAt: String
        var finishedAt: String?
        var status: String
        /// The warnings, one per line.
        var warnings: String?
        /// The ``ReviewFacts`` as JSON; `nil` for a review of an idgraph that did not record them.
        var parameters: String?
    }

    /// One rule of a review as it ran (`review_rule`).
    struct ReviewRuleRecord: Sendable, Hashable {
        var rule: String
        var file: String
        var sql: String
        var status: String
    }

    /// A source run a review read (`review_input`), or a source's current run.
    struct RunRead: Sendable, Hashable {
        var source: String
        var run: Int64
        var stale: Bool
    }

    /// Review run `id`, if the graph holds it.
    static func reviewRun(_ db: Database, id: Int64) throws -> ReviewRunRecord? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT id, snapshot_id, as_of, started_at, finished_at, status, warnings, parameters
                FROM review_run WHERE id = ?
                """,
            arguments: [id]
        ).map { row in
            ReviewRunRecord(
                id: row["id"], snapshotID: row["snapshot_id"], asOf: row["as_of"], startedAt: row["started_at"],
                finishedAt: row["finished_at"], status: row["status"], warnings: row["warnings"],
                parameters: row["parameters"])
        }
    }

    /// The latest review run recorded `ok`.
    static func latestFinishedReview(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM review_run WHERE status = 'ok'")
    }

    /// The rules of review run `id`, in the order they ran.
    static func reviewRules(_ db: Database, id: Int64) throws -> [ReviewRuleRecord] {
        try Row.fetchAll(
            db, sql: "SELECT rule, file, sql, status FROM review_rule WHERE review_run_id = ? ORDER BY rowid",
            arguments: [id]
        ).map { ReviewRuleRecord(rule: $0["rule"], file: $0["file"], sql: $0["sql"], status: $0["status"]) }
    }

    /// The source runs review run `id` read, by source name.
    static func reviewInputs(_ db: Database, id: Int64) throws -> [RunRead] {
        try runs(
            db, sql: "SELECT source, source_run_id, stale FROM review_input WHERE review_run_id = ? ORDER BY source",
            arguments: [id])
    }

    /// Every source's current run, by source name.
    static func currentRuns(_ db: Database) throws -> [RunRead] {
        try runs(db, sql: "SELECT source, source_run_id, stale FROM current_source_runs ORDER BY source")
    }

    private static func runs(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [RunRead] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map {
            RunRead(source: $0["source"], run: $0["source_run_id"], stale: $0["stale"] ?? false)
        }
    }

    /// How many findings each rule of review run `id` stored.
    static func findingCounts(_ db: Database, reviewRunID id: Int64) throws -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT rule, count(*) AS n FROM finding WHERE review_run_id = ? GROUP BY rule", arguments: [id]
            ).map { ($0["rule"] as String, $0["n"] as Int) })
    }

    /// A campaign's review run: `nil` when there is no such campaign, `.some(nil)` when it records none.
    static func campaignReviewRun(_ db: Database, name: String) throws -> Int64?? {
        try Row.fetchOne(db, sql: "SELECT review_run_id FROM campaign WHERE name = ?", arguments: [name])
            .map { $0["review_run_id"] as Int64? }
    }

    /// The campaigns' names, oldest first.
    static func campaignNames(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM campaign ORDER BY id")
    }

    /// A source run's population as the evidence pack reports it, with whether review run `reviewRunID`
    /// read it stale and the error of the source's latest failed run after it.
    static func population(_ db: Database, sourceRun run: Int64, reviewRunID: Int64) throws -> Row? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT r.id, r.snapshot_id, r.finished_at, r.reported_total, r.listed, r.pages, r.list_end,
                       r.duplicates, r.acting_as,
                       (SELECT count(*) FROM account a WHERE a.source_run_id = r.id) AS accounts,
                       (SELECT count(*) FROM person p WHERE p.source_run_id = r.id) AS people,
                       (SELECT i.stale FROM review_input i WHERE i.review_run_id = ? AND i.source_run_id = r.id) AS stale,
                       (SELECT l.error FROM source_run l WHERE l.source = r.source AND l.id > r.id
                        AND l.status <> 'ok' ORDER BY l.id DESC LIMIT 1) AS error
                FROM source_run r WHERE r.id = ?
                """,
            arguments: [reviewRunID, run])
    }

    /// The condition on a `snapshot_id` column that selects the collects from the oldest source run
    /// review run `?2` read up to its snapshot `?1`: the collects an evidence pack lists.
    static let collectsOfReview =
        "snapshot_id <= ?1 AND snapshot_id >= coalesce((SELECT min(r.snapshot_id) FROM review_input i JOIN source_run r ON r.id = i.source_run_id WHERE i.review_run_id = ?2), 0)"

    /// In a scratch copy of a graph, sets aside the collects after review run `reviewRunID`, so that
    /// every view shows the graph as the review read it; `false` when the copy holds no such review.
    /// Their rows stay behind, unread: every view goes through `current_source_runs`.
    static func setAsideCollects(after reviewRunID: Int64, inScratchCopy db: Database) throws -> Bool {
        guard let snapshot = try Row.fetchOne(
            db, sql: "SELECT snapshot_id FROM review_run WHERE id = ?", arguments: [reviewRunID])
        else { return false }
        let last: Int64 = snapshot["snapshot_id"] ?? 0
        try db.execute(sql: "DELETE FROM source_run WHERE snapshot_id > ?", arguments: [last])
        return true
    }
}
