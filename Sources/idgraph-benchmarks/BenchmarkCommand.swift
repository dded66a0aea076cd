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
            """,
        subcommands: [
            AllBenchmarks.self, IngestBenchmarkCommand.self, ReviewBenchmarkCommand.self, SimulatorBenchmarkCommand.self,
            CollectBenchmarkCommand.self, MemoryBenchmarkCommand.self, PeakMemoryCommand.self,
        ],
        defaultSubcommand: AllBenchmarks.self
    )

    /// The table header every benchmark's lines go under.
    static func printHeader() {
        print("| benchmark | what | rate | time | against reference |")
        print("|---|---|---|---|---|")
    }
}

/// The size of the company the review, memory and simulator benchmarks use.
struct PeopleOption: ParsableArguments {
    @Option(help: "Roster people (the review benchmark: five sources of as many accounts).")
    var people: Int = 100_000
}

struct IngestBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Write accounts and memberships through the store, against the raw SQLite C API.")

    @Option(help: "Accounts to write.")
    var accounts: Int = 200_000

    @Option(help: "Memberships per account.")
    var memberships: Int = 3

    func run() async throws {
        BenchmarkCommand.printHeader()
        for line in try await IngestBenchmark(accounts: accounts, membershipsPerAccount: memberships).run() { print(line) }
    }
}

struct ReviewBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Review a synthetic graph: each rule and each stage, and the page in a browser.")

    @OptionGroup var size: PeopleOption

    @Option(help: ArgumentHelp(
        "A database file for the synthetic graph: reused when it exists, written and kept when not.",
        valueName: "path"))
    var graph: String?

    func run() async throws {
        BenchmarkCommand.printHeader()
        for line in try await ReviewBenchmark(people: size.people, accountsPerSource: size.people, graphPath: graph).run() {
            print(line)
        }
    }
}

struct SimulatorBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator", abstract: "Generate a company and list it from the simulated APIs.")

    @OptionGroup var size: PeopleOption

    func run() async throws {
        print("Simulator, \(size.people) people:")
        print(try await benchmarkLargeCompany(size: size.people))
    }
}

struct CollectBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect", abstract: "Collect a company from the simulator, rate limits on.")

    @Option(help: "Roster people of the company collected.")
    var collectPeople: Int = 10_000

    func run() async throws {
        print("Collect, \(collectPeople) people, rate limits on:")
        print(try await runCollectBenchmark(size: collectPeople))
    }
}

struct MemoryBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Peak resident memory of collect and review, each in a process of its own.")

    @OptionGroup var size: PeopleOption

    func run() async throws {
        BenchmarkCommand.printHeader()
        for line in try await MemoryBenchmark(people: size.people).run() { print(line) }
    }
}

struct AllBenchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every benchmark in turn.")

    @OptionGroup var size: PeopleOption

    @Option(help: "Accounts to write in the ingest benchmark.")
    var accounts: Int = 200_000

    @Option(help: "Roster people of the company the collect benchmark collects.")
    var collectPeople: Int = 10_000

    func run() async throws {
        BenchmarkCommand.printHeader()
        for line in try await IngestBenchmark(accounts: accounts, membershipsPerAccount: 3).run() { print(line) }
        print("")
        print("Simulator, \(size.people) people:")
        print(try await benchmarkLargeCompany(size: size.people))
        print("")
        print("Collect, \(collectPeople) people, rate limits on:")
        print(try await runCollectBenchmark(size: collectPeople))
        for line in try await MemoryBenchmark(people: size.people).run() { print(line) }
        for line in try await ReviewBenchmark(people: size.people, accountsPerSource: size.people, graphPath: nil).run() {
            print(line)
        }
    }
}

/// `peak-memory -- COMMAND…`, the memory benchmark's measuring child (``PeakMemory``).
struct PeakMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak-memory", abstract: "Run a command and print its peak resident memory in KiB.",
        shouldDisplay: false)

    @Argument(parsing: .postTerminator, help: "The command to run and measure, after '--'.")
    var measured: [String] = []

    func run() throws {
        try PeakMemory.run(measured)
    }
}
