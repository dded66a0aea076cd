import Foundation
import GRDB

/// The reads of the graph that the review and its reports share. Each takes a `Database`, so it
/// runs on whatever connection its caller reads from: the store's reader, the writer inside the
/// review's transaction, or a copy of the graph in an evidence pack.
///
/// SQL against the base tables lives in `Graph/`: here, in `AccountScan` (the access list's one
/// pass) and in `GraphStore+RecordedReviews`; and in the built-in rules that read the tables for
/// their query plans, as `GraphSchema.v1Tables` says, guarded by `RulePlanTests`.
extension GraphStore {
    /// A source's current run: what the page, the review's warnings and a remediation check say of it.
    public struct CurrentSource: Sendable, Hashable {
        /// The source's instance name.
        public var source: String
        /// Its kind, as the run recorded it.
        public var kind: SourceKind?
        /// Whether the source exposes activity and admin rights.
        public var hasActivity: Bool
        public var hasAdmin: Bool
        /// The snapshot the run belongs to.
        public var snapshotID: Int64
        /// When it was collected.
        public var collectedAt: String
        /// Whether its last collection failed, so this run is its last good one.
        public var stale: Bool
        /// The error of the source's latest failed run after this one, if any.
        public var lastError: String?
        /// The run's accounts, roster people and accounts with a last-seen date, when counted.
        public var accounts = 0
        public var people = 0
        public var accountsWithActivity = 0
    }

    /// Every source's current run, by source name; `counting` counts its rows.
    static func currentSources(_ db: Database, counting: Bool) throws -> [CurrentSource] {
        let counts = counting
            ? """
              (SELECT count(*) FROM account a WHERE a.source_run_id = c.source_run_id) AS accounts,
              (SELECT count(*) FROM person p WHERE p.source_run_id = c.source_run_id) AS people,
              (SELECT count(*) FROM account a WHERE a.source_run_id = c.source_run_id
               AND a.last_seen IS NOT NULL) AS with_activity,
              """
            : ""
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.source, c.kind, c.has_activity, c.has_admin, c.snapshot_id, c.collected_at, c.stale, \(counts)
                       (SELECT l.error FROM source_run l WHERE l.source = c.source AND l.id > c.source_run_id
                        AND l.status <> 'ok' ORDER BY l.id DESC LIMIT 1) AS error
                FROM current_source_runs c ORDER BY c.source
                """
        ).map { row in
            var source = CurrentSource(
                source: row["source"], kind: (row["kind"] as String?).map(SourceKind.init(rawValue:)),
                hasActivity: row["has_activity"] ?? false, hasAdmin: row["has_admin"] ?? false,
                snapshotID: row["snapshot_id"], collectedAt: row["collected_at"] ?? "", stale: row["stale"] ?? false,
                lastError: row["error"])
            if counting {
                source.accounts = row["accounts"]
                source.people = row["people"]
                source.accountsWithActivity = row["with_activity"]
            }
            return source
        }
    }

    /// How many accounts the current source runs hold.
    static func currentAccountCount(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT count(*) FROM current_source_runs c JOIN account a ON a.source_run_id = c.source_run_id")
            ?? 0
    }

    /// How many roster people have at least one current account: each person looked up once in
    /// `account_by_email`.
    static func peopleWithAccess(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(DISTINCT p.email)
                FROM current_source_runs r JOIN person p ON p.source_run_id = r.source_run_id
                WHERE EXISTS (SELECT 1 FROM account a
                              WHERE a.canonical_email = p.email
                                AND a.source_run_id IN (SELECT source_run_id FROM current_source_runs))
                """) ?? 0
    }

    /// The columns of a finding, in `findings.csv`'s order.
    static let findingColumns = ["rule", "severity", "source", "account_id", "email", "name", "detail"]

    /// The findings of review run `reviewRunID`, in the order they were found.
    static func findings(_ db: Database, reviewRunID: Int64) throws -> [Finding] {
        var findings: [Finding] = []
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT \(findingColumns.joined(separator: ", ")) FROM finding WHERE review_run_id = ? ORDER BY id",
            arguments: [reviewRunID])
        while let row = try rows.next() {
            findings.append(
                Finding(
                    rule: row["rule"], severity: Severity(rawValue: row["severity"]) ?? .medium,
                    source: row["source"] ?? "", accountID: row["account_id"] ?? "", email: row["email"],
                    name: row["name"], detail: row["detail"] ?? ""))
        }
        return findings
    }

    /// A statement listing a source run's account ids in primary-key order (the order
    /// ``AccountScan`` reads them in); its one argument is the run.
    static func accountIDsStatement(_ db: Database) throws -> Statement {
        try db.makeStatement(sql: "SELECT account_id FROM account WHERE source_run_id = ? ORDER BY account_id")
    }
}
