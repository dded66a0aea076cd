import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Faults the simulator injects are survived with complete data, by retrying
/// only the request that failed.
@Suite struct CollectorFaultTests {
    /// The account listing of each system, as a fault trigger path.
    static func accountsPath(_ system: SimulatedSystem) -> String {
        switch system {
        case .processStreet: "/users"
        case .proofHub: "/people"
        case .streak: "/v2/users/me/teams"
        case .processMaker: "/users"
        case .procore: "/companies/*/users"
        }
    }

    /// A member listing of each system (the first one requested gets the fault).
    static func membersPath(_ system: SimulatedSystem) -> String {
        switch system {
        case .processStreet: "/Groups"
        case .proofHub: "/projects"
        case .streak: "/v2/teams/*/users"
        case .processMaker: "/group_members"
        case .procore: "/projects/*/users"
        }
    }

    static let cases: [(SimulatedSystem, FaultKind)] = SimulatedSystem.allCases.flatMap { system in
        [FaultKind.truncatedBody, .htmlServiceUnavailable, .connectionDrop, .slowResponse].map { (system, $0) }
    }

    @Test(arguments: cases)
    func faultIsRetriedAndDataIsComplete(system: SimulatedSystem, kind: FaultKind) async throws {
        let faults: Set<SimulatedFault> = [
            SimulatedFault(kind, systems: [system], trigger: .requests(1, path: Self.accountsPath(system)), delayMilliseconds: 6000),
            SimulatedFault(kind, systems: [system], trigger: .requests(1, path: Self.membersPath(system)), delayMilliseconds: 6000),
        ]
        try await SimulatedCollection.with(
            options: SimulatorOptions(rateLimits: false, faults: faults), systems: [system],
            adjust: { $0.requestTimeoutSeconds = 3 }
        ) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, system)
            let minimum = MinimumRequests.of(system, sim.company.records(system))
            // Each fault costs a retry, and every request beyond the minimum is a counted retry
            // (none repeated without cause): the journal, which lists every request the collector
            // sent, holds the minimum plus one per retry. A busy machine may add timeouts, so the
            // number of retries is bounded below only; a dropped connection may take down the
            // pooled connection a retry picked before it reached the server, so the server may see
            // fewer requests than were sent.
            let run = try #require(try sim.sourceRun(system))
            let retries: Int = run["retries"]
            let sent = try await sim.store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM request_journal WHERE source = ?", arguments: [system.sourceName])
            }
            let served = sim.cluster.stats(system).requests
            #expect(retries >= 2, "retries: \(retries)")
            #expect(sent == minimum + retries, "sent \(sent ?? 0), minimum \(minimum), retries \(retries)")
            #expect(served >= minimum + 2 && served <= sent ?? 0, "served \(served), minimum \(minimum), sent \(sent ?? 0)")
            #expect(sim.events.all.contains { if case .retrying = $0 { true } else { false } })
        }
    }

    @Test func aFaultThatPersistsFailsTheSourceAndKeepsItsLastGoodData() async throws {
        let store = try GraphStore.inMemory()
        try await SimulatedCollection.with(store: store) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .success)
        }
        let faults: Set<SimulatedFault> = [
            SimulatedFault(.truncatedBody, systems: [.processMaker], trigger: .always)
        ]
        try await SimulatedCollection.with(options: SimulatorOptions(rateLimits: false, faults: faults), store: store) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("processmaker"))
            #expect(error.contains("/api/1.0/users"))
            #expect(error.contains("not valid JSON"))
            #expect(!error.contains("?"))
            // Four attempts of the first page, then the source gives up.
            #expect(sim.cluster.stats(.processMaker).requests == SimulatedCollection.quickRetries.maxAttempts)
            let accounts = try sim.rows("accounts", .processMaker)
            #expect(accounts.count == sim.company.records(.processMaker).listedAccounts.count)
            #expect(accounts.allSatisfy { $0["stale"] == true })
        }
    }
}

/// `request_timeout_seconds` bounds the whole response, body included.
@Suite struct WholeResponseTimeoutTests {
    @Test func aBodySentSlowlyTimesOutLikeAnyOtherRequest() async throws {
        // Every users page sends its body over thirty seconds, a tenth at a time: a timeout between
        // reads would never fire, and each request would last the thirty seconds.
        let faults: Set<SimulatedFault> = [
            SimulatedFault(.slowBody, systems: [.processMaker], trigger: .always, delayMilliseconds: 30_000)
        ]
        try await SimulatedCollection.with(
            options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.processMaker],
            adjust: { $0.requestTimeoutSeconds = 1 }
        ) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("timed out"), "\(error)")
            // Each attempt is judged by its own duration in the request journal, not by the wall
            // clock of the whole run, which a loaded machine stretches: every one ended with no
            // response (status 0) long before its body would have been complete.
            let attempts = try sim.store.writer.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT status, milliseconds FROM request_journal WHERE source = 'processmaker' AND status = 0")
            }
            #expect(attempts.count == SimulatedCollection.quickRetries.maxAttempts)
            for attempt in attempts {
                #expect((attempt["milliseconds"] as Int) < 15_000, "\(attempt)")
            }
        }
    }
}
