import Foundation
import GRDB

/// The store's remediation tables (``GraphSchema/v6Remediation``) and what a
/// remediation reads of the current graph.
extension GraphStore {
    /// A planned remediation.
    public struct PlannedItem: Sendable, Hashable {
        /// The campaign item.
        public var item: Int
        /// Why it is planned: `decision` (revoke or modify) or `finding:RULE`.
        public var origin: String
        /// `revoke` or `modify`.
        public var action: CampaignDecision
        /// The day it is due, `YYYY-MM-DD`.
        public var due: String
    }

    /// An account as the current graph holds it.
    public struct CurrentAccount: Sendable, Hashable {
        /// `active`, `invited` or `inactive`.
        public var status: String
        /// The role.
        public var role: String?
        /// Whether it is an admin.
        public var isAdmin: Bool
        /// Its direct memberships: container id, type, name (the id when unnamed), by name.
        public var memberships: [Membership]

        /// A membership.
        public struct Membership: Sendable, Hashable {
            public var id: String
            public var type: String
            public var name: String
        }
    }

    /// Plans `items` of campaign `campaign`; an item already planned keeps its plan.
    func plan(_ items: [PlannedItem], campaign: Int64, at date: Date) async throws {
        try await writer.write { db in
            let now = Timestamp.string(from: date)
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO remediation_item (campaign_id, item, origin, action, due, planned_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            for item in items {
                try insert.execute(arguments: [campaign, item.item, item.origin, item.action.rawValue, item.due, now])
            }
        }
    }

    /// The planned items of campaign `campaign`, by item.
    func plannedItems(_ campaign: Int64) async throws -> [PlannedItem] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT item, origin, action, due FROM remediation_item WHERE campaign_id = ? ORDER BY item",
                arguments: [campaign]
            ).map { row in
                PlannedItem(
                    item: row["item"], origin: row["origin"], action: CampaignDecision(rawValue: row["action"]) ?? .revoke,
                    due: row["due"])
            }
        }
    }

    /// Each source's current data, by name.
    func currentSources() async throws -> [String: CurrentSource] {
        try await writer.read { db in
            Dictionary(try Self.currentSources(db, counting: false).map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The current accounts of `keys` with their memberships, by source and account id; an account the
    /// source's current data does not list is absent.
    func currentAccounts(_ keys: [(source: String, accountID: String)]) async throws -> [String: [String: CurrentAccount]] {
        try await writer.read { db in
            let account = try db.makeStatement(
                sql: """
                    SELECT a.status, a.role, a.is_admin FROM account a
                    JOIN current_source_runs c ON c.source_run_id = a.source_run_id
                    WHERE c.source = ? AND a.account_id = ?
                    """)
            let memberships = try db.makeStatement(
                sql: """
                    SELECT m.container_id, coalesce(k.type, 'group') AS type, coalesce(k.name, m.container_id) AS name
                    FROM membership m
                    JOIN current_source_runs c ON c.source_run_id = m.source_run_id
                    LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
                    WHERE c.source = ? AND m.account_id = ?
                    ORDER BY name
                    """)
            var found: [String: [String: CurrentAccount]] = [:]
            for key in keys {
                guard let row = try Row.fetchOne(account, arguments: [key.source, key.accountID]) else { continue }
                let members = try Row.fetchAll(memberships, arguments: [key.source, key.accountID]).map {
                    CurrentAccount.Membership(id: $0["container_id"], type: $0["type"], name: $0["name"])
                }
                found[key.source, default: [:]][key.accountID] = CurrentAccount(
                    status: row["status"], role: row["role"], isAdmin: row["is_admin"] ?? false, memberships: members)
            }
            return found
        }
    }

    /// A check of a planned item against the current graph.
    public struct RemediationCheck: Sendable, Hashable {
        /// The item.
        public var item: Int
        /// `fixed`, `partly-fixed`, `still-present` or `unverifiable`.
        public var state: String
        /// What the check saw.
        public var detail: String
        /// The snapshot that showed it; `nil` when the source has no data.
        public var snapshotID: Int64?
    }

    /// Records one verification of campaign `campaign`.
    func recordChecks(_ checks: [RemediationCheck], campaign: Int64, at date: Date) async throws {
        try await writer.write { db in
            let now = Timestamp.string(from: date)
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO remediation_check (campaign_id, item, checked_at, snapshot_id, state, detail)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for check in checks {
                try insert.execute(arguments: [campaign, check.item, now, check.snapshotID, check.state, check.detail])
            }
        }
    }
}
