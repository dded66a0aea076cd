import Foundation

/// `idgraph diff`: what changed between two states of the graph (the README,
/// "What changed since last quarter").
///
/// A side is the graph as of a snapshot (each source's latest good run in that
/// snapshot or before it), or, for the earlier side, the accounts frozen in a
/// campaign's items with the roster as of the snapshot the campaign started on.
/// Sources are compared one at a time, so at most one source's accounts of each
/// side are held at once. A source with the same run on both sides is not read.
public struct GraphDiff: Sendable {
    /// The earlier side.
    public var from: DiffSide
    /// The later side's snapshot.
    public var to: Int64
    /// The changes, in ``ChangeKind`` order, then by source, account and container.
    public var changes: [DiffChange]
    /// What a reader must know to trust the diff: a source present on one side only, a
    /// source whose collection failed and whose earlier data is compared.
    public var notes: [String]

    /// Whether the earlier side is a campaign (the rows carry its decisions).
    public var fromCampaign: Bool {
        if case .campaign = from { true } else { false }
    }

    /// How the later side is named: `snapshot 3`.
    public var toLabel: String { DiffSide.snapshot(to).description }

    /// One line: `No changes between snapshot 1 and snapshot 2.`, or the number of changes.
    public var headline: String {
        changes.isEmpty
            ? "No changes between \(from) and \(toLabel)."
            : "\(changes.count) \(changes.count == 1 ? "change" : "changes") from \(from) to \(toLabel)."
    }

    /// How many changes of each kind there are, in ``ChangeKind`` order, kinds without any left out.
    public var counts: [(kind: ChangeKind, count: Int)] {
        let byKind = Dictionary(grouping: changes, by: \.kind).mapValues(\.count)
        return ChangeKind.allCases.compactMap { kind in byKind[kind].map { (kind, $0) } }
    }

    /// Compares `from` with snapshot `to` (the latest snapshot when `nil`).
    ///
    /// Throws ``DiffError`` (exit 2) for a snapshot that does not exist, naming those that
    /// do, and ``CampaignError`` for an unknown campaign, naming the campaigns.
    public static func run(store: GraphStore, configuration: Configuration, from: DiffSide, to: Int64? = nil)
        async throws -> GraphDiff
    {
        let snapshots = try await store.snapshotSummaries()
        guard let latest = snapshots.last else {
            throw DiffError("The graph has no snapshots yet: run idgraph collect first.")
        }
        let toID = to ?? latest.id
        try check(toID, option: "--to", in: snapshots)
        let earlier: Side
        var decisions: [AccountKey: GraphStore.StoredDecision] = [:]
        switch from {
        case .snapshot(let id):
            try check(id, option: "--from", in: snapshots)
            earlier = try await Side.snapshot(id, store: store)
        case .campaign(let name):
            let campaign = try await store.campaign(named: name)
            let items = try await store.campaignItems(campaign.id)
            let byItem = try await store.latestDecisions(campaign.id)
            for item in items {
                if let decision = byItem[item.item] { decisions[AccountKey(source: item.source, accountID: item.accountID)] = decision }
            }
            earlier = try await Side.campaign(campaign, items: items, store: store, canonicalizer: configuration.canonicalizer)
        }
        let later = try await Side.snapshot(toID, store: store)
        var diff = GraphDiff(from: from, to: toID, changes: [], notes: earlier.notes + later.notes)
        try await diff.compare(earlier, later, store: store)
        for index in diff.changes.indices where !diff.changes[index].accountID.isEmpty {
            let change = diff.changes[index]
            guard let decision = decisions[AccountKey(source: change.source, accountID: change.accountID)] else { continue }
            diff.changes[index].decision = decision.decision.rawValue
            diff.changes[index].reason = decision.reason
            diff.changes[index].decidedBy = decision.reviewer
        }
        let order = Dictionary(uniqueKeysWithValues: ChangeKind.allCases.enumerated().map { ($1, $0) })
        diff.changes.sort { a, b in
            (order[a.kind]!, a.source, a.accountID, a.personEmail ?? "", a.container ?? "")
                < (order[b.kind]!, b.source, b.accountID, b.personEmail ?? "", b.container ?? "")
        }
        return diff
    }

    private static func check(_ id: Int64, option: String, in snapshots: [GraphStore.SnapshotSummary]) throws {
        guard !snapshots.contains(where: { $0.id == id }) else { return }
        let shown = snapshots.suffix(20).map { "\($0.id) (\($0.startedAt), \($0.status))" }
        throw DiffError(
            "There is no snapshot \(id) (\(option)). Snapshots: \(shown.joined(separator: ", "))"
                + (snapshots.count > 20 ? ", the latest 20 of \(snapshots.count)" : "")
                + ". The snapshots view lists them; --from also takes campaign:NAME.")
    }

    /// Compares every source of either side.
    private mutating func compare(_ earlier: Side, _ later: Side, store: GraphStore) async throws {
        var people = PeopleCache()
        let names = Set(earlier.sources.keys).union(later.sources.keys).sorted()
        for name in names {
            switch (earlier.sources[name], later.sources[name]) {
            case (nil, let after?):
                changes.append(DiffChange(kind: .sourceAdded, source: name, before: earlier.absence, after: after.presence))
                notes.append("Source \(name) \(earlier.absence): its \(after.isRoster ? "people" : "accounts") are not compared.")
            case (let before?, nil):
                changes.append(DiffChange(kind: .sourceRemoved, source: name, before: before.presence, after: later.absence))
                notes.append("Source \(name) \(later.absence): its \(before.isRoster ? "people" : "accounts") are not compared.")
            case (let before?, let after?):
                if case .run(let a) = before.data, case .run(let b) = after.data, a.runID == b.runID { continue }
                if before.isRoster, after.isRoster, case .run(let a) = before.data, case .run(let b) = after.data {
                    let old = try await people.people(a.runID, store), new = try await people.people(b.runID, store)
                    changes += AccountComparison.changes(roster: name, before: old, after: new)
                } else {
                    // A campaign keeps membership names, not container ids: compare by name then.
                    let byName = before.isCampaign
                    let old = try await before.accounts(store: store, byName: byName, people: &people, side: earlier)
                    let new = try await after.accounts(store: store, byName: byName, people: &people, side: later)
                    changes += AccountComparison.changes(source: name, before: old, after: new, compareMembershipRoles: !byName)
                }
            case (nil, nil):
                break
            }
        }
    }
}

