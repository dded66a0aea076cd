import ArgumentParser
import Foundation
import GRDB
import IDGraph

/// `idgraph remediation`: from "revoke" to removed.
struct RemediationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediation",
        abstract: "Plan the removals a campaign decided, and verify them after the next collect.",
        discussion: """
            idgraph never removes anything: the plan lists, per account, the steps each vendor documents for an administrator (requests or admin-console actions) with what they leave behind, and a due date from 'remediation_sla_days'. After the administrators have acted and a collect has run, verify shows each item fixed, partly-fixed, still-present or unverifiable (see the README, "After the review: remediation").

            Examples:
              idgraph remediation plan --config idgraph.yaml --campaign 2026-Q4 --out plan
              idgraph collect --config idgraph.yaml
              idgraph remediation verify --config idgraph.yaml --campaign 2026-Q4
            """,
        subcommands: [RemediationPlanCommand.self, RemediationVerifyCommand.self])
}

struct RemediationPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the removal plan of a campaign's revoke and modify decisions.",
        discussion: """
            Writes remediation-plan.csv (or .json) with one row per revoke or modify decision: the source, account and person, the steps, the caveat, the due date and an empty ticket column; and jira-import.csv, one issue per row for Jira's CSV import. With --findings, undecided items with an orphaned or deactivated-with-access finding are planned too. A planned item keeps its due date when the plan is written again.

            Examples:
              idgraph remediation plan --config idgraph.yaml --campaign 2026-Q4 --out plan
              idgraph remediation plan --config idgraph.yaml --campaign 2026-Q4 \\
                --findings --format json --out plan
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The campaign whose decisions are planned.", valueName: "name"))
    var campaign: String

    @Option(name: .customLong("out"), help: ArgumentHelp("The folder the plan is written to.", valueName: "dir"))
    var out = "remediation"

    @Option(help: "Plan file format: csv or json.")
    var format: String = "csv"

    @Flag(help: "Also plan undecided items with an orphaned or deactivated-with-access finding.")
    var findings = false

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json, not '\(format)'.") }
    }

    func run() async throws {
        let (configuration, store) = try graph.open()
        let (campaign, entries) = try await Remediation.plan(
            store: store, configuration: configuration, campaign: campaign, includeFindings: findings)
        let files = try Remediation.writePlan(
            entries, campaign: campaign, json: format == "json", to: URL(fileURLWithPath: out, isDirectory: true))
        let bySource = Dictionary(grouping: entries, by: \.item.source).mapValues(\.count).sorted { $0.key < $1.key }
        print(TerminalText.escaped("\(entries.count) accounts to remediate for campaign \(campaign.name): " + bySource.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        for file in files { print(TerminalText.escaped(file.path)) }
        print(TerminalText.escaped("After the removals and a collect: idgraph remediation verify --config \(graph.config) --campaign \(campaign.name)"))
    }
}

struct RemediationVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check each planned removal against the latest collect.",
        discussion: """
            Each item is fixed (the account is gone, or deactivated with no memberships left; for modify, changed), partly-fixed (deactivated but still a member somewhere), still-present, or unverifiable (its source has not been collected since the campaign started, or its last collection failed), with the snapshot that showed it. Every check is stored; the remediation view shows the latest.

            Exit status: 0 nothing is overdue; 1 an item is still present, wholly or partly, after its due date; 2 bad usage.

            Examples:
              idgraph remediation verify --config idgraph.yaml --campaign 2026-Q4
              idgraph remediation verify --config idgraph.yaml --campaign 2026-Q4 \\
                --format csv
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The campaign whose removals are verified.", valueName: "name"))
    var campaign: String

    @Option(help: "Output format: table, csv or json.")
    var format: QueryFormat = .table


    func run() async throws {
        let (configuration, store) = try graph.open()
        let (campaign, checks) = try await Remediation.verify(store: store, configuration: configuration, campaign: campaign)
        let rows: [[DatabaseValue]] = checks.map { check in
            let item = check.entry.item
            return [
                item.item.databaseValue, item.source.databaseValue, item.accountID.databaseValue,
                (item.personEmail ?? item.email).databaseValue, check.entry.action.rawValue.databaseValue,
                check.check.state.databaseValue, check.entry.due.databaseValue, (check.overdue ? "overdue" : "").databaseValue,
                check.check.snapshotID.databaseValue, check.check.detail.databaseValue,
            ]
        }
        let result = QueryResult(
            columns: ["item", "source", "account_id", "person", "action", "state", "due", "overdue", "snapshot", "detail"],
            rows: rows)
        FileHandle.standardOutput.write(Data(format.render(result).utf8))
        if format == .table {
            let counts = Dictionary(grouping: checks, by: \.check.state).mapValues(\.count)
            let summary = ["fixed", "partly-fixed", "still-present", "unverifiable"].map { "\(counts[$0] ?? 0) \($0)" }
            print(TerminalText.escaped("\(campaign.name): " + summary.joined(separator: ", ") + "; \(checks.filter(\.overdue).count) overdue."))
        }
        if checks.contains(where: \.overdue) {
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
