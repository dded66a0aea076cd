import Foundation
import GRDB

/// What `idgraph diff` reads of the graph: the snapshots, and each source's
/// data as of a snapshot, a past state the views (which show the latest data)
/// do not show.
extension GraphStore {
    /// A run of `collect`, as the `snapshots` view lists it.
    public struct SnapshotSummary: Sendable, Hashable {
        /// The snapshot id.
        public var id: Int64
        /// When it started.
        public var startedAt: String
        /// `running`, `ok`, `partial` or `failed`.
        public var status: String
    }

    /// A source's data as of a snapshot: its latest good run in that snapshot or before it.
    public struct SourceAsOf: Sendable, Hashable {
        /// The source instance.
        public var source: String
        /// Its kind.
        public var kind: SourceKind
        /// The run whose rows are the data.
        public var runID: Int64
        /// The snapshot the run belongs to (the one asked for, or an earlier one).
        public var snapshotID: Int64
        /// The latest snapshot after ``snapshotID``, up to the one asked for, in which
        /// collecting the source failed; `nil` when none did.
        public var failedIn: Int64?
    }

    /// An account of one source run, with its direct memberships.
    public struct RunAccount: Sendable, Hashable {
        public var accountID: String
        public var email: String?
        public var canonicalEmail: String?
        public var role: String?
        public var isAdmin: Bool
        /// `active`, `invited` or `inactive`.
        public var status: String
        /// Its direct memberships, by container id.
        public var memberships: [RunMembership]
    }

    /// A direct membership of an account in one source run.
    public struct RunMembership: Sendable, Hashable {
        public var containerID: String
        /// The container's name, or its id when it has none (as the access list shows it).
        public var name: String
        /// The role in the container, when the source gives one.
        public var role: String?
    }

    /// A person of one roster run.
    public struct RunPerson: Sendable, Hashable {
        /// The canonical email.
        public var email: String
        /// The email as the roster gave it.
        public var givenEmail: String
        /// `active` or `terminated`.
        public var status: String
        public var managerEmail: String?
        public var terminationDate: String?
    }

    /// Every snapshot, oldest first.
    public func snapshotSummaries() async throws -> [SnapshotSummary] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, started_at, status FROM snapshots ORDER BY id").map {
                SnapshotSummary(id: $0["id"], startedAt: $0["started_at"] ?? "", status: $0["status"] ?? "")
            }
        }
    }

    /// Each source's data as of snapshot `snapshot`, by source name: the latest run of the
    /// source that completed (`ok`) in that snapshot or an earlier one. A source first
    /// collected after it is absent.
    public func sources(asOf snapshot: Int64) async throws -> [SourceAsOf] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.source, r.kind, r.snapshot_id,
                           (SELECT max(f.snapshot_id) FROM source_run f
                            WHERE f.source = r.source AND f.status <> 'ok'
                              AND f.snapshot_id > r.snapshot_id AND f.snapshot_id <= :snapshot) AS failed_in
                    FROM source_run r
                    WHERE r.status = 'ok' AND r.snapshot_id <= :snapshot
                      AND r.id = (SELECT max(m.id) FROM source_run m
                                  WHERE m.source = r.source AND m.status = 'ok' AND m.snapshot_id <= :snapshot)
                    ORDER BY r.source
                    """,
                arguments: ["snapshot": snapshot]
            ).map { row in
                SourceAsOf(
                    source: row["source"], kind: SourceKind(rawValue: row["kind"]), runID: row["id"],
                    snapshotID: row["snapshot_id"], failedIn: row["failed_in"])
            }
        }
    }

    /// The accounts of source run `run` with their direct memberships, by account id.
    public func accounts(ofRun run: Int64) async throws -> [RunAccount] {
        try await writer.read { db in
            var memberships: [String: [RunMembership]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.account_id, m.container_id, coalesce(k.name, m.container_id) AS name, m.role
                    FROM membership m
                    LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
                    WHERE m.source_run_id = ?
                    """,
                arguments: [run])
            {
                memberships[row["account_id"], default: []].append(
                    RunMembership(containerID: row["container_id"], name: row["name"], role: row["role"]))
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT account_id, email, canonical_email, role, is_admin, status FROM account
                    WHERE source_run_id = ? ORDER BY account_id
                    """,
                arguments: [run]
            ).map { row in
                let id: String = row["account_id"]
                return RunAccount(
                    accountID: id, email: row["email"], canonicalEmail: row["canonical_email"], role: row["role"],
                    isAdmin: row["is_admin"] ?? false, status: row["status"], memberships: memberships[id] ?? [])
            }
        }
    }

    /// The people of roster run `run`, by canonical email.
    public func people(ofRun run: Int64) async throws -> [RunPerson] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT email, given_email, status, manager_email, termination_date FROM person
                    WHERE source_run_id = ? ORDER BY email
                    """,
                arguments: [run]
            ).map { row in
                RunPerson(
                    email: row["email"], givenEmail: row["given_email"], status: row["status"],
                    managerEmail: row["manager_email"], terminationDate: row["termination_date"])
            }
        }
    }
}
