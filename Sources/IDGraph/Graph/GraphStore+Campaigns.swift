import Foundation
import GRDB

/// The store's campaign tables (``GraphSchema/v5Campaigns``): every read and
/// write of a campaign goes through these methods.
extension GraphStore {
    /// A decision to store.
    public struct NewDecision: Sendable, Hashable {
        /// The item decided.
        public var item: Int
        /// What was decided.
        public var decision: CampaignDecision
        /// Why; `nil` when none was given.
        public var reason: String?
        /// Who decided.
        public var reviewer: String
        /// The worksheet it came from, with its SHA-256 and line; `nil` for a decision of `campaign close`.
        public var file: String?
        /// The file's SHA-256.
        public var fileSHA256: String?
        /// The line of the file.
        public var line: Int?
        /// The closed campaign a `keep` was carried forward from.
        public var carriedFrom: String?

        /// Creates a decision.
        public init(
            item: Int, decision: CampaignDecision, reason: String?, reviewer: String, file: String? = nil,
            fileSHA256: String? = nil, line: Int? = nil, carriedFrom: String? = nil
        ) {
            self.carriedFrom = carriedFrom
            self.item = item
            self.decision = decision
            self.reason = reason
            self.reviewer = reviewer
            self.file = file
            self.fileSHA256 = fileSHA256
            self.line = line
        }
    }

