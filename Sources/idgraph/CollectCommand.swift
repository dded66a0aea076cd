import ArgumentParser
import Foundation
import IDGraph

/// `idgraph collect`: pulls every source (or the named ones) into a new snapshot.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Pull every configured source into a new snapshot of the graph.",
        discussion: """
            Sources are collected concurrently. A source that fails keeps its last good data, \
            marked stale; the others are stored, and the command exits 1. Run check first to \
            see that every source's credentials work.

            Examples:
              idgraph collect --config idgraph.yaml
              idgraph collect --config idgraph.yaml --source hr --source proofhub
              idgraph collect --config idgraph.yaml --db /secure/reviews/q3.sqlite --verbose
            """
    )

    @Option(name: .long, help: "The YAML configuration file (see the README, \"Configuration\").")
    var config: String

    @Option(name: .long, help: "The graph database; overrides 'database:' in the configuration.")
    var db: String?

    @Option(name: .customLong("source"), help: "Collect only this source (repeatable); the others keep their data.")
    var sources: [String] = []

    @Flag(name: .long, help: "Print nothing but errors and the summary.")
    var quiet = false

    @Flag(name: .long, help: "Log every HTTP request (method, path without secrets, status, time).")
    var verbose = false

    @Flag(name: .long, help: "Store a roster that lists no people (by default that fails the roster source).")
    var allowEmpty = false

    func run() async throws {
        let configuration = try ConfigurationLoader().load(path: config)
        let path = DatabaseLocation.path(db: db, configuration: configuration)
        let store = try GraphStore.open(path: path)
        let printer = ProgressPrinter(verbose: verbose, quiet: quiet)
        var run = CollectionRun(configuration: configuration, store: store, progress: printer.sink)
        run.allowEmptyRoster = allowEmpty
        let report = try await run.run(sources: sources)
        for outcome in report.outcomes {
            print(TerminalText.escaped(outcome.summary))
        }
        for outcome in report.outcomes {
            for warning in outcome.warnings {
                FileHandle.standardError.write(Data("warning: \(TerminalText.escaped("\(outcome.source): \(warning)"))\n".utf8))
            }
        }
        for error in report.outcomes.compactMap(\.error) + [report.error].compactMap({ $0 }) {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error))\n".utf8))
        }
        if report.exitStatus != .success {
            FileHandle.standardError.write(Data("Failed sources keep their last good data, marked stale. Fix the cause above and run collect again (--source NAME retries just one).\n".utf8))
            throw ExitCode(report.exitStatus.rawValue)
        }
    }
}

/// Where the graph database is: `--db`, else the config's `database:`, else
/// `idgraph.sqlite` beside the config file.
enum DatabaseLocation {
    static func path(db: String?, configuration: Configuration) -> String {
        if let db { return db }
        if let database = configuration.database { return database.path }
        return configuration.file.deletingLastPathComponent().appendingPathComponent("idgraph.sqlite").path
    }
}
