import Foundation
import IDGraph
import IDGraphSimulator

/// Collects a generated company of `size` people from the simulated APIs with
/// their standard rate limits on, into a temporary database, and returns a
/// table: per source the requests, 429s and wall time next to the floor its
/// rate limit imposes. The floor counts the windows the fewest possible
/// requests need: the first `limit` requests go at once, every further
/// `limit` waits one window, so floor = (⌈minimum ÷ limit⌉ − 1) × window.
/// Sources run in parallel, so the run's floor is the largest of theirs.
func runCollectBenchmark(size: Int) async throws -> String {
    let company = Company.generate(size: size, seed: 42)
    let options = SimulatorOptions(rateLimits: true)
    let cluster = try await SimulatorCluster.start(company: company, options: options)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-benchmark-\(UUID().uuidString)")
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = cluster.configYAML(rosterPath: "roster.csv", databasePath: "benchmark.sqlite")
        let configuration = try ConfigurationLoader(environment: company.credentials)
            .parse(yaml, file: folder.appendingPathComponent("idgraph.yaml").path)
        let store = try GraphStore.open(path: folder.appendingPathComponent("benchmark.sqlite").path)
        let started = ContinuousClock.now
        let report = try await CollectionRun(configuration: configuration, store: store)
            .run(sources: SimulatedSystem.allCases.map(\.sourceName))
        let wall = ContinuousClock.now - started
        await cluster.stop()

        var lines = [
            "Collect benchmark: \(size) people, \(company.accountCount) accounts, rate limits on",
            pad(["source", "accounts", "requests", "minimum", "429s", "waits", "wall s", "limit", "floor s", "status"]),
        ]
        var overallFloor = 0.0
        for system in SimulatedSystem.allCases {
            let stats = cluster.stats(system)
            let outcome = report.outcomes.first { $0.source == system.sourceName }
            let limit = options.rateLimit(for: system) ?? RateLimit(requests: .max, windowSeconds: 1)
            // Procore's token request is not rate limited.
            let minimum = minimumRequests(system, company.records(system)) - (system == .procore ? 1 : 0)
            let windows = (minimum + limit.requests - 1) / limit.requests
            let floor = Double(max(windows - 1, 0)) * limit.windowSeconds
            overallFloor = max(overallFloor, floor)
            lines.append(
                pad([
                    system.sourceName, String(outcome?.stats.accounts ?? 0), String(stats.requests),
                    String(minimum + (system == .procore ? 1 : 0)), String(stats.rateLimited),
                    String(outcome?.stats.waits ?? 0), String(format: "%.1f", outcome?.seconds ?? 0),
                    "\(limit.requests)/\(Int(limit.windowSeconds))s", String(format: "%.1f", floor),
                    outcome?.succeeded == true ? "ok" : "FAILED",
                ]))
        }
        lines.append(
            "all sources in parallel: \(String(format: "%.1f", wall.seconds)) s wall, floor \(String(format: "%.1f", overallFloor)) s (the slowest source's floor)"
        )
        return lines.joined(separator: "\n")
    } catch {
        await cluster.stop()
        throw error
    }
}

/// The fewest requests a collector can make for what `system` serves, with
/// each API's largest page size (a short page ends a list without a total).
private func minimumRequests(_ system: SimulatedSystem, _ records: SystemRecords) -> Int {
    func withoutTotal(_ count: Int, _ size: Int) -> Int { count / size + 1 }
    func withTotal(_ count: Int, _ size: Int) -> Int { max(1, (count + size - 1) / size) }
    let members = Dictionary(grouping: records.memberships, by: \.containerID).mapValues(\.count)
    let nested = Dictionary(grouping: records.containers.compactMap(\.parentID), by: { $0 }).mapValues(\.count)
    let perContainer = records.containers.map { members[$0.id, default: 0] + nested[$0.id, default: 0] }
    switch system {
    case .processStreet:
        return withoutTotal(records.accounts.count, 100) + withoutTotal(records.containers.count, 100)
            + perContainer.map { withoutTotal($0, 100) }.reduce(0, +)
    case .proofHub:
        return withoutTotal(records.accounts.count, 100) + 1 + records.containers.count
    case .streak:
        return 2
    case .processMaker:
        return withTotal(records.accounts.count, 1000) + withTotal(records.containers.count, 1000)
            + perContainer.map { withTotal($0, 1000) }.reduce(0, +)
    case .procore:
        return 1 + withTotal(records.accounts.count, 10_000) + withTotal(records.containers.count, 10_000)
            + perContainer.map { withTotal($0, 10_000) }.reduce(0, +)
    }
}

private func pad(_ cells: [String]) -> String {
    let widths = [14, 9, 9, 8, 6, 6, 8, 8, 8, 6]
    return zip(cells, widths).map { cell, width in
        cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
    }.joined()
}

