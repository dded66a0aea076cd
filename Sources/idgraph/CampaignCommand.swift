import ArgumentParser
import Foundation
import GRDB
import IDGraph

/// `idgraph campaign`: a review campaign, from frozen scope to signed-off decisions.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Run an access review campaign: freeze the scope, send worksheets, import decisions, close.",
        discussion: """
            A campaign freezes the access list of the current graph, one item per account, each with its findings and a reviewer: the person's manager, else the source's 'reviewer', else 'fallback_reviewer', passing over anyone who would review their own account, is not an active roster person, or is an admin of the same source reviewing an admin. Later collects never change the items. No SaaS credentials are needed (see the README, "Running a quarterly review").

            Examples:
              idgraph campaign start --config idgraph.yaml --name 2026-Q4 --due 2026-12-15
              idgraph campaign worksheets 2026-Q4 --config idgraph.yaml --out worksheets
              idgraph campaign import 2026-Q4 --config idgraph.yaml worksheets/*.csv
              idgraph campaign status 2026-Q4 --config idgraph.yaml
              idgraph campaign close 2026-Q4 --config idgraph.yaml --undecided leave
            """,
        subcommands: [
            CampaignStartCommand.self, CampaignWorksheetsCommand.self, CampaignImportCommand.self,
            CampaignStatusCommand.self, CampaignDelegateCommand.self, CampaignCloseCommand.self,
        ])
}

/// The configuration and database every campaign command takes.
struct GraphOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The YAML configuration file.", valueName: "file"))
    var config: String

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The graph database (default: the config's 'database', else idgraph.sqlite beside the config file).",
            valueName: "path"))
    var database: String?

    /// The configuration, without needing credentials, and the graph, which must exist. A command
    /// that only reads the graph opens it `forReading`: it then runs while a collect or review
    /// writes to it (``GraphStore/openForReading(path:)``).
    func open(forReading: Bool = false) throws -> (IDGraph.Configuration, GraphStore) {
        let configuration = try ConfigurationLoader(requireCredentials: false).load(path: config)
        let path = DatabaseLocation.path(db: database, configuration: configuration)
        let store = forReading ? try GraphStore.openForReading(path: path) : try GraphStore.open(path: path, create: false)
        return (configuration, store)
    }
}

struct CampaignStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Freeze the current graph into a new campaign.",
        discussion: """
            Runs the rules, then stores one item per account of the sources in scope (all API sources unless --source is given) with its memberships, role, admin flag, last activity, findings and reviewer. Refuses to start while a source in scope is stale or was never collected, unless --allow-stale gives the reason, which is recorded.

            Examples:
              idgraph campaign start --config idgraph.yaml --name 2026-Q4 --due 2026-12-15
              idgraph campaign start --config idgraph.yaml --name Q4-pc --source procore
              idgraph campaign start --config idgraph.yaml --name 2027-Q1 \\
                --carry-forward 2026-Q4
              idgraph campaign start --config idgraph.yaml --name 2026-Q4 \\
                --allow-stale "Streak was down; its 11-20 data was reviewed"
            """)

    @OptionGroup var graph: GraphOptions

    @Option(help: ArgumentHelp("The campaign's unique name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The day decisions are due (UTC).", valueName: "YYYY-MM-DD"))
    var due: String?

    @Option(name: .customLong("source"), help: ArgumentHelp("Review only this source (repeatable).", valueName: "name"))
    var sources: [String] = []

    @Option(name: .customLong("allow-stale"), help: ArgumentHelp("Start although a source in scope is stale, for this recorded reason.", valueName: "reason"))
    var allowStale: String?

    @Option(
        name: .customLong("carry-forward"),
        help: ArgumentHelp(
            "Pre-decide keep for items unchanged since a keep in this closed campaign (never admins or flagged items).",
            valueName: "campaign"))
    var carryForward: String?

    func validate() throws {
        if let due, !Day.isValid(due) {
            throw ValidationError("--due must be a day as YYYY-MM-DD, not '\(due)'.")
        }
        if let allowStale, allowStale.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--allow-stale needs the reason, which is recorded.")
        }
    }

    func run() async throws {
        let (configuration, store) = try graph.open()
        let result = try await CampaignStart.run(
            store: store, configuration: configuration, name: name, due: due, sources: sources, allowStale: allowStale,
            carryForward: carryForward)
        let reviewers = Set(result.items.compactMap(\.reviewer)).count
        let flagged = result.items.filter { !$0.findings.isEmpty }.count
        print(TerminalText.escaped("Campaign \(result.campaign.name) started: \(result.items.count) items (\(flagged) with findings) from \(result.campaign.sources.joined(separator: ", ")), \(reviewers) reviewers\(result.campaign.due.map { ", due \($0)" } ?? "")."))
        if let carryForward {
            print(TerminalText.escaped("\(result.carried) items kept as decided in \(carryForward) (unchanged, not admin, no findings)."))
        }
        print(TerminalText.escaped("Next: idgraph campaign worksheets \(result.campaign.name) --config \(graph.config) --out worksheets"))
    }
}

