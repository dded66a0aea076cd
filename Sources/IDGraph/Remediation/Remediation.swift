import Foundation

/// From "revoke" to removed: the plan of what to remove in each source, and
/// its verification against a later collect (the README, "After the review:
/// remediation"). idgraph never removes anything itself: every step is for an
/// administrator of the source, and the next collect is the proof.
public enum Remediation {
    /// One account to remediate.
    public struct Entry: Sendable {
        /// The campaign item, as frozen.
        public var item: CampaignItem
        /// Why: `decision` or `finding:RULE`.
        public var origin: String
        /// `revoke` or `modify`.
        public var action: CampaignDecision
        /// The decision, when there is one.
        public var decision: GraphStore.StoredDecision?
        /// The day it is due.
        public var due: String
        /// How the source removes it.
        public var removal: Removal
        /// The source's kind, as configured.
        public var kind: String
    }

    /// The findings that, with `--findings`, plan an undecided item's removal.
    public static let findingRules: Set<String> = ["orphaned", "deactivated-with-access"]

    /// Plans campaign `name`'s revoke and modify decisions (and, with
    /// `includeFindings`, its undecided items with an orphaned or
    /// deactivated-with-access finding). Due dates come from
    /// `remediation_sla_days` after the decision (or after now, for a
    /// finding); an item planned before keeps its due date.
    public static func plan(
        store: GraphStore, configuration: Configuration, campaign name: String, includeFindings: Bool, now: Date = Date()
    ) async throws -> (campaign: Campaign, entries: [Entry]) {
        let planned = try await planWithAccounts(
            store: store, configuration: configuration, campaign: name, includeFindings: includeFindings, now: now)
        return (planned.campaign, planned.entries)
    }

    /// ``plan(store:configuration:campaign:includeFindings:now:)``, with the planned accounts as the
    /// current graph holds them (read once, for the steps and for a verification).
    private static func planWithAccounts(
        store: GraphStore, configuration: Configuration, campaign name: String, includeFindings: Bool, now: Date
    ) async throws -> (campaign: Campaign, entries: [Entry], current: [String: [String: GraphStore.CurrentAccount]]) {
        let campaign = try await store.campaign(named: name)
        let items = try await store.campaignItems(campaign.id)
        let decisions = try await store.latestDecisions(campaign.id)
        let sla = TimeInterval(configuration.remediationSLADays) * 86_400
        var planned: [GraphStore.PlannedItem] = []
        for item in items {
            if let decision = decisions[item.item] {
                guard decision.decision == .revoke || decision.decision == .modify else { continue }
                let decided = Timestamp.parse(decision.decidedAt) ?? now
                planned.append(.init(
                    item: item.item, origin: "decision", action: decision.decision,
                    due: Timestamp.day(from: decided.addingTimeInterval(sla))))
            } else if includeFindings, let rule = item.findings.first(where: { findingRules.contains($0.rule) })?.rule {
                planned.append(.init(
                    item: item.item, origin: "finding:\(rule)", action: .revoke, due: Timestamp.day(from: now.addingTimeInterval(sla))))
            }
        }
        try await store.plan(planned, campaign: campaign.id, at: now)
        let stored = try await store.plannedItems(campaign.id)
        let byItem = Dictionary(uniqueKeysWithValues: items.map { ($0.item, $0) })
        let current = try await store.currentAccounts(stored.compactMap { byItem[$0.item] }.map { ($0.source, $0.accountID) })
        var entries: [Entry] = []
        for plan in stored {
            // Items planned with --findings earlier stay in the plan.
            guard let item = byItem[plan.item] else { continue }
            let source = configuration.source(named: item.source)
            let memberships = current[item.source]?[item.accountID]?.memberships.map { ($0.id, $0.type, $0.name) }
                ?? item.memberships.map { ($0, "group", $0) }
            let target = RemovalTarget(
                accountID: item.accountID, email: item.email, action: plan.action, memberships: memberships,
                source: source ?? SourceConfiguration(name: item.source, kind: SourceKind(rawValue: "unknown")))
            let removal = source?.descriptor?.removal(target) ?? Removal(
                steps: [RemovalStep(method: "UI", path: "the system's admin console", effect: "remove or deactivate the account")],
                caveat: "The source '\(item.source)' is no longer configured: remove the account by hand.")
            entries.append(Entry(
                item: item, origin: plan.origin, action: plan.action, decision: decisions[item.item], due: plan.due,
                removal: removal, kind: source?.kind.rawValue ?? "unknown"))
        }
        return (campaign, entries, current)
    }

