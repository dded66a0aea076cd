import Foundation
import GRDB

/// Everything a rule reads besides the graph: the thresholds bound as
/// parameters and the configuration facts loaded into TEMP tables on the
/// review's connection before any rule runs. A review records them as JSON in
/// `review_runs.parameters`, so `idgraph evidence verify` re-runs the rules
/// with exactly these values.
///
/// - `:as_of` (ISO 8601 UTC text), `:inactive_days`, `:stale_invite_days`.
/// - `temp.review_sources(source, kind, has_approved_admins, is_roster)`: one
///   row per configured source; `has_approved_admins` is 1 when the source has
///   an `approved_admins` key (even an empty list), 0 when the key is absent.
/// - `temp.approved_admins(source, email)`: each approved admin, email in
///   canonical form, so it joins `accounts.canonical_email` directly.
public struct ReviewFacts: Sendable, Hashable, Codable {
    /// One configured source, as `temp.review_sources` holds it.
    public struct Source: Sendable, Hashable, Codable {
        public var source: String
        public var kind: String
        public var hasApprovedAdmins: Bool
        public var isRoster: Bool

        enum CodingKeys: String, CodingKey {
            case source, kind
            case hasApprovedAdmins = "has_approved_admins"
            case isRoster = "is_roster"
        }
    }

    /// One approved admin, as `temp.approved_admins` holds it.
    public struct ApprovedAdmin: Sendable, Hashable, Codable {
        public var source: String
        public var email: String
    }

    /// `:as_of`, as bound.
    public var asOf: String
    /// `:inactive_days`.
    public var inactiveDays: Int
    /// `:stale_invite_days`.
    public var staleInviteDays: Int
    /// `temp.review_sources`, in configuration order.
    public var sources: [Source]
    /// `temp.approved_admins`, each once.
    public var approvedAdmins: [ApprovedAdmin]

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case inactiveDays = "inactive_days"
        case staleInviteDays = "stale_invite_days"
        case sources = "review_sources"
        case approvedAdmins = "approved_admins"
    }

    /// The facts of `configuration` for a review as of `asOf`.
    public init(configuration: Configuration, asOf: Date = Date()) {
        self.asOf = Timestamp.string(from: asOf)
        inactiveDays = configuration.inactiveDays
        staleInviteDays = configuration.staleInviteDays
        var sources: [String: Source] = [:]
        var order: [String] = []
        var admins: [ApprovedAdmin] = []
        var seen: Set<ApprovedAdmin> = []
        let canonicalizer = configuration.canonicalizer
        for source in configuration.sources {
            if sources[source.name] == nil { order.append(source.name) }
            sources[source.name] = Source(
                source: source.name, kind: source.kind.rawValue, hasApprovedAdmins: source.approvedAdmins != nil,
                isRoster: source.kind == .roster)
            for email in source.approvedAdmins ?? [] {
                guard let canonical = canonicalizer.canonicalEmail(email) else { continue }
                let admin = ApprovedAdmin(source: source.name, email: canonical)
                if seen.insert(admin).inserted { admins.append(admin) }
            }
        }
        self.sources = order.compactMap { sources[$0] }
        approvedAdmins = admins
    }

    /// The parameters bound to every rule.
    var arguments: StatementArguments {
        ["as_of": asOf, "inactive_days": inactiveDays, "stale_invite_days": staleInviteDays]
    }

    /// The facts as the JSON stored in `review_runs.parameters` (keys sorted, so equal facts are equal text).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads facts stored as ``json``; `nil` when the text is not such JSON.
    public static func parse(json text: String) -> ReviewFacts? {
        try? JSONDecoder().decode(ReviewFacts.self, from: Data(text.utf8))
    }

    /// Why rules that need the roster cannot run, or `nil` when they can: no
    /// roster source is configured, or none has ever been collected (judging
    /// every account orphaned because the HR file never loaded would be wrong).
    /// A stale roster still counts: its last good data is used, with a warning.
    func rosterProblem(in db: Database) throws -> String? {
        let names = sources.filter(\.isRoster).map(\.source)
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
        for source in sources {
            try db.execute(
                sql: "INSERT OR REPLACE INTO temp.review_sources VALUES (?, ?, ?, ?)",
                arguments: [source.source, source.kind, source.hasApprovedAdmins, source.isRoster])
        }
        for admin in approvedAdmins {
            try db.execute(
                sql: "INSERT OR IGNORE INTO temp.approved_admins VALUES (?, ?)", arguments: [admin.source, admin.email])
        }
    }

    /// Drops the TEMP tables, so a pooled connection does not keep them.
    func remove(from db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS temp.review_sources; DROP TABLE IF EXISTS temp.approved_admins;")
    }
}
