import Foundation
import UnixSignals

extension SimulatorCluster {
    /// Writes `roster.csv` and `idgraph.yaml` for the running cluster into `directory` (created if needed).
    ///
    /// - Returns: the config file's URL.
    @discardableResult
    public nonisolated func writeFiles(to directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let roster = directory.appendingPathComponent("roster.csv")
        let config = directory.appendingPathComponent("idgraph.yaml")
        try company.rosterCSV().write(to: roster, atomically: true, encoding: .utf8)
        try configYAML(rosterPath: "roster.csv", databasePath: "idgraph.sqlite").write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The shell lines that set the credentials the config refers to, sorted by name.
    public nonisolated var exportLines: [String] {
        company.credentials.sorted { $0.key < $1.key }.map { "export \($0.key)=\($0.value)" }
    }

    /// What to tell a person who just started the simulator: base URLs, exports, the collect command
    /// (`command` is how idgraph is run here: `idgraph`, or `swift run idgraph`).
    public nonisolated func instructions(configPath: String, command: String = "idgraph") -> String {
        var lines = ["Simulated SaaS APIs for a company of \(company.size) people and \(company.accountCount) accounts:"]
        for system in SimulatedSystem.allCases {
            let refused = options.refusingSystems.contains(system) ? "   (refuses connections)" : ""
            lines.append("  \(system.displayName.padding(toLength: 15, withPad: " ", startingAt: 0)) \(baseURL(system))\(refused)")
        }
        lines.append("  Procore token   \(procoreTokenURL)")
        lines.append("  Counters: GET <origin>/__stats on each server.")
        lines.append("")
        lines.append("Set the credentials, then check and collect:")
        lines += exportLines
        lines.append("\(command) check --config \(configPath)")
        lines.append("\(command) collect --config \(configPath)")
        return lines.joined(separator: "\n")
    }

    /// Waits until the process receives SIGINT or SIGTERM.
    public static func waitForTerminationSignal() async {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { return }
    }
}
