import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Streak's teams and their users, and lists that are bare arrays read a batch at a time.
@Suite struct StreakCollectorTests {
    /// A page that is a bare array (Procore's pages of 2,000 users) reaches the store in batches of
    /// at most 1,000 records, all of them.
    @Test func bareArrayPagesReachTheStoreInBatches() async throws {
        try await SimulatedCollection.with(size: 3_000, systems: [.procore]) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .success, "\(report.outcomes.map(\.summary))")
            let users = sim.company.records(.procore).accounts.count
            let batch = JSONArrayElements.batchSize
            #expect(users > 2 * batch)
            let stored = sim.events.all.compactMap { event -> Int? in
                if case .page(source: "procore", what: "accounts", let count, _) = event { return count }
                return nil
            }
            #expect(stored.count >= (users + batch - 1) / batch)
            #expect(stored.allSatisfy { $0 <= batch })
            #expect(stored.reduce(0, +) == users)
            #expect(try sim.rows("accounts", .procore).count == users)
        }
    }

    /// A teams list cut short on every attempt fails the source once the retries are
    /// spent: nothing of that run is stored, and the previous data stays, stale.
    @Test func aListCutShortEveryTimeFailsAndStoresNothing() async throws {
        let store = try GraphStore.inMemory()
        try await SimulatedCollection.with(systems: [.streak], store: store) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.exitStatus == .success)
        }
        let faults: Set<SimulatedFault> = [
            SimulatedFault(.truncatedBody, systems: [.streak], trigger: .everyNth(1, path: "/v2/teams/*/users"))
        ]
        try await SimulatedCollection.with(
            options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.streak], store: store
        ) { sim in
            let report = try await sim.collect([.streak])
            #expect(report.exitStatus == .failure)
            let error = try #require(report.outcomes.first?.error)
            #expect(error.contains("/api/v2/teams/\(sim.company.streakTeamKey)/users"))
            #expect(error.contains("not valid JSON"))
            #expect(sim.cluster.stats(.streak).requests == 2 + SimulatedCollection.quickRetries.maxAttempts)

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

    /// Team roles and invitations become statuses and admins as docs/sources.md says.
    @Test func teamRolesBecomeStatusesAndAdmins() async throws {
        try await SimulatedCollection.with(systems: [.streak]) { sim in
            try await sim.collect([.streak])
            let rows = Dictionary(try sim.rows("accounts", .streak).map { ($0["account_id"] as String, $0) }, uniquingKeysWith: { a, _ in a })
            for (condition, status, admin, type) in [
                (PlantedCondition.streakArchived, "inactive", false, "human"), (.streakPayerOnly, "active", false, "human"),
                (.staleInvitation, "invited", false, "human"), (.streakAgent, "active", false, "service"),
                (.approvedAdmin, "active", true, "human"),
            ] {
                let account = try #require(sim.company.accounts(planted: condition).first { $0.system == .streak }?.account)
                let row = try #require(rows[account.id])
                #expect(row["status"] as String == status, "\(condition)")
                #expect(row["is_admin"] as Bool == admin, "\(condition)")
                #expect(row["account_type"] as String == type, "\(condition)")
            }
        }
    }
}
