import ArgumentParser
import Foundation
import IDGraph

/// `idgraph evidence`: a pack an auditor re-verifies offline, and its verification.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Write an evidence pack an auditor can re-verify offline, or verify one.",
        discussion: """
            'idgraph evidence --out DIR' (the 'create' subcommand) writes the pack of a review; 'idgraph evidence verify DIR' re-checks one with nothing but the pack (see the README, "Evidence for auditors").
            """,
        subcommands: [EvidenceCreateCommand.self, EvidenceVerifyCommand.self],
        defaultSubcommand: EvidenceCreateCommand.self)
}

struct EvidenceCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write the evidence pack of a review into a new folder.",
        discussion: """
            The pack holds the population per source (what each API reported, what its listing gave, what was stored), accounts.csv, findings.csv, the access review page, the rules' SQL and parameters.json exactly as the review ran them, the configuration with every credential redacted, the collect and review records, the request journal, decisions.csv when a campaign is named, leavers.csv when a period is given, a read-only copy of the graph (graph.sqlite) and manifest.json with the SHA-256 and size of every file. The pack is verified as soon as it is written. Hand the auditor the manifest's SHA-256, printed at the end, separately from the pack.

            A source that was stale or never collected, or whose listing gave fewer or more accounts than its API reported, makes the pack incomplete: it is written, and exits 1, unless --accept-incomplete records why it is accepted.

            Exit status: 0 the pack was written and verifies; 1 it was written but is incomplete or does not verify; 2 bad usage (no review, an unknown campaign, a folder that is not empty).

            Examples:
              idgraph evidence --config idgraph.yaml --out q4-evidence
              idgraph evidence --config idgraph.yaml --campaign 2026-Q4 \\
                --out q4-evidence --from 2026-10-01 --to 2026-12-31
              idgraph evidence --config idgraph.yaml --review-run 12 \\
                --out run-12-evidence \\
                --accept-incomplete "Streak was down; its 11-13 data was reviewed"
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The new folder to write the pack into.", valueName: "folder"))
    var out: String

    @Option(help: ArgumentHelp("Pack this campaign: its review, and its decisions.", valueName: "name"))
    var campaign: String?

    @Option(name: .customLong("review-run"), help: ArgumentHelp("Pack this review run (default: the latest).", valueName: "id"))
    var reviewRun: Int64?

    @Option(
        name: .customLong("accept-incomplete"),
        help: ArgumentHelp("Why an incomplete population is accepted; recorded in the manifest.", valueName: "reason"))
    var acceptIncomplete: String?

    @Option(help: ArgumentHelp("Include leavers.csv for people terminated from this day (UTC).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("The last termination day of the leavers' period, included.", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(
        name: .customLong("sla-days"),
        help: ArgumentHelp("Days after the termination day by whose end access must be gone.", valueName: "days"))
    var slaDays = LeaverReport.defaultSLADays

    @Flag(help: "Print only the verification and the manifest's SHA-256.")
    var quiet = false

    func validate() throws {
        if campaign != nil, reviewRun != nil {
            throw ValidationError("Give --campaign or --review-run, not both: a campaign names its own review.")
        }
        if (from == nil) != (to == nil) {
            throw ValidationError("Give both --from and --to for the leavers' period, or neither.")
        }
        for (name, day) in [("--from", from), ("--to", to)] {
            if let day, !Day.isValid(day) {
                throw ValidationError("\(name) must be a day as YYYY-MM-DD, for example 2026-10-01, not '\(day)'.")
            }
        }
        if let from, let to, from > to {
            throw ValidationError("--from (\(from)) is after --to (\(to)). Give the period's first day as --from.")
        }
        if let acceptIncomplete, acceptIncomplete.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--accept-incomplete needs the reason the incomplete population is accepted.")
        }
    }

    func run() async throws {
        let (configuration, store) = try graph.open(forReading: true)
        var options = EvidencePack.Options(
            folder: URL(fileURLWithPath: out), toolVersion: IDGraphVersion.current,
            commandLine: (["idgraph"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        options.selection = campaign.map { .campaign($0) } ?? reviewRun.map { .reviewRun($0) } ?? .latestReview
        options.acceptIncomplete = acceptIncomplete
        if let from, let to { options.leavers = (from, to, slaDays) }
        if !quiet {
            options.progress = { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        }
        let result = try await EvidencePack.make(store: store, configuration: configuration, options: options)
        let manifest = result.manifest
        print("Evidence pack of review run \(manifest.reviewRunID) (as of \(manifest.asOf))\(manifest.campaign.map { ", campaign '\($0)'" } ?? "") in \(out): \(manifest.files.count + 1) files.")
        EvidenceVerifyCommand.printVerification(result.verification)
        print("manifest.json SHA-256: \(result.manifestSHA256)")
        print("Hand the auditor this SHA-256 separately; they check the pack with: idgraph evidence verify \(out)")
        if !result.verification.ok { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}

struct EvidenceVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-verify an evidence pack with nothing but the pack.",
        discussion: """
            Re-hashes every file against manifest.json; opens graph.sqlite read-only and runs SQLite's integrity check; re-runs the pack's rule files with parameters.json on the graph as the review read it and compares the findings row for row with findings.csv; re-counts the population per source and compares it with population.csv; re-derives accounts.csv and decisions.csv; checks that decisions cover every campaign item, and that an incomplete population records why it was accepted. No configuration, credential or network is needed.

            Exit status: 0 every check holds; 1 a file or row differs (each is named); 2 the folder is not an evidence pack.

            Examples:
              idgraph evidence verify q4-evidence
              sha256sum q4-evidence/manifest.json   # the SHA-256 you were given?
            """)

    @Argument(help: ArgumentHelp("The pack's folder.", valueName: "folder"))
    var folder: String

    func run() async throws {
        let verification = try await EvidenceVerifier.verify(URL(fileURLWithPath: folder))
        if let manifest = verification.manifest {
            print("Evidence pack of review run \(manifest.reviewRunID) (as of \(manifest.asOf)), made \(manifest.createdAt) by idgraph \(manifest.toolVersion).")
        }
        Self.printVerification(verification)
        if !verification.ok { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    static func printVerification(_ verification: EvidenceVerification) {
        for check in verification.checks { print("  ok    \(TerminalText.escaped(check))") }
        for problem in verification.problems { print("  FAIL  \(TerminalText.escaped(problem))") }
        print(verification.ok ? "VERIFIED: every check holds." : "NOT VERIFIED: \(verification.problems.count) problem\(verification.problems.count == 1 ? "" : "s") above.")
    }
}
