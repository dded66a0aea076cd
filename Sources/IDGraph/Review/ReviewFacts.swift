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

    /// Whether a roster source is configured.
    var hasRoster: Bool { configuration.sources.contains { $0.kind == .roster } }

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
