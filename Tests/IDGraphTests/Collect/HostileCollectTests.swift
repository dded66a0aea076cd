import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// A collect over real sockets against a simulated API that sends hostile values (absurd waits,
/// totals, page sizes and dates) never crashes: the hostile source either completes with the values
/// read as unknown or bounded, or fails with a message that names it and says what to do, and the
/// source beside it is stored whole.
@Suite struct HostileCollectTests {
    /// One hostile variant: the system that sends it, the simulator switches, and what idgraph makes of it.
    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var system: SimulatedSystem
        var faults: Set<SimulatedFault> = []
        var hostileDates = false
        /// `nil`: the source completes; otherwise text its error contains.
        var failure: String?

        var testDescription: String { "\(name) from \(system)" }

        static func header(_ name: String, _ value: String, _ system: SimulatedSystem) -> SimulatedFault {
            SimulatedFault(.header, systems: [system], header: SimulatedHeader(name, value))
        }
    }

    static let tooLong = "longer than max_wait_seconds"
    static let variants: [Variant] = [
        Variant(
            name: "Retry-After: 1e300", system: .procore,
            faults: [SimulatedFault(.retryAfter, systems: [.procore], header: SimulatedHeader("Retry-After", "1e300"))],
            failure: tooLong),
        Variant(
            name: "Retry-After of 20 digits", system: .proofHub,
            faults: [SimulatedFault(.retryAfter, systems: [.proofHub], header: SimulatedHeader("Retry-After", "99999999999999999999"))],
            failure: tooLong),
        Variant(
            name: "X-RateLimit-Reset of 20 digits, nothing remaining", system: .proofHub,
            faults: [
                Variant.header("X-RateLimit-Remaining", "0", .proofHub),
                Variant.header("X-RateLimit-Reset", "99999999999999999999", .proofHub),
            ],
            failure: tooLong),
        Variant(
            name: "X-Rate-Limit-Reset of 20 digits, nothing remaining", system: .procore,
            faults: [
                Variant.header("X-Rate-Limit-Remaining", "0", .procore),
                Variant.header("X-Rate-Limit-Reset", "99999999999999999999", .procore),
            ],
            failure: tooLong),
        Variant(
            name: "Total: Int.max", system: .procore,
            faults: [Variant.header("Total", "9223372036854775807", .procore)],
            failure: "more than 5000000 records"),
        Variant(
            name: "X-Total beyond Int.max", system: .processMaker,
            faults: [Variant.header("X-Total", "99999999999999999999999", .processMaker)]),
        Variant(
            name: "X-Per-Page: 0 and Per-Page: 0", system: .procore,
            faults: [Variant.header("X-Per-Page", "0", .procore), Variant.header("Per-Page", "0", .procore)]),
    ] + SimulatedSystem.allCases.map { Variant(name: "dates of 1e300 and 31 digits", system: $0, hostileDates: true) }

    /// The clean source collected beside `system`.
    static func neighbour(of system: SimulatedSystem) -> SimulatedSystem {
        system == .processMaker ? .streak : .processMaker
    }

    @Test(arguments: variants)
    func aHostileSourceNeverCrashesTheCollect(variant: Variant) async throws {
        var options = SimulatorOptions(rateLimits: false, faults: variant.faults)
        if variant.hostileDates { options.hostileDates = [variant.system] }
        let neighbour = Self.neighbour(of: variant.system)
        try await SimulatedCollection.with(options: options, systems: [variant.system, neighbour]) { sim in
            let report = try await sim.collect([variant.system, neighbour])
            let hostile = try #require(report.outcomes.first { $0.source == variant.system.sourceName })
            if let failure = variant.failure {
                let error = try #require(hostile.error, "\(variant.name): the source was stored")
                #expect(error.contains(variant.system.sourceName), "\(error)")
                #expect(error.contains(failure), "\(error)")
                #expect(try sim.rows("accounts", variant.system).isEmpty)
            } else {
                #expect(hostile.succeeded, "\(hostile.error ?? "")")
                #expect(try sim.rows("accounts", variant.system).count == sim.company.records(variant.system).listedAccounts.count)
            }
            if variant.hostileDates {
                // Every date was unknown, none stored as a date, and the summary says so.
                let accounts = try sim.rows("accounts", variant.system)
                #expect(accounts.allSatisfy { ($0["created"] as String?) == nil && ($0["last_seen"] as String?) == nil })
                let warning = try #require(hostile.warnings.first, "no warning")
                #expect(warning.hasSuffix("dates could not be read (e.g. '\(Self.dateField(variant.system))' = '\(Self.dateValue(variant.system))') and are stored as unknown."), "\(warning)")
            }
            // The source beside it is stored whole.
            let clean = try #require(report.outcomes.first { $0.source == neighbour.sourceName })
            #expect(clean.succeeded, "\(clean.error ?? "")")
            try await CollectorCompletenessTests().expectStored(sim, neighbour)
        }
    }

    /// The first date field each collector reads, and how it shows the absurd value sent there.
    static func dateField(_ system: SimulatedSystem) -> String {
        switch system {
        case .processStreet: "meta.created"
        case .proofHub: "last_active"
        case .streak: "lastSeenTimestamp"
        case .processMaker: "loggedin_at"
        case .procore: "last_login_at"
        }
    }

    static func dateValue(_ system: SimulatedSystem) -> String {
        system == .processStreet ? "1234567890123456789012345678901" : "1e+300"
    }
}
