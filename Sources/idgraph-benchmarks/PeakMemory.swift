import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `idgraph-benchmarks peak-memory -- COMMAND…`: runs COMMAND, prints its
/// peak resident memory in KiB on stdout, and exits with its status.
///
/// The memory benchmark measures each `idgraph` process through this small
/// one. Linux carries the peak RSS of the process that starts a child into
/// the child's `ru_maxrss` (the child runs in its parent's address space
/// until it execs), so a child started by the benchmark, which holds the
/// whole simulated company, would report the benchmark's own peak.
enum PeakMemory {
    /// Runs `command` (its first element the executable's path) and exits.
    static func run(_ command: [String]) throws -> Never {
        guard let executable = command.first else {
            throw ValidationError("Name the command to measure after '--', e.g. idgraph-benchmarks peak-memory -- /usr/bin/true")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        print(usage.ru_maxrss)
        exit(process.terminationStatus)
    }
}

extension PeakMemory {
    /// This process's peak resident set so far (`VmHWM` of /proc/self/status), in KiB; nil where
    /// there is no /proc.
    static func ofThisProcessKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).lazy.compactMap { Int($0) }.first
    }

    /// Starts this process's peak over from its present resident set: writing 5 to clear_refs
    /// resets `VmHWM`.
    static func resetThisProcess() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
