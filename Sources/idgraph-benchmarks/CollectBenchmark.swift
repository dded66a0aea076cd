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
            let limit = options.rateLimit(for: system)
            let fewest = company.fewestRequests(system)
            let tokenRequests = cluster.stats(system).tokenRequests
            // A token request is not rate limited.
            let minimum = fewest - min(tokenRequests, 1)
            let floor = limit.map { limit in
                let windows = (minimum + limit.requests - 1) / limit.requests
                return Double(max(windows - 1, 0)) * limit.windowSeconds
            } ?? 0
            overallFloor = max(overallFloor, floor)
            lines.append(
                pad([
                    system.sourceName, String(outcome?.stats.accounts ?? 0), String(stats.requests),
                    String(fewest), String(stats.rateLimited),
                    String(outcome?.stats.waits ?? 0), String(format: "%.1f", outcome?.seconds ?? 0),
                    limit.map { "\($0.requests)/\(Int($0.windowSeconds))s" } ?? "none", String(format: "%.1f", floor),
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

private func pad(_ cells: [String]) -> String {
    let widths = [14, 9, 9, 8, 6, 6, 8, 8, 8, 6]
    return zip(cells, widths).map { cell, width in
        cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
    }.joined()
}