    /// An item's latest decision.
    public struct StoredDecision: Sendable, Hashable {
        /// What was decided.
        public var decision: CampaignDecision
        /// Why.
        public var reason: String?
        /// Who decided.
        public var reviewer: String
        /// When.
        public var decidedAt: String
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Stores a new campaign with its items in one transaction; refuses a name already used.
    func createCampaign(
        name: String, due: String?, sources: [String], allowStale: String?, reviewRunID: Int64?, items: [CampaignItem],
        carried: [NewDecision] = [], at date: Date
    ) async throws -> Int64 {
        let sourcesJSON = String(decoding: try Self.encoder.encode(sources), as: UTF8.self)
        return try await writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM campaign WHERE name = ?", arguments: [name]) != nil {
                throw CampaignError("A campaign named '\(name)' already exists. Choose another --name, or see it with 'idgraph campaign status \(name)'.")
            }
            let now = Timestamp.string(from: date)
            try db.execute(
                sql: """
                    INSERT INTO campaign (name, snapshot_id, review_run_id, sources, started_at, due, allow_stale)
                    VALUES (?, (SELECT max(id) FROM snapshot), ?, ?, ?, ?, ?)
                    """,
                arguments: [name, reviewRunID, sourcesJSON, now, due, allowStale])
            let id = db.lastInsertedRowID
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO campaign_item (campaign_id, item, source, account_id, email, name, person_email,
                        person_name, department, roster_status, manager_email, role, is_admin, status, last_seen, created,
                        memberships, account_type, findings, assigned_reviewer, reviewer, reviewer_reason, fingerprint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for item in items {
                let memberships = String(decoding: try Self.encoder.encode(item.memberships), as: UTF8.self)
                let findings = String(decoding: try Self.encoder.encode(item.findings), as: UTF8.self)
                try insert.execute(arguments: [
                    id, item.item, item.source, item.accountID, item.email, item.name, item.personEmail, item.personName,
                    item.department, item.rosterStatus, item.managerEmail, item.role, item.isAdmin, item.status,
                    item.lastSeen, item.created, memberships, item.accountType, findings, item.assignedReviewer,
                    item.reviewer, item.reviewerReason, item.fingerprint,
                ])
            }
            let decide = try db.makeStatement(
                sql: """
                    INSERT INTO decision (campaign_id, item, decision, reason, reviewer, decided_at, carried_from)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for decision in carried {
                try decide.execute(arguments: [
                    id, decision.item, decision.decision.rawValue, decision.reason, decision.reviewer, now, decision.carriedFrom,
                ])
            }
            try Self.record(db, campaign: id, event: "start", detail: "\(items.count) items from sources \(sources.joined(separator: ", "))"
                    + (carried.isEmpty ? "" : "; \(carried.count) keeps carried forward from \(carried[0].carriedFrom ?? "")") + (allowStale.map { "; started with stale sources: \($0)" } ?? ""), at: now)
            return id
        }
    }

    /// The campaign named `name`; an error naming the campaigns there are when none is.
    public func campaign(named name: String) async throws -> Campaign {
        try await writer.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: "SELECT id, name, status, started_at, due, sources, allow_stale, review_run_id, snapshot_id, closed_at FROM campaign WHERE name = ?",
                arguments: [name])
            else {
                let names = try String.fetchAll(db, sql: "SELECT name FROM campaign ORDER BY id")
                throw CampaignError(
                    "There is no campaign named '\(name)'. "
                        + (names.isEmpty ? "Start one with 'idgraph campaign start'." : "Campaigns: \(names.joined(separator: ", ")).")
                )
            }
            let sources = (try? JSONDecoder().decode([String].self, from: Data((row["sources"] as String? ?? "[]").utf8))) ?? []
            return Campaign(
                id: row["id"], name: row["name"], status: row["status"], startedAt: row["started_at"], due: row["due"],
                sources: sources, allowStale: row["allow_stale"], reviewRunID: row["review_run_id"], snapshotID: row["snapshot_id"],
                closedAt: row["closed_at"])
        }
    }

    /// The campaign's items in item order.
    public func campaignItems(_ campaign: Int64) async throws -> [CampaignItem] {
        try await writer.read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: "SELECT * FROM campaign_item WHERE campaign_id = ? ORDER BY item", arguments: [campaign]
            ).map { row in
                CampaignItem(
                    item: row["item"],
                    access: AccountAccess(
                        source: row["source"], accountID: row["account_id"], email: row["email"], name: row["name"],
                        personEmail: row["person_email"], personName: row["person_name"], department: row["department"],
                        rosterStatus: row["roster_status"], managerEmail: row["manager_email"], role: row["role"],
                        isAdmin: row["is_admin"], status: row["status"], lastSeen: row["last_seen"], created: row["created"],
                        memberships: (try? decoder.decode([String].self, from: Data((row["memberships"] as String).utf8))) ?? [],
                        accountType: row["account_type"]),
                    findings: (try? decoder.decode([CampaignItem.Note].self, from: Data((row["findings"] as String).utf8))) ?? [],
                    reviewer: row["reviewer"], assignedReviewer: row["assigned_reviewer"],
                    reviewerReason: row["reviewer_reason"], fingerprint: row["fingerprint"])
            }
        }
    }

    /// Each item's latest decision.
    public func latestDecisions(_ campaign: Int64) async throws -> [Int: StoredDecision] {
        try await writer.read { db in
            var decisions: [Int: StoredDecision] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT item, decision, reason, reviewer, decided_at FROM decision d
                    WHERE campaign_id = ? AND id = (SELECT max(id) FROM decision l WHERE l.campaign_id = d.campaign_id AND l.item = d.item)
                    """,
                arguments: [campaign])
            {
                guard let decision = CampaignDecision(rawValue: row["decision"]) else { continue }
                decisions[row["item"]] = StoredDecision(
                    decision: decision, reason: row["reason"], reviewer: row["reviewer"], decidedAt: row["decided_at"])
            }
            return decisions
        }
    }

