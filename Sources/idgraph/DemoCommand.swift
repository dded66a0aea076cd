import ArgumentParser
import Foundation
import IDGraph
import IDGraphSimulator

/// `idgraph demo`: the whole job on a generated company, with no set-up.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole access review on a generated company against simulated SaaS APIs.",
        discussion: """
            Starts simulated Process Street, ProofHub, Streak, ProcessMaker and Procore APIs on \
            loopback (rate limits and a few faults included), writes an HR roster and a config \
            for a generated company into the output folder, collects, reviews, and writes the \
            reports there. It then starts a review campaign named 'demo' and writes its worksheets \
            into the folder's worksheets/.

            Examples:
              idgraph demo
              idgraph demo --out /tmp/acme --size 2000 --seed 7
              idgraph demo --faults "" --quiet       # no injected faults, only the summary
            """
    )

    /// The review campaign the demo starts.
    static let campaignName = "demo"

    /// Faults the demo injects by default: every collector survives them.
    static let defaultFaults = "truncated-body@proofhub=3,html-503@processmaker=4"

    @Option(help: "The folder for the roster, config, database and reports.")
    var out: String = "idgraph-demo"

    @OptionGroup var generated: CompanyOptions

    @Option(help: "Fault switches for the simulated APIs (see 'idgraph simulate --help').")
    var faults: String = defaultFaults

    @Flag(help: "Print only the summary.")
    var quiet = false

    func validate() throws {
        _ = try CompanyOptions.simulatorOptions(faults: faults)
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true).standardizedFileURL
        // A previous demo's database would mix two companies in one graph.
        for name in ["idgraph.sqlite", "idgraph.sqlite-wal", "idgraph.sqlite-shm"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        // Nor may its worksheets sit beside this one's.
        let oldWorksheets = folder.appendingPathComponent("worksheets", isDirectory: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: oldWorksheets.path)) ?? [] where name.hasPrefix("worksheet-") {
            try? FileManager.default.removeItem(at: oldWorksheets.appendingPathComponent(name))
        }
        let company = generated.company
        let cluster = try await SimulatorCluster.start(company: company, options: try CompanyOptions.simulatorOptions(faults: faults))
        do {
            let configFile = try cluster.writeFiles(to: folder)
            let environment = ProcessInfo.processInfo.environment.merging(company.credentials) { _, demo in demo }
            let configuration = try ConfigurationLoader(environment: environment).load(path: configFile.path)
            let store = try GraphStore.open(path: DatabaseLocation.path(db: nil, configuration: configuration))
            let printer = ProgressPrinter(verbose: false, quiet: quiet)

            let collection = try await CollectionRun(configuration: configuration, store: store, progress: printer.sink).run()
            let review = try await ReviewReport.run(store: store, configuration: configuration, outputDirectory: folder)
            await cluster.stop()
            // A review campaign over the same graph, with a worksheet per reviewer.
            let due = Timestamp.day(from: Date().addingTimeInterval(14 * 86_400))
            let campaign = try await CampaignStart.run(
                store: store, configuration: configuration, name: Self.campaignName, due: due, sources: [], allowStale: nil)
            let worksheetsFolder = folder.appendingPathComponent("worksheets", isDirectory: true)
            let worksheets = try await Worksheets.write(store: store, campaign: Self.campaignName, to: worksheetsFolder)

            let accounts = collection.outcomes.reduce(0) { $0 + $1.stats.accounts }
            print("Collected the HR roster and \(accounts) accounts from five simulated systems:")
            for outcome in collection.outcomes {
                print("  " + outcome.summary)
                for warning in outcome.warnings { print("    warning: \(warning)") }
            }
            print("Findings:")
            for run in review.outcome.ruleRuns { print("  \(run.rule): \(run.findings)") }
            for warning in review.outcome.warnings { print("  warning: \(warning)") }
            print("")
            print("Reports in \(folder.path): findings.csv, accounts.csv")
            print("Open the access review: \(review.html.path)")
            let database = Invocation.quoted(folder.appendingPathComponent("idgraph.sqlite").path)
            print("Query the graph: \(Invocation.command) query --db \(database) \"SELECT * FROM findings LIMIT 10\"")
            print("Review again: \(Invocation.command) review --config \(Invocation.quoted(configFile.path)) --out \(Invocation.quoted(folder.path))")
            print("Campaign '\(Self.campaignName)' started: \(campaign.items.count) items for \(worksheets.count) reviewers, due \(due).")
            print("Worksheets (a .csv to fill in and a .html to print, per reviewer): \(worksheetsFolder.path)")
            print("Import filled-in worksheets: \(Invocation.command) campaign import \(Self.campaignName) --config \(Invocation.quoted(configFile.path)) \(Invocation.quoted(worksheetsFolder.path))/*.csv")
            let status = collection.exitStatus == .success ? review.exitStatus : collection.exitStatus
            if status != .success { throw ExitCode(status.rawValue) }
        } catch {
            await cluster.stop()
            throw error
        }
    }
}
