import ArgumentParser
import Foundation
import IDGraph

/// `idgraph review`: runs the rules on the latest graph and writes the reports.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Flag risky accounts and write the access-review reports.",
        discussion: """
            Runs every rule (the built-in ones under queries/rules and those of the \
            config's rules_dir) on the latest collected graph, stores the findings in \
            the database, and writes findings.csv, accounts.csv and access-review.html \
            into the output folder.

            Examples:
              idgraph review --config idgraph.yaml
              idgraph review --config idgraph.yaml --out q2-review --as-of 2025-06-30
              idgraph review --config idgraph.yaml --db /data/acme.sqlite --quiet
              idgraph review --config idgraph.yaml --campaign 2026-Q4

            Exit status: 0 success; 1 a rule failed (the others ran and the reports \
            were written); 2 bad usage or configuration.
            """)

    @Option(name: .customLong("config"), help: ArgumentHelp("The YAML configuration file.", valueName: "file"))
    var config: String

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The graph database (default: the config's 'database', else idgraph.sqlite beside the config file).", valueName: "path"))
    var database: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("The folder the reports are written to.", valueName: "dir"))
    var out = "idgraph-review"

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge activity and invitations as of the start of this day, 00:00 UTC (default: now).",
            valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp("Add this campaign's progress and revoke list to the page.", valueName: "name"))
    var campaign: String?

    @Flag(help: "Print only warnings and errors.")
    var quiet = false

    func run() async throws {
        let configuration = try ConfigurationLoader(requireCredentials: false).load(path: config)
        let asOf = try self.asOf.map { try Day.start(of: $0, option: "--as-of") } ?? Date()
        let path = DatabaseLocation.path(db: database, configuration: configuration)
        let store = try GraphStore.open(path: path, create: false)
        let result = try await ReviewReport.run(
            store: store, configuration: configuration, asOf: asOf,
            outputDirectory: URL(fileURLWithPath: out, isDirectory: true), campaign: campaign)
        for warning in result.outcome.warnings {
            printError("warning: \(warning)")
        }
        for error in result.outcome.ruleErrors {
            printError("error: \(error)")
        }
        if !quiet {
            let width = result.outcome.ruleRuns.map(\.rule.count).max() ?? 0
            for run in result.outcome.ruleRuns {
                let note = run.status == .ok ? String(format: "  (%.2f s)", run.seconds) : "  (\(run.status.rawValue))"
                print(run.rule + String(repeating: " ", count: width - run.rule.count + 2) + "\(run.findings)\(note)")
            }
            print("\(result.outcome.findings.count) findings as of \(Timestamp.string(from: asOf))")
            print("Report: \(result.html.path)")
        }
        if result.exitStatus != .success {
            throw ExitCode(result.exitStatus.rawValue)
        }
    }

    private func printError(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text) + "\n").utf8))
    }
}
