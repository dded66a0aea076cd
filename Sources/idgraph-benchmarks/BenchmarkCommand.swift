import ArgumentParser
import Foundation
import IDGraphSimulator

/// `idgraph-benchmarks`: prints each measurement next to its reference.
@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idgraph-benchmarks",
        abstract: "Measure idgraph at scale; each number is printed next to its reference from the same run.",
        discussion: """
            Build in release mode: the numbers of a debug build mean nothing.

            Examples:
              swift run -c release idgraph-benchmarks ingest --accounts 1000000
              swift run -c release idgraph-benchmarks review --graph /tmp/graph.sqlite
              swift run -c release idgraph-benchmarks all
            """
    )

    @Argument(help: "Which benchmark: ingest, review, simulator, collect, memory or all.")
    var which: String = "all"

    @Option(help: "Accounts to write in the ingest benchmark.")
    var accounts: Int = 200_000

    @Option(help: "Memberships per account in the ingest benchmark.")
    var memberships: Int = 3

    @Option(help: "Roster people in the review benchmark (five sources of as many accounts).")
    var people: Int = 100_000

    @Option(help: ArgumentHelp(
        "A database file for the review benchmark's synthetic graph: reused when it exists, written and kept when not.",
        valueName: "path"))
    var graph: String?

    @Option(help: "Roster people of the company the collect benchmark collects from the simulator.")
    var collectPeople: Int = 10_000

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("With 'peak-memory': the command to run and measure, after '--'.", visibility: .hidden))
    var measured: [String] = []

    func run() async throws {
        if which == "peak-memory" {
            try PeakMemory.run(measured)
        }
        print("| benchmark | what | rate | time | against reference |")
        print("|---|---|---|---|---|")
        if which == "ingest" || which == "all" {
            for line in try await IngestBenchmark(accounts: accounts, membershipsPerAccount: memberships).run() {
                print(line)
            }
        }
        if which == "simulator" || which == "all" {
            print("")
            print("Simulator, \(people) people:")
            print(try await benchmarkLargeCompany(size: people))
        }
        if which == "collect" || which == "all" {
            print("")
            print("Collect, \(collectPeople) people, rate limits on:")
            print(try await runCollectBenchmark(size: collectPeople))
        }
        if which == "memory" || which == "all" {
            for line in try await MemoryBenchmark(people: people).run() {
                print(line)
            }
        }
        if which == "review" || which == "all" {
            for line in try await ReviewBenchmark(people: people, accountsPerSource: people, graphPath: graph).run() {
                print(line)
            }
        }
    }
}
