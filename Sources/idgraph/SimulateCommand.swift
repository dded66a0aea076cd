import ArgumentParser
import Foundation
import IDGraphSimulator

/// `idgraph simulate`: serves a generated company from the five simulated SaaS APIs until interrupted.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve simulated Process Street, ProofHub, Streak, ProcessMaker and Procore APIs for a generated company.",
        discussion: """
            Writes roster.csv and idgraph.yaml into --out, starts the five simulated APIs on loopback ports, \
            prints how to collect from them, and serves until Ctrl-C.

            Examples:
              idgraph simulate
              idgraph simulate --size 5000 --seed 7 --out /tmp/acme
              idgraph simulate --faults html-503@procore=4,truncated-body=9,refuse=streak

            \(SimulatorOptions.faultListHelp)
            """)

    @OptionGroup var generated: CompanyOptions

    @Option(help: "Comma-separated fault switches, e.g. 'html-503@procore=4,slow=800,refuse=streak' (see below).")
    var faults: String = ""

    @Option(help: "Directory for roster.csv and idgraph.yaml (created if missing).")
    var out: String = "idgraph-sim"

    func validate() throws {
        _ = try CompanyOptions.simulatorOptions(faults: faults)
    }

    func run() async throws {
        let options = try CompanyOptions.simulatorOptions(faults: faults)
        let cluster = try await SimulatorCluster.start(company: generated.company, options: options)
        let config = try cluster.writeFiles(to: URL(fileURLWithPath: out, isDirectory: true))
        // Written unbuffered: the instructions must show up at once even when stdout is a pipe or a file.
        FileHandle.standardOutput.write(Data((cluster.instructions(configPath: Invocation.quoted(config.path), command: Invocation.command) + "\n\nServing until Ctrl-C.\n").utf8))
        await SimulatorCluster.waitForTerminationSignal()
        await cluster.stop()
    }
}
