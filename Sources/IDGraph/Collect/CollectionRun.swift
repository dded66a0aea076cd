import Foundation

/// One run of `collect`: a new snapshot with every selected source collected
/// concurrently. A source that fails is recorded as failed and keeps its last
/// good data (stale); the others are stored.
public struct CollectionRun: Sendable {
    /// The configuration.
    public var configuration: Configuration
    /// The graph.
    public var store: GraphStore
    /// Where progress goes.
    public var progress: ProgressSink
    /// How patiently requests are retried (tests use a quicker one).
    public var retryPolicy: RetryPolicy = .standard
    /// Whether a roster with a header and no people is stored (`--allow-empty`); otherwise it fails:
    /// an empty roster would make the next review flag every account orphaned.
    public var allowEmptyRoster = false

    /// Creates a run.
    public init(configuration: Configuration, store: GraphStore, progress: ProgressSink = .silent) {
        self.configuration = configuration
        self.store = store
        self.progress = progress
    }

    /// Collects the sources `names` selects (all when empty) into a new snapshot.
    public func run(sources names: [String] = []) async throws -> CollectionReport {
        let sources = try configuration.sources(named: names)
        try await store.abandonInterruptedRuns()
        let snapshot = try await store.beginSnapshot()
        let outcomes = try await Collectors.withCollectors(
            for: sources, configuration: configuration, retryPolicy: retryPolicy, allowEmptyRoster: allowEmptyRoster
        ) { collectors in
            try await withThrowingTaskGroup(of: SourceOutcome.self) { group in
                for (source, collector) in collectors {
                    group.addTask { try await collect(source, with: collector, snapshot: snapshot) }
                }
                var outcomes: [SourceOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }
        let ordered = sources.compactMap { source in outcomes.first { $0.source == source.name } }
        let failed = ordered.filter { !$0.succeeded }.count
        let status = failed == 0 ? "ok" : (failed == ordered.count ? "failed" : "partial")
        try await store.finishSnapshot(snapshot, status: status)
        return CollectionReport(snapshotID: snapshot, outcomes: ordered)
    }

    private func collect(_ source: SourceConfiguration, with collector: any Collector, snapshot: Int64)
        async throws -> SourceOutcome
    {
        let started = ContinuousClock.now
        let run = try await store.beginSourceRun(
            snapshot: snapshot, source: source.name, kind: source.kind, exposes: source.exposure)
        let sink = SourceSink(
            source: source, store: store, run: run, canonicalizer: configuration.canonicalizer, progress: progress)
        progress.report(.started(source: source.name))
        var failure: String?
        do {
            try await collector.collect(into: sink)
        } catch let error as any IDGraphError {
            failure = error.description
        } catch is CancellationError {
            failure = "source '\(source.name)': the collection was cancelled before it finished."
        } catch {
            failure = "source '\(source.name)': \(error)"
        }
        var stats = await sink.stats
        let seconds = (ContinuousClock.now - started).seconds
        if let failure {
            try await store.failSourceRun(run, error: failure, stats: stats, seconds: seconds)
        } else {
            stats = try await store.completeSourceRun(run, stats: stats, seconds: seconds)
        }
        let outcome = SourceOutcome(source: source.name, kind: source.kind, error: failure, stats: stats, seconds: seconds)
        progress.report(.finished(outcome))
        return outcome
    }
}

/// What a run of `collect` did.
public struct CollectionReport: Sendable {
    /// The snapshot it wrote.
    public var snapshotID: Int64
    /// One outcome per source, in configuration order.
    public var outcomes: [SourceOutcome]

    /// 0 when every source was stored, 1 when any failed (the README, "Exit status").
    public var exitStatus: ExitStatus {
        outcomes.allSatisfy(\.succeeded) ? .success : .failure
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
