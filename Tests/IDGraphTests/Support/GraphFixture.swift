import Foundation

@testable import IDGraph

/// Builds small graphs in memory for tests: one snapshot, sources added one call each, and the
/// configuration to review them with; or, with ``collect(_:kind:accounts:people:containers:memberships:edges:)``,
/// one completed snapshot per call.
struct GraphFixture {
    let store: GraphStore
    var configuration: Configuration
    var snapshot: Int64

    /// 2025-06-30T00:00:00Z, the as-of of most tests.
    static let asOf = date("2025-06-30T00:00:00Z")

    /// A date from ISO 8601 text.
    static func date(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else { fatalError("bad date \(text)") }
        return date
    }

    /// `days` days (and `seconds` seconds) before ``asOf``.
    static func daysBefore(_ days: Int, seconds: Int = 0) -> Date {
        asOf.addingTimeInterval(-Double(days * 86_400 + seconds))
    }

    /// An empty graph whose first snapshot starts at `startedAt`; `roster` adds a configured (but
    /// empty) roster source named `hr`.
    init(
        roster: Bool = true, inactiveDays: Int = 90, staleInviteDays: Int = 30, aliases: [String: String] = [:],
        startedAt: Date = GraphFixture.date("2025-06-29T08:00:00Z")
    ) async throws {
        store = try GraphStore.inMemory()
        configuration = Configuration(
            file: URL(fileURLWithPath: "/tmp/idgraph-test.yaml"), inactiveDays: inactiveDays,
            staleInviteDays: staleInviteDays, domainAliases: aliases, sources: [])
        snapshot = try await store.beginSnapshot(at: startedAt)
        if roster {
            configuration.sources.append(SourceConfiguration(name: "hr", kind: .roster))
        }
    }

    /// Adds roster people (configuring the `hr` roster source if needed), read a second before `collectedAt`.
    mutating func addRoster(_ people: [Person], name: String = "hr", collectedAt: String = "2025-06-29T08:01:00Z")
        async throws
    {
        if configuration.source(named: name) == nil {
            configuration.sources.append(SourceConfiguration(name: name, kind: .roster))
        }
        let finished = Self.date(collectedAt)
        let run = try await store.beginSourceRun(
            snapshot: snapshot, source: name, kind: .roster, at: finished.addingTimeInterval(-1))
        try await store.insert(people, run: run)
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0, at: finished)
    }

    /// Adds a collected source with its accounts, containers and memberships.
    mutating func addSource(
        _ name: String, kind: SourceKind, approvedAdmins: [String]? = nil, accounts: [Account],
        containers: [Container] = [], memberships: [Membership] = [], configured: Bool = true,
        collectedAt: String = "2025-06-29T08:02:00Z"
    ) async throws {
        if configured, configuration.source(named: name) == nil {
            configuration.sources.append(SourceConfiguration(name: name, kind: kind, approvedAdmins: approvedAdmins))
        }
        let exposes = configuration.source(named: name)?.exposure
        // Collected for a minute up to `collectedAt`, the run's `finished_at` and the views' `collected_at`.
        let finished = Self.date(collectedAt)
        let run = try await store.beginSourceRun(
            snapshot: snapshot, source: name, kind: kind, exposes: exposes, at: finished.addingTimeInterval(-60))
        try await store.insert(accounts, run: run, canonicalizer: configuration.canonicalizer)
        try await store.insert(containers, run: run)
        try await store.insert(memberships, run: run)
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0, at: finished)
    }

    /// Collects `name` in a snapshot of its own, completed now: each call is a newer run of the
    /// source. Returns the run.
    @discardableResult
    func collect(
        _ name: String, kind: SourceKind, accounts: [Account] = [], people: [Person] = [],
        containers: [Container] = [], memberships: [Membership] = [], edges: [ContainerEdge] = []
    ) async throws -> Int64 {
        let snapshot = try await store.beginSnapshot()
        let run = try await store.beginSourceRun(snapshot: snapshot, source: name, kind: kind)
        try await store.insert(accounts, run: run, canonicalizer: configuration.canonicalizer)
        try await store.insert(people, run: run)
        try await store.insert(containers, run: run)
        try await store.insert(memberships, run: run)
        try await store.insert(edges, run: run)
        try await store.completeSourceRun(run, stats: SourceRunStats(), seconds: 0)
        try await store.finishSnapshot(snapshot, status: .ok)
        return run
    }

    /// Records a failed collection of `name` in a new snapshot: its data goes stale.
    mutating func failSource(_ name: String, kind: SourceKind, error: String) async throws {
        let later = try await store.beginSnapshot(at: Self.date("2025-06-29T09:00:00Z"))
        let run = try await store.beginSourceRun(snapshot: later, source: name, kind: kind)
        try await store.failSourceRun(run, error: error, stats: SourceRunStats(), seconds: 0)
    }

    /// Runs the review as of ``asOf`` (or `asOf`) with the built-in rules and `userRules`.
    func review(asOf: Date = GraphFixture.asOf, userRules: URL? = nil) async throws -> ReviewOutcome {
        var configuration = configuration
        configuration.rulesDirectory = userRules ?? configuration.rulesDirectory
        return try await Reviewer(store: store, configuration: configuration).review(asOf: asOf)
    }
}

/// An active person of the roster.
func person(_ email: String, name: String? = nil, manager: String? = nil, status: String = "active",
            department: String? = nil, terminated: String? = nil) -> Person
{
    Person(
        email: email.lowercased(), givenEmail: email, name: name ?? email, department: department,
        managerEmail: manager, status: status, terminationDate: terminated, line: nil)
}

/// An account with the fields a rule reads.
func account(
    _ id: String, email: String?, name: String? = nil, role: String? = nil, admin: Bool = false,
    status: AccountStatus = .active, lastSeen: Date? = nil, created: Date? = nil
) -> Account {
    Account(
        accountID: id, email: email, name: name ?? id, role: role, isAdmin: admin, status: status,
        lastSeen: lastSeen, created: created)
}

extension ReviewOutcome {
    /// The account ids a rule flagged, sorted.
    func flagged(by rule: String) -> [String] {
        findings(of: rule).map(\.accountID).sorted()
    }

    /// The one finding of `rule` on account `id`.
    func finding(_ rule: String, _ id: String) -> Finding? {
        findings.first { $0.rule == rule && $0.accountID == id }
    }
}