struct CampaignWorksheetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worksheets",
        abstract: "Write one CSV and one printable HTML page per reviewer.",
        discussion: """
            The CSV lists the reviewer's items with empty 'decision' and 'reason' columns (or the latest decision, when one was imported) and a fingerprint of the frozen values of each row; the HTML page shows the same items with what to do. File names are made safe from the reviewer's email.

            Examples:
              idgraph campaign worksheets 2026-Q4 --config idgraph.yaml --out worksheets
            """)

    @OptionGroup var graph: GraphOptions

    @Argument(help: "The campaign's name.")
    var name: String

    @Option(name: .customLong("out"), help: ArgumentHelp("The folder the worksheets are written to.", valueName: "dir"))
    var out = "worksheets"

    func run() async throws {
        let (_, store) = try graph.open(forReading: true)
        let files = try await Worksheets.write(store: store, campaign: name, to: URL(fileURLWithPath: out, isDirectory: true))
        for file in files {
            print(TerminalText.escaped("\(file.reviewer.isEmpty ? "(unassigned)" : file.reviewer): \(file.items) items, \(file.decided) decided  \(file.csv.path)"))
        }
        print("\(files.count) worksheets in \(TerminalText.escaped(out)) (a .csv to fill in and a .html to read or print, per reviewer).")
    }
}

