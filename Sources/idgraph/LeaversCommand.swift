import ArgumentParser
import Foundation
import IDGraph

/// `idgraph leavers`: leavers, proven per app.
struct LeaversCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leavers",
        abstract: "Show, per leaver and app, when access was removed and whether that met the SLA.",
        discussion: """
            For every person the roster shows as terminated with a termination day from --from to --to, and every source where they had an account, it shows the last collect in which the account had access (listed and not deactivated), the first after it in which it no longer did, and the SLA verdict: met (no access by the end of the termination day plus --sla-days), missed (access seen after that), unknown (access before the deadline and none after it, or no collect of the source since the termination; the note says how often to collect to tell) or still-has-access (the latest collect shows access). Only the stored history is read; no SaaS credentials are needed (see the README, "Leavers, proven per app").

            Exit status: 0 no leaver is overdue; 1 an account was removed late, or still has access after its deadline; 2 bad usage.

            Examples:
              idgraph leavers --config idgraph.yaml --from 2026-10-01 --to 2026-12-31
              idgraph leavers --config idgraph.yaml --from 2026-10-01 --to 2026-12-31 \\
                --sla-days 1 --format csv > leavers.csv
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The first termination day of the period (UTC).", valueName: "YYYY-MM-DD"))
    var from: String

    @Option(help: ArgumentHelp("The last termination day of the period, included (UTC).", valueName: "YYYY-MM-DD"))
    var to: String

    @Option(
        name: .customLong("sla-days"),
        help: ArgumentHelp("Days after the termination day by whose end access must be gone.", valueName: "days"))
    var slaDays = LeaverReport.defaultSLADays

    @Option(help: "Output format: table, csv or json.")
    var format: QueryFormat = .table

    func validate() throws {
        for (name, day) in [("--from", from), ("--to", to)] where !Day.isValid(day) {
            throw ValidationError("\(name) must be a day as YYYY-MM-DD, for example 2026-10-01, not '\(day)'.")
        }
        guard from <= to else {
            throw ValidationError("--from (\(from)) is after --to (\(to)). Give the period's first day as --from.")
        }
        guard slaDays >= 0 else {
            throw ValidationError("--sla-days must be 0 or more days, not \(slaDays).")
        }
    }

    func run() async throws {
        let (_, store) = try graph.open(forReading: true)
        let report = try await LeaverReport.run(store: store, from: from, to: to, slaDays: slaDays)
        FileHandle.standardOutput.write(Data(format.render(report.result).utf8))
        if format == .table {
            print(TerminalText.escaped(report.summary))
        }
        if report.overdue {
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