    /// One planned item, checked.
    public struct Check: Sendable {
        /// What was planned.
        public var entry: Entry
        /// What the current graph shows.
        public var check: GraphStore.RemediationCheck
        /// Whether it is still there (wholly or partly) after its due day.
        public var overdue: Bool
    }

    /// Checks every planned item of campaign `name` (planning its decisions first, as ``plan``
    /// does without findings) against each source's current data, and records the checks.
    public static func verify(store: GraphStore, configuration: Configuration, campaign name: String, now: Date = Date())
        async throws -> (campaign: Campaign, checks: [Check])
    {
        let (campaign, entries, current) = try await planWithAccounts(
            store: store, configuration: configuration, campaign: name, includeFindings: false, now: now)
        let sources = try await store.currentSources()
        let today = Timestamp.day(from: now)
        let checks = entries.map { entry in
            let check = Self.check(
                entry, source: sources[entry.item.source], account: current[entry.item.source]?[entry.item.accountID],
                campaignSnapshot: campaign.snapshotID ?? 0)
            let open = check.state == "still-present" || check.state == "partly-fixed"
            return Check(entry: entry, check: check, overdue: open && today > entry.due)
        }
        try await store.recordChecks(checks.map(\.check), campaign: campaign.id, at: now)
        return (campaign, checks)
    }

    /// What the current graph says of one planned item.
    static func check(
        _ entry: Entry, source: GraphStore.CurrentSource?, account: GraphStore.CurrentAccount?, campaignSnapshot: Int64
    ) -> GraphStore.RemediationCheck {
        let item = entry.item
        func result(_ state: String, _ detail: String) -> GraphStore.RemediationCheck {
            GraphStore.RemediationCheck(item: item.item, state: state, detail: detail, snapshotID: source?.snapshotID)
        }
        guard let source else { return result("unverifiable", "\(item.source) has no collected data") }
        if source.stale {
            return result("unverifiable", "\(item.source)'s last collection failed; its data is from \(source.collectedAt)")
        }
        if source.snapshotID <= campaignSnapshot {
            return result("unverifiable", "\(item.source) has not been collected since the campaign started; run idgraph collect")
        }
        guard let account else { return result("fixed", "no longer listed (snapshot \(source.snapshotID))") }
        let names = account.memberships.map(\.name)
        if entry.action == .modify {
            var changes: [String] = []
            if account.role != item.role { changes.append("role \(item.role ?? "none") → \(account.role ?? "none")") }
            if account.isAdmin != item.isAdmin { changes.append(account.isAdmin ? "now an admin" : "no longer an admin") }
            if names.sorted() != item.memberships.sorted() {
                changes.append("memberships \(item.memberships.count) → \(names.count)")
            }
            if account.status == "inactive" { changes.append("deactivated") }
            return changes.isEmpty
                ? result("still-present", "unchanged since the decision: \(account.status), role \(account.role ?? "none")")
                : result("fixed", "changed: " + changes.joined(separator: "; "))
        }
        if account.status == "inactive" {
            if names.isEmpty { return result("fixed", "deactivated, with no memberships left") }
            return result("partly-fixed", "deactivated but still a member of " + names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : ""))
        }
        return result("still-present", "still \(account.status)" + (account.isAdmin ? ", admin" : "") + ", \(names.count) memberships")
    }
}
