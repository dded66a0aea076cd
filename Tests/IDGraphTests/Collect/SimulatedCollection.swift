import Foundation
import GRDB
import IDGraphSimulator
import Synchronization

@testable import IDGraph

/// A collection against the simulated SaaS APIs over real loopback sockets:
/// the company, the running cluster, the store and everything reported.
struct SimulatedCollection: Sendable {
    let company: Company
    let cluster: SimulatorCluster
    let configuration: IDGraph.Configuration
    let store: GraphStore
    let events: EventLog

    /// A quick retry policy, so fault tests do not wait for production backoff.
    static let quickRetries = RetryPolicy(
        maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, rateLimitBaseDelay: 0.2, rateLimitMaxDelay: 1)

    /// Starts the simulator for a small company and runs `body`; stops it afterwards.
    @discardableResult
    static func with<T: Sendable>(
        size: Int = 60, seed: UInt64 = 11, options: SimulatorOptions = SimulatorOptions(rateLimits: false),
        systems: Set<SimulatedSystem> = Set(SimulatedSystem.allCases), store: GraphStore? = nil, adjust: @Sendable (inout SourceConfiguration) -> Void = { _ in },
        _ body: (SimulatedCollection) async throws -> T
    ) async throws -> T {
        let company = Company.generate(size: size, seed: seed, asOf: Date(timeIntervalSince1970: 1_750_000_000))
        let cluster = try await SimulatorCluster.start(company: company, options: options, systems: systems)
        do {
            let yaml = cluster.configYAML(rosterPath: "roster.csv", databasePath: "test.sqlite")
            var configuration = try ConfigurationLoader(environment: company.credentials)
                .parse(yaml, file: "/tmp/idgraph-test/test.yaml")
            configuration.sources = configuration.sources.map { source in
                var source = source
                adjust(&source)
                return source
            }
            let collection = SimulatedCollection(
                company: company, cluster: cluster, configuration: configuration, store: try store ?? GraphStore.inMemory(),
                events: EventLog())
            let result = try await body(collection)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Collects `systems` (by their source names) into the store.
    @discardableResult
    func collect(_ systems: [SimulatedSystem], retryPolicy: RetryPolicy = quickRetries) async throws -> CollectionReport {
        let events = self.events
        var run = CollectionRun(
            configuration: configuration, store: store, progress: ProgressSink { events.append($0) })
        run.retryPolicy = retryPolicy
        return try await run.run(sources: systems.map(\.sourceName))
    }

    /// The stored rows of a view for `system`'s source.
    func rows(_ view: String, _ system: SimulatedSystem) throws -> [Row] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(view) WHERE source = ?", arguments: [system.sourceName])
        }
    }

    /// The latest `source_runs` row of `system`.
    func sourceRun(_ system: SimulatedSystem) throws -> Row? {
        try store.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM source_runs WHERE source = ? ORDER BY snapshot_id DESC LIMIT 1",
                arguments: [system.sourceName])
        }
    }
}

/// Every progress event of a run, collected from any task.
final class EventLog: Sendable {
    private let events = Mutex<[ProgressEvent]>([])

    func append(_ event: ProgressEvent) { events.withLock { $0.append(event) } }

    var all: [ProgressEvent] { events.withLock { $0 } }

    /// Everything printed or recorded, as text, to search for secrets.
    var text: String { all.map { "\($0)" }.joined(separator: "\n") }
}

/// The fewest requests each API allows for what the company serves (rate limits off), at the page
/// sizes idgraph asks for, ending each list only where the API says it ends (docs/sources.md, "Paging").
enum MinimumRequests {
    static func of(_ system: SimulatedSystem, _ records: SystemRecords) -> Int {
        Company.fewestRequests(system, records)
    }
}
