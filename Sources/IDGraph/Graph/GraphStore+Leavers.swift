import Foundation
import GRDB

/// What a leaver report reads of the stored history: roster people as the
/// latest roster that lists them shows them, every good source run, and every
/// stored version of a person's accounts.
extension GraphStore {
    /// A person whom the latest roster listing them shows as terminated.
    public struct TerminatedPerson: Sendable, Hashable {
        /// The canonical email.
        public var email: String
        /// The name, when the roster gives one.
        public var name: String?
        /// The termination day, `YYYY-MM-DD`.
        public var terminationDate: String
    }

    /// A good (`ok`) run of an API source.
    public struct CollectedRun: Sendable, Hashable {
        /// The source run.
        public var id: Int64
        /// The snapshot (run of `collect`) it belongs to.
        public var snapshotID: Int64
        /// The source's name.
        public var source: String
        /// When its data was complete: the `collected_at` of the views.
        public var collectedAt: String
    }

    /// One stored version of an account: how one source run listed it.
    public struct AccountSighting: Sendable, Hashable {
        /// The source run that listed it.
        public var runID: Int64
        /// The source's id for the account.
        public var accountID: String
        /// `active`, `invited` or `inactive`.
        public var status: String
        /// How many groups or projects it was a direct member of in that run.
        public var memberships: Int
    }

    /// People terminated from `from` to `to` (days, `YYYY-MM-DD`, inclusive), each as the latest
    /// good roster run that lists them shows them: a person a later roster lists as active again, or
    /// dropped from later rosters, is judged by that latest listing. By termination day, then email.
    func terminatedPeople(from: String, to: String) async throws -> [TerminatedPerson] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.email, p.name, p.termination_date
                    FROM person p
                    JOIN source_run r ON r.id = p.source_run_id AND r.status = 'ok'
                    WHERE p.status = 'terminated' AND p.termination_date BETWEEN ? AND ?
                      AND r.id = (SELECT max(l.source_run_id) FROM person l
                                  JOIN source_run lr ON lr.id = l.source_run_id AND lr.status = 'ok'
                                  WHERE l.email = p.email)
                    ORDER BY p.termination_date, p.email
                    """,
                arguments: [from, to]
            ).map { row in
                TerminatedPerson(email: row["email"], name: row["name"], terminationDate: row["termination_date"])
            }
        }
    }

    /// Every good run of every source other than a roster, by source, then in the order collected.
    func collectedRuns() async throws -> [CollectedRun] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, snapshot_id, source, coalesce(finished_at, started_at) AS collected_at
                    FROM source_run
                    WHERE status = 'ok' AND kind <> ?
                    ORDER BY source, collected_at, id
                    """,
                arguments: [SourceKind.roster.rawValue]
            ).map { row in
                CollectedRun(id: row["id"], snapshotID: row["snapshot_id"], source: row["source"], collectedAt: row["collected_at"])
            }
        }
    }

    /// Every stored version, in good runs, of the accounts whose canonical email is one of `emails`,
    /// by email.
    func accountSightings(canonicalEmails emails: [String]) async throws -> [String: [AccountSighting]] {
        try await writer.read { db in
            let statement = try db.makeStatement(
                sql: """
                    SELECT a.source_run_id, a.account_id, a.status,
                           (SELECT count(*) FROM membership m
                            WHERE m.source_run_id = a.source_run_id AND m.account_id = a.account_id) AS memberships
                    FROM account a
                    JOIN source_run r ON r.id = a.source_run_id AND r.status = 'ok'
                    WHERE a.canonical_email = ?
                    """)
            var sightings: [String: [AccountSighting]] = [:]
            for email in Set(emails) {
                sightings[email] = try Row.fetchAll(statement, arguments: [email]).map { row in
                    AccountSighting(
                        runID: row["source_run_id"], accountID: row["account_id"], status: row["status"],
                        memberships: row["memberships"])
                }
            }
            return sightings
        }
    }
}
