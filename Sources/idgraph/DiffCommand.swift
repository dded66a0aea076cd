import ArgumentParser
import Foundation
import IDGraph

/// `idgraph diff`: what changed between two snapshots, or since a campaign.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two snapshots, or since a campaign froze its items.",
        discussion: """
            Writes diff.csv (or diff.json) and a self-contained diff.html into --out, and prints a summary. Changes: joiners and leavers, reactivated, deactivated and other status changes, new and removed admins, role, email and membership changes per account and container, and roster people terminated, rehired, added, removed or with a new manager. A snapshot stands for each source's latest good data collected in it or before it; a source collected on one side only is one source-added or source-removed row, not a joiner or leaver per account. With --from campaign:NAME the earlier side is that campaign's frozen items (memberships compared by name), and each row carries the campaign's decision on the account. No SaaS credentials are needed (see the README, "What changed since last quarter").

            Exit status: 0 the diff was written, changes or not; 2 an unknown snapshot or campaign, or bad usage.

            Examples:
              idgraph query "SELECT * FROM snapshots"
              idgraph diff --config idgraph.yaml --from 3 --out q4-diff
              idgraph diff --config idgraph.yaml --from campaign:2026-Q3 --to 7 \\
                --out q4-diff --format json
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The earlier state: a snapshot id, or campaign:NAME.", valueName: "snapshot"))
    var from: String

    @Option(help: ArgumentHelp("The later snapshot id (default: the latest).", valueName: "snapshot"))
    var to: Int64?

    @Option(name: .customLong("out"), help: ArgumentHelp("The folder the diff is written to.", valueName: "dir"))
    var out = "diff"

    @Option(help: "Change list format: csv or json (diff.html is always written).")
    var format: String = "csv"

    func validate() throws {
        guard DiffSide(argument: from) != nil else {
            throw ValidationError("--from must be a snapshot id (see the snapshots view) or campaign:NAME, not '\(from)'.")
        }
        if let to, to <= 0 { throw ValidationError("--to must be a snapshot id (see the snapshots view), not '\(to)'.") }
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json, not '\(format)'.") }
    }

    func run() async throws {
        let (configuration, store) = try graph.open(forReading: true)
        let diff = try await GraphDiff.run(store: store, configuration: configuration, from: DiffSide(argument: from)!, to: to)
        let files = try diff.write(to: URL(fileURLWithPath: out, isDirectory: true), json: format == "json")
        print(TerminalText.escaped(diff.headline))
        if !diff.changes.isEmpty {
            print(TerminalText.escaped("  " + diff.counts.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")))
        }
        for note in diff.notes { print(TerminalText.escaped("  note: " + note)) }
        for file in files { print(TerminalText.escaped(file.path)) }
    }
}
