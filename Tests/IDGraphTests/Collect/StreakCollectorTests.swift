import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Streak's one unpaginated list of every user, read a batch at a time.
@Suite struct StreakCollectorTests {
    /// The list reaches the store in batches of at most 1,000 users, all of them.
    @Test func usersReachTheStoreInBatches() async throws {
        try await SimulatedCollection.with(size: 3_000, systems: [.streak]) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.exitStatus == .success, "\(report.outcomes.map(\.summary))")
            let users = sim.company.records(.streak).accounts.count
            let batch = JSONArrayElements.batchSize
            #expect(users > 2 * batch)
            let stored = sim.events.all.compactMap { event -> Int? in
                if case .page(source: "streak", what: "accounts", let count, _) = event { return count }
                return nil
            }
            #expect(stored.count == (users + batch - 1) / batch)
            #expect(stored.allSatisfy { $0 <= batch })
            #expect(stored.reduce(0, +) == users)
            #expect(try sim.rows("accounts", .streak).count == users)
            #expect(try sim.rows("memberships", .streak).count == users)
            #expect(sim.cluster.stats(.streak).requests == 2)
        }
    }

    /// A list cut short on every attempt fails the source once the retries are
    /// spent: nothing of that run is stored, and the previous data stays, stale.
    @Test func aListCutShortEveryTimeFailsAndStoresNothing() async throws {
        let store = try GraphStore.inMemory()
        try await SimulatedCollection.with(systems: [.streak], store: store) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.exitStatus == .success)
        }
        let faults: Set<SimulatedFault> = [
            SimulatedFault(.truncatedBody, systems: [.streak], trigger: .everyNth(1, path: "/organizations/*/users"))
        ]
        try await SimulatedCollection.with(
            options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.streak], store: store
        ) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("/api/v1/organizations/\(sim.company.streakOrgKey)/users"))
            #expect(error.contains("not valid JSON"))
            #expect(sim.cluster.stats(.streak).requests == 1 + SimulatedCollection.quickRetries.maxAttempts)

            let leftOver = try await store.writer.read { db in
                let run = try Int64.fetchOne(db, sql: "SELECT id FROM source_run WHERE source = 'streak' ORDER BY id DESC LIMIT 1")
                return try ["account", "membership", "container"].map { table in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE source_run_id = ?", arguments: [run]) ?? -1
                }
            }
            #expect(leftOver == [0, 0, 0])
            let accounts = try sim.rows("accounts", .streak)
            #expect(accounts.count == sim.company.records(.streak).accounts.count)
            #expect(accounts.allSatisfy { $0["stale"] == true })
        }
    }
}
