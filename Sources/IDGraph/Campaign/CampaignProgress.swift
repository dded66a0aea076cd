import Foundation

/// Where a campaign stands, per reviewer; and the commands that move it on:
/// delegation and closing.
public enum CampaignProgress {
    /// One reviewer's items.
    public struct Line: Sendable, Hashable {
        /// The reviewer (empty for items nobody holds).
        public var reviewer: String
        /// Items assigned.
        public var assigned: Int
        /// Items with a decision.
        public var decided: Int
        /// Items without one.
        public var left: Int
        /// Whether the campaign is past due with items left.
        public var overdue: Bool
    }

    /// A campaign's progress.
    public struct Report: Sendable {
        /// The campaign.
        public var campaign: Campaign
        /// Per reviewer, by email.
        public var lines: [Line]
        /// Revoke and modify decisions, by item.
        public var removals: [(item: CampaignItem, decision: GraphStore.StoredDecision)]
        /// Whether the due day has passed with items left.
        public var overdue: Bool { lines.contains(where: \.overdue) }
        /// All items.
        public var assigned: Int { lines.reduce(0) { $0 + $1.assigned } }
        /// Decided items.
        public var decided: Int { lines.reduce(0) { $0 + $1.decided } }
    }

    /// The progress of campaign `name` as of `now`: past due once the due day (UTC) has ended.
    public static func report(store: GraphStore, campaign name: String, now: Date = Date()) async throws -> Report {
        let campaign = try await store.campaign(named: name)
        let items = try await store.campaignItems(campaign.id)
        let decisions = try await store.latestDecisions(campaign.id)
        let pastDue = campaign.due.map { Timestamp.day(from: now) > $0 } ?? false
        var byReviewer: [String: Line] = [:]
        for item in items {
            let reviewer = item.reviewer ?? ""
            var line = byReviewer[reviewer] ?? Line(reviewer: reviewer, assigned: 0, decided: 0, left: 0, overdue: false)
            line.assigned += 1
            if decisions[item.item] != nil { line.decided += 1 } else { line.left += 1 }
            line.overdue = pastDue && line.left > 0
            byReviewer[reviewer] = line
        }
        let removals = items.compactMap { item -> (CampaignItem, GraphStore.StoredDecision)? in
            guard let decision = decisions[item.item], decision.decision == .revoke || decision.decision == .modify else { return nil }
            return (item, decision)
        }
        return Report(
            campaign: campaign, lines: byReviewer.values.sorted { $0.reviewer < $1.reviewer },
            removals: removals)
    }

    /// Moves the undecided items of `from` to `to`; returns how many moved and
    /// the items `to` cannot review (left with `from`), each with why.
    public static func delegate(
        store: GraphStore, configuration: Configuration, campaign name: String, from: String, to: String, reason: String,
        now: Date = Date()
    ) async throws -> (moved: Int, kept: [(item: Int, why: String)]) {
        let campaign = try await store.campaign(named: name)
        guard campaign.isOpen else { throw CampaignError("Campaign '\(campaign.name)' is closed: its items can no longer be delegated.") }
        let canonical = configuration.canonicalizer
        let from = canonical.canonicalEmail(from) ?? from.lowercased()
        let to = canonical.canonicalEmail(to) ?? to.lowercased()
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CampaignError("Give the reason for the delegation with --reason; it is recorded.")
        }
        let items = try await store.campaignItems(campaign.id)
        let decisions = try await store.latestDecisions(campaign.id)
        let open = items.filter { $0.reviewer == from && decisions[$0.item] == nil }
        guard !open.isEmpty else {
            let holders = Set(items.compactMap(\.reviewer)).sorted()
            throw CampaignError("\(from) holds no undecided item of campaign '\(campaign.name)'. Reviewers: \(holders.prefix(10).joined(separator: ", "))\(holders.count > 10 ? ", …" : "").")
        }
        let roster = try await store.rosterStatuses()
        guard let status = roster[to] else {
            throw CampaignError("\(to) is not in the roster: a delegate must be an active roster person.")
        }
        guard status == "active" else { throw CampaignError("\(to) is \(status) in the roster: a delegate must be active.") }
        var moved: [Int] = []
        var kept: [(Int, String)] = []
        for item in open {
            if item.personEmail == to || (item.email.flatMap(canonical.canonicalEmail) == to) {
                kept.append((item.item, "it is \(to)'s own account"))
            } else if item.isAdmin, items.contains(where: { $0.source == item.source && $0.isAdmin && ($0.personEmail ?? $0.email.flatMap(canonical.canonicalEmail)) == to }) {
                kept.append((item.item, "\(to) is an admin of \(item.source) and the account is an admin"))
            } else {
                moved.append(item.item)
            }
        }
        if !moved.isEmpty {
            try await store.delegate(items: moved, campaign: campaign.id, to: to, detail: "from \(from): \(reason)", at: now)
        }
        return (moved.count, kept)
    }

    /// Closes the campaign: its undecided items become `keep` or `revoke` decisions of the
    /// close (`leave` leaves them undecided); imports after it are refused.
    public static func close(store: GraphStore, campaign name: String, undecided: String, now: Date = Date()) async throws
        -> Int
    {
        let campaign = try await store.campaign(named: name)
        guard campaign.isOpen else { throw CampaignError("Campaign '\(campaign.name)' was already closed on \(campaign.closedAt ?? "?").") }
        let items = try await store.campaignItems(campaign.id)
        let decided = try await store.latestDecisions(campaign.id)
        let open = items.filter { decided[$0.item] == nil }
        var decisions: [GraphStore.NewDecision] = []
        if let decision = CampaignDecision(rawValue: undecided), decision == .keep || decision == .revoke {
            decisions = open.map {
                GraphStore.NewDecision(
                    item: $0.item, decision: decision, reason: "undecided when the campaign was closed (--undecided \(undecided))",
                    reviewer: "campaign close")
            }
        }
        try await store.closeCampaign(campaign.id, undecided: undecided, decisions: decisions, at: now)
        return open.count
    }
}
