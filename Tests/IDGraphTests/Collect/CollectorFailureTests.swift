import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// A source that cannot be collected fails alone: the others are stored, it
/// keeps its last good data marked stale, and the message says what to do.
@Suite struct CollectorFailureTests {
    @Test func refusedConnectionsFailOneSourceAndKeepItsLastGoodData() async throws {
        let store = try GraphStore.inMemory()
        try await SimulatedCollection.with(store: store) { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            #expect(report.exitStatus == .success)
        }
        let options = SimulatorOptions(rateLimits: false, refusingSystems: [.proofHub])
        try await SimulatedCollection.with(options: options, store: store) { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            #expect(report.exitStatus == .failure)
            let failed = report.outcomes.filter { !$0.succeeded }
            #expect(failed.map(\.source) == ["proofhub"])
            let error = try #require(failed.first?.error)
            #expect(error.contains("proofhub"))
            #expect(error.contains("/api/v3/roles"))
            #expect(error.contains("refused"))
            #expect(error.contains("base_url"))
            #expect(failed.first?.summary.contains("FAILED") == true)

            let proofHub = try sim.rows("accounts", .proofHub)
            #expect(proofHub.count == sim.company.records(.proofHub).listedAccounts.count)
            #expect(proofHub.allSatisfy { $0["stale"] == true })
            #expect(try sim.rows("memberships", .proofHub).count == sim.company.records(.proofHub).memberships.count)
            for system in SimulatedSystem.allCases where system != .proofHub {
                let rows = try sim.rows("accounts", system)
                #expect(rows.count == sim.company.records(system).listedAccounts.count)
                #expect(rows.allSatisfy { $0["stale"] == false })
            }
            let run = try #require(try sim.sourceRun(.proofHub))
            #expect(run["status"] == "failed")
        }
    }

    @Test func collectingOneSourceLeavesTheOthersAsTheyWere() async throws {
        let store = try GraphStore.inMemory()
        try await SimulatedCollection.with(store: store) { sim in
            try await sim.collect(SimulatedSystem.allCases)
        }
        try await SimulatedCollection.with(seed: 99, store: store) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.outcomes.map(\.source) == ["streak"])
            let runs = try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT source, snapshot_id FROM source_runs ORDER BY snapshot_id")
            }
            #expect(runs.filter { $0["snapshot_id"] == 2 }.map { $0["source"] as String } == ["streak"])
            for system in SimulatedSystem.allCases where system != .streak {
                #expect(try sim.rows("accounts", system).allSatisfy { $0["stale"] == false })
            }
        }
    }

    @Test(arguments: [SimulatedSystem.processStreet, .proofHub, .streak, .processMaker])
    func aRefusedTokenFailsWithoutRetryingForever(system: SimulatedSystem) async throws {
        let wrong = "wrong-token-\(system.rawValue)-31337"
        try await SimulatedCollection.with(systems: [system], adjust: { source in
            if source.apiKey != nil { source.apiKey = Secret(wrong) } else { source.token = Secret(wrong) }
        }) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            // The key to check, and the variable it came from; never the value.
            let key = system == .streak ? "api_key" : "token"
            #expect(error.contains("the API refused the credentials; check '\(key)' (from ${"), "\(error)")
            #expect(error.contains("of source \(system.sourceName)"))
            #expect(!error.contains(wrong))
            // The refusal is tried once more, then the source fails.
            #expect(sim.cluster.stats(system).requests == 2)
        }
    }
}