struct CampaignImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check and store the decisions of filled-in worksheets.",
        discussion: """
            Each file is taken whole or refused whole: an unknown or repeated item, a changed frozen value or fingerprint, a row of an item another reviewer holds, an unknown decision or a missing reason refuses the file, naming file and line, and nothing of it is stored. Decisions are keep, revoke, modify or dont-know; a reason is required for revoke and modify, and for keep on an admin or flagged account. Importing the same file again changes nothing.

            Exit status: 0 every file was taken; 2 a file was refused or the campaign is closed.

            Examples:
              idgraph campaign import 2026-Q4 --config idgraph.yaml worksheets/*.csv
            """)

    @OptionGroup var graph: GraphOptions

    @Argument(help: "The campaign's name.")
    var name: String

    @Argument(help: "The worksheet CSV files.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one worksheet CSV to import.") }
    }

    func run() async throws {
        let (_, store) = try graph.open()
        let results = try await DecisionImport.run(store: store, campaign: name, files: files)
        var refused = 0
        for result in results {
            if result.problems.isEmpty {
                print(TerminalText.escaped("\(result.file): \(result.added) decisions stored, \(result.unchanged) unchanged, \(result.open) rows left open"))
            } else {
                refused += 1
                FileHandle.standardError.write(Data(TerminalText.escaped("\(result.file): refused, nothing stored from it:").utf8 + [10]))
                for problem in result.problems.prefix(50) {
                    FileHandle.standardError.write(Data(("  " + TerminalText.escaped(problem) + "\n").utf8))
                }
                if result.problems.count > 50 {
                    FileHandle.standardError.write(Data("  … and \(result.problems.count - 50) more\n".utf8))
                }
            }
        }
        if refused > 0 {
            FileHandle.standardError.write(Data("\(refused) of \(results.count) files refused. Fix them and import them again.\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}

struct CampaignStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per reviewer, the items assigned, decided and left.",
        discussion: """
            Exit status: 0 on track or done; 1 past the due day with items left; 2 bad usage.

            Examples:
              idgraph campaign status 2026-Q4 --config idgraph.yaml
              idgraph campaign status 2026-Q4 --config idgraph.yaml --format csv
            """)

    @OptionGroup var graph: GraphOptions

    @Argument(help: "The campaign's name.")
    var name: String

    @Option(help: "Output format: table, csv or json.")
    var format: QueryFormat = .table


    func run() async throws {
        let (_, store) = try graph.open(forReading: true)
        let report = try await CampaignProgress.report(store: store, campaign: name)
        let rows: [[DatabaseValue]] = report.lines.map { line in
            [line.reviewer.isEmpty ? .null : line.reviewer.databaseValue, line.assigned.databaseValue,
             line.decided.databaseValue, line.left.databaseValue, (line.overdue ? "overdue" : "").databaseValue]
        }
        let result = QueryResult(columns: ["reviewer", "assigned", "decided", "left", "overdue"], rows: rows)
        FileHandle.standardOutput.write(Data(format.render(result).utf8))
        if format == .table {
            let percent = report.assigned == 0 ? 100 : report.decided * 100 / report.assigned
            print(TerminalText.escaped("\(report.campaign.name) (\(report.campaign.status)): \(report.decided) of \(report.assigned) items decided (\(percent)%), \(report.removals.count) to revoke or modify\(report.campaign.due.map { ", due \($0)" } ?? "")."))
        }
        if report.overdue && report.campaign.isOpen {
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}

struct CampaignDelegateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delegate",
        abstract: "Move a reviewer's undecided items to someone else.",
        discussion: """
            The delegate must be an active roster person; items that would be their own account, or an admin account of a source they administer, stay with the first reviewer. The move and its reason are recorded.

            Examples:
              idgraph campaign delegate 2026-Q4 --config idgraph.yaml \\
                --from ana@acme.com --to raj@acme.com --reason "Ana is on leave"
            """)

    @OptionGroup var graph: GraphOptions

    @Argument(help: "The campaign's name.")
    var name: String

    @Option(help: ArgumentHelp("The reviewer who holds the items.", valueName: "email"))
    var from: String

    @Option(help: ArgumentHelp("The reviewer to move them to.", valueName: "email"))
    var to: String

    @Option(help: ArgumentHelp("Why; recorded with the move.", valueName: "text"))
    var reason: String

    func run() async throws {
        let (configuration, store) = try graph.open()
        let (moved, kept) = try await CampaignProgress.delegate(
            store: store, configuration: configuration, campaign: name, from: from, to: to, reason: reason)
        print(TerminalText.escaped("\(moved) items moved from \(from) to \(to)."))
        for item in kept {
            print(TerminalText.escaped("  item \(item.item) stays with \(from): \(item.why)"))
        }
        print(TerminalText.escaped("Write the worksheets again for both reviewers: idgraph campaign worksheets \(name) --config \(graph.config)"))
    }
}

struct CampaignCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close the campaign; imports after it are refused.",
        discussion: """
            --undecided says what becomes of items still undecided: keep or revoke records that decision for each, by "campaign close" with the reason; leave leaves them undecided (status and the evidence show them).

            Examples:
              idgraph campaign close 2026-Q4 --config idgraph.yaml --undecided leave
            """)

    @OptionGroup var graph: GraphOptions

    @Argument(help: "The campaign's name.")
    var name: String

    @Option(help: ArgumentHelp("What becomes of undecided items: keep, revoke or leave.", valueName: "keep|revoke|leave"))
    var undecided: String

    func validate() throws {
        guard ["keep", "revoke", "leave"].contains(undecided) else {
            throw ValidationError("--undecided must be keep, revoke or leave, not '\(undecided)'.")
        }
    }

    func run() async throws {
        let (_, store) = try graph.open()
        let open = try await CampaignProgress.close(store: store, campaign: name, undecided: undecided)
        let what = undecided == "leave" ? "left undecided" : "recorded as \(undecided)"
        print(TerminalText.escaped("Campaign \(name) closed; \(open) undecided items \(what)."))
    }
}