    /// Adds `decisions` in one transaction, unless the campaign was closed meanwhile; an item's
    /// decision equal to its latest (same decision and reason) is not added again. Returns how many were added.
    func addDecisions(_ decisions: [NewDecision], campaign: Int64, event: String, at date: Date) async throws -> Int {
        try await writer.write { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM campaign WHERE id = ?", arguments: [campaign]) == "open" else {
                throw CampaignError("The campaign is closed: decisions can no longer be imported.")
            }
            let now = Timestamp.string(from: date)
            let latest = try db.makeStatement(
                sql: "SELECT decision, reason FROM decision WHERE campaign_id = ? AND item = ? ORDER BY id DESC LIMIT 1")
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO decision (campaign_id, item, decision, reason, reviewer, decided_at, file, file_sha256, line)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var added = 0
            for decision in decisions {
                if let row = try Row.fetchOne(latest, arguments: [campaign, decision.item]),
                    row["decision"] == decision.decision.rawValue, row["reason"] as String? == decision.reason
                {
                    continue
                }
                try insert.execute(arguments: [
                    campaign, decision.item, decision.decision.rawValue, decision.reason, decision.reviewer, now,
                    decision.file, decision.fileSHA256, decision.line,
                ])
                added += 1
            }
            try Self.record(db, campaign: campaign, event: "import", detail: "\(event): \(added) decisions added, \(decisions.count - added) unchanged", at: now)
            return added
        }
    }

    /// Moves the undecided items `items` to `reviewer`, recording why.
    func delegate(items: [Int], campaign: Int64, to reviewer: String, detail: String, at date: Date) async throws {
        try await writer.write { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM campaign WHERE id = ?", arguments: [campaign]) == "open" else {
                throw CampaignError("The campaign is closed: its items can no longer be delegated.")
            }
            let now = Timestamp.string(from: date)
            let update = try db.makeStatement(
                sql: "UPDATE campaign_item SET reviewer = ?, reviewer_reason = reviewer_reason || ? WHERE campaign_id = ? AND item = ?")
            for item in items {
                try update.execute(arguments: [reviewer, "; delegated to \(reviewer) at \(now): \(detail)", campaign, item])
            }
            try Self.record(db, campaign: campaign, event: "delegate", detail: "\(items.count) items to \(reviewer): \(detail)", at: now)
        }
    }

    /// Closes the campaign, storing `decisions` for its undecided items first.
    func closeCampaign(_ campaign: Int64, undecided: String, decisions: [NewDecision], at date: Date) async throws {
        try await writer.write { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM campaign WHERE id = ?", arguments: [campaign]) == "open" else {
                throw CampaignError("The campaign is already closed.")
            }
            let now = Timestamp.string(from: date)
            let insert = try db.makeStatement(
                sql: "INSERT INTO decision (campaign_id, item, decision, reason, reviewer, decided_at) VALUES (?, ?, ?, ?, ?, ?)")
            for decision in decisions {
                try insert.execute(arguments: [campaign, decision.item, decision.decision.rawValue, decision.reason, decision.reviewer, now])
            }
            try db.execute(
                sql: "UPDATE campaign SET status = 'closed', closed_at = ?, undecided = ? WHERE id = ?",
                arguments: [now, undecided, campaign])
            try Self.record(db, campaign: campaign, event: "close", detail: "undecided: \(undecided); \(decisions.count) items decided at close", at: now)
        }
    }

    private static func record(_ db: Database, campaign: Int64, event: String, detail: String, at now: String) throws {
        try db.execute(
            sql: "INSERT INTO campaign_event (campaign_id, at, event, detail) VALUES (?, ?, ?, ?)",
            arguments: [campaign, now, event, detail])
    }

    /// The source runs of `sources` that are stale (a later collection failed) or were never collected.
    func unusableSources(_ sources: [String]) async throws -> [(source: String, problem: String)] {
        try await writer.read { db in
            var problems: [(String, String)] = []
            for source in sources {
                let stale = try Bool.fetchOne(db, sql: "SELECT stale FROM current_source_runs WHERE source = ?", arguments: [source])
                switch stale {
                case nil: problems.append((source, "has never been collected"))
                case true?:
                    let error = try String.fetchOne(
                        db, sql: "SELECT error FROM source_run WHERE source = ? AND status <> 'ok' ORDER BY id DESC LIMIT 1",
                        arguments: [source])
                    problems.append((source, "is stale: its last collection failed" + (error.map { " (\($0))" } ?? "")))
                default: break
                }
            }
            return problems
        }
    }

    /// The access list of the current graph with the findings of review run `reviewRunID` (``AccessList``).
    func accessRows(reviewRunID: Int64) async throws -> [AccessRow] {
        try await writer.read { db in
            try AccessList.rows(db, findings: try GraphStore.findings(db, reviewRunID: reviewRunID))
        }
    }

    /// Every current roster person's status, by canonical email (the `people` view).
    func rosterStatuses() async throws -> [String: String] {
        try await writer.read { db in
            var statuses: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT email, status FROM people ORDER BY source") where statuses[row[0]] == nil {
                statuses[row[0]] = row[1]
            }
            return statuses
        }
    }
}
