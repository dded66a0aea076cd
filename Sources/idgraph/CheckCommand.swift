import ArgumentParser
import Foundation
import IDGraph

/// `idgraph check`: do the credentials work, and what can they see? Stores nothing.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that each source's credentials work, and what they can see, with a few cheap requests.",
        discussion: """
            For each source, one to three authenticated GET requests (and Procore's token request) show whether the credentials are accepted and what they can see: whether a ProcessMaker token is an administrator's, whether Procore accepts the company id, how many Streak teams the key sees. The roster file is read and its people counted. Each source is ok, has warnings (a collect works, less well than it could) or failed, with what to do. Nothing is stored and no database is opened. Exits 1 when a source fails its check; warnings do not.

            Examples:
              idgraph check --config idgraph.yaml
              idgraph check --config idgraph.yaml --source procore --verbose
              idgraph check --config idgraph.yaml --format json > check.json
            """)

    @Option(name: .long, help: "The YAML configuration file (see the README, \"Configuration\").")
    var config: String

    @Option(name: .customLong("source"), help: "Check only this source (repeatable).")
    var sources: [String] = []

    @Option(name: .long, help: "Output format: text or json.")
    var format: String = "text"

    @Flag(name: .long, help: "Log every HTTP request (method, path without secrets, status, time).")
    var verbose = false

    func validate() throws {
        guard ["text", "json"].contains(format) else {
            throw ValidationError("--format must be text or json, not '\(format)'.")
        }
    }

    func run() async throws {
        let configuration = try ConfigurationLoader().load(path: config)
        let printer = ProgressPrinter(verbose: verbose, quiet: false)
        let report = try await CheckRun(configuration: configuration, progress: printer.sink).run(sources: sources)
        FileHandle.standardOutput.write(Data((format == "json" ? report.json : report.text).utf8))
        if report.exitStatus != .success {
            FileHandle.standardError.write(Data("Fix what the failed sources' lines say, then run check again (--source NAME checks just one).\n".utf8))
            throw ExitCode(report.exitStatus.rawValue)
        }
    }
}
