import Foundation
import Synchronization

/// Runs the built `idgraph` executable as a user would, capturing its output.
struct CommandLineTool {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `idgraph` binary beside the test bundle.
    static var executable: URL {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [bundleFolder, Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL] {
            let candidate = folder.appendingPathComponent("idgraph")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return bundleFolder.appendingPathComponent("idgraph")
    }

    /// Another executable of the package, built beside `idgraph` (`idgraph-benchmarks`).
    static func sibling(_ name: String) -> URL {
        executable.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs `idgraph arguments…` (or another `tool`) in `directory` and waits for it.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], tool: URL = executable
    ) throws -> Result {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr on another thread while reading stdout here, so a large
        // output on either pipe cannot block the process.
        let errData = Locked(Data())
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            finished.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// Runs `idgraph arguments…` like ``run(_:in:environment:tool:)``, waiting on a thread of its own:
    /// a test that serves the simulated vendors from this process must not block the threads they answer on.
    static func running(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(arguments, in: directory, environment: environment) })
            }
        }
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A value handed from a reader thread to the test.
final class Locked<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>

    init(_ value: Value) { stored = Mutex(value) }

    func set(_ value: Value) { stored.withLock { $0 = value } }

    var value: Value { stored.withLock { $0 } }
}
