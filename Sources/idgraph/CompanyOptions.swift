import ArgumentParser
import IDGraphSimulator

/// The generated company `demo` and `simulate` serve, and the faults its APIs inject.
struct CompanyOptions: ParsableArguments {
    @Option(help: "Roster people in the generated company (50 to 250000).")
    var size: Int = 200

    @Option(help: "Seed of the generated company: the same seed and size give the same company.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (50...250_000).contains(size) else {
            throw ValidationError("--size must be between 50 and 250000; got \(size).")
        }
    }

    /// The company the size and seed give.
    var company: Company { Company.generate(size: size, seed: seed) }

    /// The simulator's options with the fault switches `faults`; a usage error when one is unknown.
    static func simulatorOptions(faults: String) throws -> SimulatorOptions {
        do {
            return try SimulatorOptions().addingFaults(faults)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
