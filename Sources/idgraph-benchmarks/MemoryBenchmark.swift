import Foundation
import IDGraphSimulator

#if canImport(Glibc)
import Glibc
#endif

/// Peak memory of `idgraph collect` and `idgraph review` as separate processes,
/// on a generated company served by the simulator without rate limits.
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

        let collectSeconds = try runChild(tool, ["collect", "--config", config.path, "--quiet"], environment: environment)
        let collectPeak = childrenPeakMiB()
        let reviewSeconds = try runChild(
            tool, ["review", "--config", config.path, "--out", folder.appendingPathComponent("out").path, "--quiet"],
            environment: environment)
        let bothPeak = childrenPeakMiB()
        await cluster.stop()
        let accounts = company.accountCount
        return [
            String(format: "| memory | idgraph collect, %d people, %d accounts (separate process) | peak RSS %.0f MiB | %.1f s | goal ≤ 512 MiB |",
                people, accounts, collectPeak, collectSeconds),
            String(format: "| memory | idgraph review of the same graph (separate process) | peak RSS %@ | %.1f s | goal ≤ 512 MiB |",
                bothPeak > collectPeak ? String(format: "%.0f MiB", bothPeak) : String(format: "≤ %.0f MiB", collectPeak), reviewSeconds),
        ]
    }

    /// Runs a child process to completion; returns its wall time.
    func runChild(_ tool: URL, _ arguments: [String], environment: [String: String]) throws -> Double {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("idgraph \(arguments[0]) exited \(process.terminationStatus)")
        }
        return (ContinuousClock.now - start).seconds
    }

    /// The largest peak RSS of any finished child process, in MiB.
    func childrenPeakMiB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
