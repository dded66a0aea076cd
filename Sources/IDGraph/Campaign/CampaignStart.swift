import Foundation

/// `idgraph campaign start`: freezes the access list of the current graph
/// into a campaign, one item per account of the sources in scope, each with
/// its findings (the rules are run as the campaign starts) and its reviewer
/// (``ReviewerChain``).
public enum CampaignStart {
    /// What a start stored.
    public struct Result: Sendable {
        /// The campaign.
        public var campaign: Campaign
        /// Its items.
        public var items: [CampaignItem]
        /// The review the findings come from.
        public var outcome: ReviewOutcome
        /// Items decided `keep` by carrying forward the previous campaign's decision.
        public var carried: Int = 0
    }

    /// Starts campaign `name` over `sources` (every configured API source when empty).
    ///
    /// Refuses (``CampaignError``, nothing stored) a name already used, an unknown source, a
    /// source in scope that is stale or was never collected unless `allowStale` gives the
    /// reason, and items that nobody in the reviewer chain can review.
    public static func run(
        store: GraphStore, configuration: Configuration, name: String, due: String?, sources: [String],
        allowStale: String?, carryForward: String? = nil, now: Date = Date()
    ) async throws -> Result {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw CampaignError("The campaign name must be 1 to 100 printable characters, for example --name 2026-Q4.")
        }
        let configured = configuration.sources.filter { !($0.descriptor?.isRoster ?? false) }.map(\.name)
        for source in sources where !configured.contains(source) {
            throw CampaignError("'\(source)' is not an API source of the configuration. Sources: \(configured.joined(separator: ", ")).")
        }
        let scope = sources.isEmpty ? configured : sources
        guard !scope.isEmpty else {
            throw CampaignError("The configuration has no API source to review. Add one (see the README, \"Configuration\").")
        }
        var previous: [AccountKey: (item: CampaignItem, decision: GraphStore.StoredDecision)] = [:]
        if let carryForward {
            let earlier = try await store.campaign(named: carryForward)
            guard !earlier.isOpen else {
                throw CampaignError("Campaign '\(earlier.name)' is still open: only a closed campaign's decisions are carried forward. Close it first (idgraph campaign close).")
            }
            let decisions = try await store.latestDecisions(earlier.id)
            for item in try await store.campaignItems(earlier.id) {
                if let decision = decisions[item.item] {
                    previous[AccountKey(source: item.source, accountID: item.accountID)] = (item, decision)
                }
            }
        }
        let problems = try await store.unusableSources(scope)
        if !problems.isEmpty, allowStale == nil {
            let list = problems.map { "'\($0.source)' \($0.problem)" }.joined(separator: "; ")
            throw CampaignError("A source in scope cannot be reviewed as it is now: \(list). Collect it again, leave it out with --source, or start anyway with --allow-stale REASON (the reason is recorded).")
        }
        let outcome = try await Reviewer(store: store, configuration: configuration).review(asOf: now, now: now)
        let rows = try await store.accessRows(reviewRunID: outcome.reviewRunID).filter { scope.contains($0.source) }
        let chain = ReviewerChain(roster: try await store.rosterStatuses(), rows: rows, configuration: configuration)
        var items: [CampaignItem] = []
        var unassigned: [String] = []
        for row in rows {
            let (reviewer, reason) = chain.reviewer(of: row)
            if reviewer == nil { unassigned.append("\(row.source) \(row.accountID) (\(reason))") }
            var item = CampaignItem(
                item: items.count + 1, access: row.access,
                findings: row.findings.map { .init(rule: $0.rule, severity: $0.severity.rawValue, detail: $0.detail) },
                reviewer: reviewer, assignedReviewer: reviewer, reviewerReason: reason)
            item.fingerprint = item.computeFingerprint()
            items.append(item)
        }
        if !unassigned.isEmpty {
            throw CampaignError("\(unassigned.count) accounts have nobody who can review them, for example \(unassigned.prefix(3).joined(separator: "; ")). Set 'fallback_reviewer' in the configuration to an active roster person (a list is tried in order), or a source's 'reviewer' (see the README, \"Running a quarterly review\").")
        }
        let carried = carryForward.map { from in
            items.compactMap { item in Self.carried(item, previous[AccountKey(source: item.source, accountID: item.accountID)], from: from) }
        } ?? []
        _ = try await store.createCampaign(
            name: trimmed, due: due, sources: scope, allowStale: problems.isEmpty ? nil : allowStale,
            reviewRunID: outcome.reviewRunID, items: items, carried: carried, at: now)
        return Result(
            campaign: try await store.campaign(named: trimmed), items: items, outcome: outcome, carried: carried.count)
    }

    /// The `keep` carried forward to `item` from the previous campaign's decision, or `nil`:
    /// never for an admin or flagged item, nor when the access changed since (the
    /// ``CampaignItem/accessFingerprint``), nor when the earlier item was admin or flagged.
    static func carried(
        _ item: CampaignItem, _ earlier: (item: CampaignItem, decision: GraphStore.StoredDecision)?, from campaign: String
    ) -> GraphStore.NewDecision? {
        guard let earlier, earlier.decision.decision == .keep, !item.isAdmin, item.findings.isEmpty,
            !earlier.item.needsReasonToKeep, earlier.item.accessFingerprint == item.accessFingerprint
        else { return nil }
        let reason = "carried forward from \(campaign), kept by \(earlier.decision.reviewer) on \(earlier.decision.decidedAt)"
            + (earlier.decision.reason.map { ": \($0)" } ?? "")
        return GraphStore.NewDecision(
            item: item.item, decision: .keep, reason: reason, reviewer: earlier.decision.reviewer, carriedFrom: campaign)
    }
}
