import Foundation
import IDGraph
import IDGraphSimulator

/// Peak memory of `idgraph collect` and `idgraph review` as separate processes,
/// each measured alone, on a generated company served by the simulator
/// without rate limits.
struct MemoryBenchmark {
    var people: Int

    func run() async throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let company = Company.generate(size: people, seed: 1)
        let cluster = try await SimulatorCluster.start(company: company, options: SimulatorOptions(rateLimits: false))
        let config = try cluster.writeFiles(to: folder)
        let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("idgraph")
        let environment = ProcessInfo.processInfo.environment.merging(company.credentials) { _, new in new }

        let collect = try runChild(tool, ["collect", "--config", config.path, "--quiet"], environment: environment)
        let review = try runChild(
            tool, ["review", "--config", config.path, "--out", folder.appendingPathComponent("out").path, "--quiet"],
            environment: environment)
        await cluster.stop()
        let accounts = company.accountCount
        return [
            String(format: "| memory | idgraph collect, %d people, %d accounts (separate process) | peak RSS %.0f MiB | %.1f s | goal ≤ 512 MiB |",
                people, accounts, collect.peakMiB, collect.seconds),
            String(format: "| memory | idgraph review of the same graph (separate process) | peak RSS %.0f MiB | %.1f s | goal ≤ 512 MiB |",
                review.peakMiB, review.seconds),
        ]
    }

    /// Runs a child process to completion through `idgraph-benchmarks
    /// peak-memory` (see ``PeakMemory`` for why); returns its wall
    /// time and peak RSS.
    func runChild(_ tool: URL, _ arguments: [String], environment: [String: String]) throws
        -> (seconds: Double, peakMiB: Double)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["peak-memory", "--", tool.path] + arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let start = ContinuousClock.now
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("idgraph \(arguments[0]) exited \(process.terminationStatus)")
        }
        let text = String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let kib = Double(text) else {
            throw BenchmarkError("idgraph-benchmarks peak-memory printed '\(text)' instead of a number")
        }
        return ((ContinuousClock.now - start).seconds, kib / 1024)
    }
}