extension GraphDiff {
    /// One side of a diff: its sources and how to read each.
    struct Side {
        /// Each source's data, by name.
        var sources: [String: SourceData]
        /// The roster runs whose people accounts join, on this side.
        var rosterRuns: [Int64]
        /// Why a source may be absent: `was not collected as of snapshot 1`.
        var absence: String
        /// Notes on this side's data.
        var notes: [String]

        static func snapshot(_ id: Int64, store: GraphStore) async throws -> Side {
            var sources: [String: SourceData] = [:]
            var notes: [String] = []
            let asOf = try await store.sources(asOf: id)
            for source in asOf {
                sources[source.source] = SourceData(data: .run(source), isRoster: source.kind.isRoster)
                if let failed = source.failedIn {
                    notes.append("Source \(source.source) failed to collect in snapshot \(failed): its data of snapshot \(source.snapshotID) is compared as snapshot \(id)'s.")
                }
            }
            return Side(
                sources: sources, rosterRuns: asOf.filter(\.kind.isRoster).map(\.runID),
                absence: "was not collected as of snapshot \(id)", notes: notes)
        }

        /// A campaign's items, for the sources in its scope that had data when it started; its
        /// roster is the one as of the snapshot it started on (items keep only their own person).
        static func campaign(_ campaign: Campaign, items: [CampaignItem], store: GraphStore, canonicalizer: EmailCanonicalizer)
            async throws -> Side
        {
            var asOf: [GraphStore.SourceAsOf] = []
            if let snapshot = campaign.snapshotID { asOf = try await store.sources(asOf: snapshot) }
            var bySource: [String: [AccountState]] = [:]
            for item in items {
                var memberships: [String: MembershipState] = [:]
                for name in item.memberships { memberships[name] = MembershipState(name: name, role: nil) }
                bySource[item.source, default: []].append(AccountState(
                    accountID: item.accountID, email: item.email, canonicalEmail: canonicalizer.canonicalEmail(item.email),
                    personEmail: item.personEmail, role: item.role, isAdmin: item.isAdmin, status: item.status,
                    memberships: memberships))
            }
            var sources: [String: SourceData] = [:]
            for source in campaign.sources where bySource[source] != nil || asOf.contains(where: { $0.source == source }) {
                sources[source] = SourceData(data: .items(bySource[source] ?? []), isRoster: false)
            }
            for roster in asOf where roster.kind.isRoster {
                sources[roster.source] = SourceData(data: .run(roster), isRoster: true)
            }
            return Side(
                sources: sources, rosterRuns: asOf.filter { $0.kind.isRoster }.map(\.runID),
                absence: "was not in campaign \(campaign.name)", notes: [])
        }
    }

    /// One source's data on one side.
    struct SourceData {
        enum Origin {
            /// A source run's rows.
            case run(GraphStore.SourceAsOf)
            /// A campaign's frozen items.
            case items([AccountState])
        }

        var data: Origin
        var isRoster: Bool

        var isCampaign: Bool {
            if case .items = data { true } else { false }
        }

        /// Where its data comes from: `collected in snapshot 2`, `frozen in the campaign`.
        var presence: String {
            switch data {
            case .run(let run): "collected in snapshot \(run.snapshotID)"
            case .items(let items): "\(items.count) accounts frozen in the campaign"
            }
        }

        /// Its accounts, memberships keyed by name (`byName`) or container id, each joined
        /// to the side's roster people.
        func accounts(store: GraphStore, byName: Bool, people: inout PeopleCache, side: Side) async throws -> [AccountState] {
            switch data {
            case .items(let items):
                return items
            case .run(let run):
                let emails = try await people.emails(side.rosterRuns, store)
                return try await store.accounts(ofRun: run.runID).map { account in
                    var memberships: [String: MembershipState] = [:]
                    for m in account.memberships {
                        memberships[byName ? m.name : m.containerID] = MembershipState(name: m.name, role: m.role)
                    }
                    return AccountState(
                        accountID: account.accountID, email: account.email, canonicalEmail: account.canonicalEmail,
                        personEmail: account.canonicalEmail.flatMap { emails.contains($0) ? $0 : nil }, role: account.role,
                        isAdmin: account.isAdmin, status: account.status, memberships: memberships)
                }
            }
        }
    }

    /// Roster people read once per run, and the set of emails each side's accounts join.
    struct PeopleCache {
        private var byRun: [Int64: [GraphStore.RunPerson]] = [:]
        private var emailSets: [[Int64]: Set<String>] = [:]

        mutating func people(_ run: Int64, _ store: GraphStore) async throws -> [GraphStore.RunPerson] {
            if let people = byRun[run] { return people }
            let people = try await store.people(ofRun: run)
            byRun[run] = people
            return people
        }

        mutating func emails(_ runs: [Int64], _ store: GraphStore) async throws -> Set<String> {
            if let emails = emailSets[runs] { return emails }
            var emails = Set<String>()
            for run in runs { emails.formUnion(try await people(run, store).map(\.email)) }
            emailSets[runs] = emails
            return emails
        }
    }
}
