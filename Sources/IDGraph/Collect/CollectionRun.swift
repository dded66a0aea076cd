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
        let snapshot: Int64
        do {
            try await store.abandonInterruptedRuns()
            snapshot = try await store.beginSnapshot()
        } catch {
            throw storeFailure(
                error, subject: "collect", consequence: "Nothing was collected: every source keeps its previous data.")
        }
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
        let status = SnapshotStatus(failed: failed, of: ordered.count)
        var report = CollectionReport(snapshotID: snapshot, outcomes: ordered)
        do {
            try await store.finishSnapshot(snapshot, status: status)
        } catch {
            // The sources are recorded already; only the snapshot's own row stays `running`, and the
            // next collect closes it.
            report.error = storeFailure(
                error, subject: "collect",
                consequence: "The sources marked ok above were stored; the record of this run could not be closed, and the next collect closes it."
            ).description
        }
        return report
    }

    /// `error` of a write to the store as an error that says what was kept and what to do.
    private func storeFailure(_ error: any Error, subject: String, consequence: String) -> any IDGraphError {
        if let error = error as? any IDGraphError { return error }
        let path = store.path
        return DiskWriteError(error, subject: subject, path: path, consequence: consequence, command: "idgraph collect")
            ?? StoreError(path: path, underlying: error)
    }

    private func collect(_ source: SourceConfiguration, with collector: any Collector, snapshot: Int64)
        async throws -> SourceOutcome
    {
        let started = ContinuousClock.now
        let nothingStored = "Nothing of this run was stored for the source: it keeps its previous data, marked stale."
        let run: Int64
        do {
            run = try await store.beginSourceRun(
                snapshot: snapshot, source: source.name, kind: source.kind, exposes: source.exposure)
        } catch {
            let failure = storeFailure(error, subject: "source '\(source.name)'", consequence: nothingStored)
            let outcome = SourceOutcome(
                source: source.name, kind: source.kind,
                failure: CollectionDiagnostic(.storeFailed, source: source.name, message: failure.description),
                stats: SourceRunStats(), seconds: (ContinuousClock.now - started).seconds)
            progress.report(.finished(outcome))
            return outcome
        }
        let sink = SourceSink(
            source: source, store: store, run: run, canonicalizer: configuration.canonicalizer, progress: progress)
        progress.report(.started(source: source.name))
        var failure: CollectionDiagnostic?
        func fail(_ kind: CollectionDiagnostic.Kind, _ message: String) {
            failure = CollectionDiagnostic(kind, source: source.name, message: message)
        }
        do {
            try await collector.collect(into: sink)
        } catch let error as DiskWriteError {
            fail(.storeFailed, error.description)
        } catch let error as StoreError {
            fail(.storeFailed, error.description)
        } catch let error as any IDGraphError {
            fail(.collectionFailed, error.description)
        } catch is CancellationError {
            fail(.cancelled, "source '\(source.name)': the collection was cancelled before it finished.")
        } catch {
            fail(.collectionFailed, "source '\(source.name)': \(error)")
        }
        var stats = await sink.stats
        let evidence = await sink.evidence
        let seconds = (ContinuousClock.now - started).seconds
        if failure == nil {
            do {
                stats = try await store.completeSourceRun(run, stats: stats, seconds: seconds, evidence: evidence)
            } catch {
                fail(.storeFailed, storeFailure(error, subject: "source '\(source.name)'", consequence: nothingStored).description)
            }
        }
        if let failure {
            // When even this fails (a disk with no room left), the run stays `running`: its rows were
            // never visible, and the next collect records it as interrupted and drops them.
            try? await store.failSourceRun(run, error: failure.message, stats: stats, seconds: seconds, evidence: evidence)
        }
        let outcome = SourceOutcome(
            source: source.name, kind: source.kind, failure: failure, stats: stats, seconds: seconds,
            diagnostics: await sink.warnings)
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
    /// What went wrong with the run itself after its sources were recorded, if anything.
    public var error: String?

    /// 0 when every source was stored, 1 when any failed (the README, "Exit status").
    public var exitStatus: ExitStatus {
        outcomes.allSatisfy(\.succeeded) && error == nil ? .success : .failure
    }
}
