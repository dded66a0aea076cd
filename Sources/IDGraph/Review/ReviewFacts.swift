import GRDB

/// The configuration facts rules need, loaded into TEMP tables on the review's
/// connection before any rule runs.
///
/// - `temp.review_sources(source, kind, has_approved_admins, is_roster)`: one
///   row per configured source; `has_approved_admins` is 1 when the source has
///   an `approved_admins` key (even an empty list), 0 when the key is absent.
/// - `temp.approved_admins(source, email)`: each approved admin, email in
///   canonical form, so it joins `accounts.canonical_email` directly.
struct ReviewFacts {
    /// The configuration the facts come from.
    var configuration: Configuration

    /// Why rules that need the roster cannot run, or `nil` when they can: no
    /// roster source is configured, or none has ever been collected (judging
    /// every account orphaned because the HR file never loaded would be wrong).
    /// A stale roster still counts: its last good data is used, with a warning.
    func rosterProblem(in db: Database) throws -> String? {
        let names = configuration.sources.filter { $0.kind == .roster }.map(\.name)
        guard !names.isEmpty else {
            return "no roster source is configured (add a source of kind 'roster')"
        }
        let collected = try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM current_source_runs
                WHERE kind = 'roster' AND source IN (SELECT source FROM temp.review_sources WHERE is_roster = 1)
                """) ?? 0
        guard collected > 0 else {
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            return "the roster source \(list) has no collected data (run 'idgraph collect' and check its errors)"
        }
        return nil
    }

    /// Creates (replacing) the TEMP tables and fills them.
    func install(in db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.review_sources;
                DROP TABLE IF EXISTS temp.approved_admins;
                CREATE TEMP TABLE review_sources (
                    source TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    has_approved_admins INTEGER NOT NULL,
                    is_roster INTEGER NOT NULL
                );
                CREATE TEMP TABLE approved_admins (
                    source TEXT NOT NULL,
                    email TEXT NOT NULL,
                    PRIMARY KEY (source, email)
                );
                """)
        let canonicalizer = configuration.canonicalizer
        for source in configuration.sources {
            try db.execute(
                sql: "INSERT OR REPLACE INTO temp.review_sources VALUES (?, ?, ?, ?)",
                arguments: [source.name, source.kind.rawValue, source.approvedAdmins != nil, source.kind == .roster])
            for email in source.approvedAdmins ?? [] {
                guard let canonical = canonicalizer.canonicalEmail(email) else { continue }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO temp.approved_admins VALUES (?, ?)",
                    arguments: [source.name, canonical])
            }
        }
    }

    /// Drops the TEMP tables, so a pooled connection does not keep them.
    func remove(from db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.review_sources; DROP TABLE IF EXISTS temp.approved_admins;")
    }
}
