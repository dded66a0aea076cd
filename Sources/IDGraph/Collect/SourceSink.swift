import Foundation

/// Receives one source's records during a collection and writes them to its
/// (not yet visible) source run, keeping the counts for `source_runs`.
///
/// A `check` uses a sink with no store: it counts requests, retries and waits
/// and reports progress, and has no database to write to.
public actor SourceSink {
    /// The source being collected.
    public nonisolated let source: SourceConfiguration
    /// Where progress goes.
    public nonisolated let progress: ProgressSink
    /// The store and the source run records go to; `nil` for a check.
    private let destination: (store: GraphStore, run: Int64)?
    private let canonicalizer: EmailCanonicalizer
    /// Counts so far.
    public private(set) var stats = SourceRunStats()
    /// Date fields stored as unknown because their values were no dates (``UnreadableDates``).
    public private(set) var unreadableDates = UnreadableDates()
    /// The warnings reported with ``warn(_:_:)``.
    private var diagnostics: [CollectionDiagnostic] = []
    /// Every request sent (a check's sink keeps none).
    private var journal = RequestJournal()
    /// The listings whose records became the accounts (or the roster's people).
    private var population: [ListingSummary] = []
    /// Whose token it is, where the API says.
    private var actingAs: String?

    /// Creates a sink for `run`.
    public init(
        source: SourceConfiguration, store: GraphStore, run: Int64, canonicalizer: EmailCanonicalizer,
        progress: ProgressSink
    ) {
        self.source = source
        self.destination = (store, run)
        self.canonicalizer = canonicalizer
        self.progress = progress
    }

    /// A sink for a check: it counts and reports progress, and refuses records.
    init(checking source: SourceConfiguration, progress: ProgressSink) {
        self.source = source
        self.destination = nil
        self.canonicalizer = EmailCanonicalizer(domainAliases: [:])
        self.progress = progress
    }

    /// The store of a collection; a check's sink has none, and a check that hands it records is a bug.
    private func store() throws -> (store: GraphStore, run: Int64) {
        guard let destination else {
            throw CollectionError(source: source.name, message: "A check stores nothing, yet it was handed records to store; report this to the idgraph maintainers.")
        }
        return destination
    }

    /// Stores a page of accounts.
    public func add(_ accounts: [Account]) async throws {
        try await storing { store, run in try await store.insert(accounts, run: run, canonicalizer: canonicalizer) }
        stats.accounts += accounts.count
        for account in accounts where !account.unreadableDates.isEmpty {
            unreadableDates.add(account.unreadableDates)
        }
        progress.report(.page(source: source.name, what: "accounts", count: accounts.count, total: stats.accounts))
    }

    /// Stores a page of containers.
    public func add(_ containers: [Container]) async throws {
        try await storing { store, run in try await store.insert(containers, run: run) }
        stats.containers += containers.count
    }

    /// Stores a page of memberships.
    public func add(_ memberships: [Membership]) async throws {
        try await storing { store, run in try await store.insert(memberships, run: run) }
        stats.memberships += memberships.count
    }

    /// Stores credentials (tokens) the accounts hold.
    public func add(_ credentials: [Credential]) async throws {
        try await storing { store, run in try await store.insert(credentials, run: run) }
        stats.credentials += credentials.count
    }

    /// Stores container nesting.
    public func add(_ edges: [ContainerEdge]) async throws {
        try await storing { store, run in try await store.insert(edges, run: run) }
    }

    /// Stores roster people; a person listed twice is counted once.
    public func add(_ people: [Person]) async throws {
        stats.people = try await storing { store, run in try await store.insert(people, run: run) }
        progress.report(.page(source: source.name, what: "people", count: people.count, total: stats.people))
    }

    /// Runs a write of this run's rows; a disk that is full or failing becomes a ``DiskWriteError``
    /// naming the source. Rows of the run are invisible until it completes (``GraphStore``), and a
    /// failed run's rows are dropped, so nothing of it is stored and the source keeps its last data.
    private func storing<T>(_ write: (GraphStore, Int64) async throws -> T) async throws -> T {
        let (store, run) = try store()
        do {
            return try await write(store, run)
        } catch {
            throw DiskWriteError(
                error, subject: "source '\(source.name)'", path: store.path,
                consequence: "Nothing of this run was stored for the source: it keeps its previous data, marked stale.",
                command: "idgraph collect") ?? error
        }
    }

    /// Counts dates a collector stored as unknown outside the accounts (a roster's).
    public func add(_ dates: UnreadableDates) {
        unreadableDates.add(dates)
    }

    /// Counts one HTTP request sent and opens its journal entry; returns its sequence number.
    func sending(method: String, path: String, at date: Date) -> Int {
        stats.requests += 1
        if destination != nil { journal.open(seq: stats.requests, method: method, path: path, at: date) }
        return stats.requests
    }

    /// Records what came back for request `seq` (status 0 when nothing did).
    func answered(_ seq: Int, status: Int, bytes: Int? = nil, sha256: String? = nil, milliseconds: Int) {
        journal.answer(seq, status: status, bytes: bytes, sha256: sha256, milliseconds: milliseconds)
    }

    /// Records that request `seq`'s response carried `count` records of a listing.
    func countRecords(_ count: Int, of seq: Int) {
        journal.count(count, recordsOf: seq)
    }

    /// Records a listing whose records became the source's accounts (or its roster's people).
    func listedPopulation(_ listing: ListingSummary) {
        population.append(listing)
    }

    /// Records whose token the source was read with, as the API describes it (never a secret).
    func actingAs(_ who: String) {
        actingAs = who
    }

    /// The population, whose token it was and the request journal, as `source_run` stores them.
    public var evidence: SourceRunEvidence {
        var evidence = SourceRunEvidence(actingAs: actingAs, journal: journal.entries)
        evidence.setPopulation(population)
        return evidence
    }

    /// Counts one request sent again.
    public func countRetry() { stats.retries += 1 }

    /// Counts one rate-limit pause.
    public func countWait(seconds: Double) {
        stats.waits += 1
        stats.waitSeconds += seconds
    }

    /// Reports a warning about the source's data that does not stop the collection, and keeps it
    /// for the collect summary.
    public func warn(_ kind: CollectionDiagnostic.Kind, _ message: String) {
        let diagnostic = CollectionDiagnostic(kind, source: source.name, message: message)
        diagnostics.append(diagnostic)
        progress.report(.warning(diagnostic))
    }

    /// The warnings so far, then the one about dates that could not be read.
    public var warnings: [CollectionDiagnostic] {
        diagnostics + [unreadableDates.warning.map { CollectionDiagnostic(.unreadableDates, source: source.name, message: $0) }].compactMap { $0 }
    }
}
