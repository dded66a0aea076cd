import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Each collector against its simulator: everything served is stored, mapped
/// as docs/sources.md says, with the fewest requests the API allows.
@Suite struct CollectorCompletenessTests {
    @Test(arguments: SimulatedSystem.allCases)
    func storesEveryAccountContainerAndMembership(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map(\.summary))")
            try await expectStored(sim, system)
        }
    }

    @Test(arguments: SimulatedSystem.allCases)
    func sendsTheFewestRequests(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system]) { sim in
            try await sim.collect([system])
            let minimum = MinimumRequests.of(system, sim.company.records(system))
            let stats = sim.cluster.stats(system)
            #expect(stats.requests == minimum)
            #expect(stats.nonGetRequests == 0)
            // The simulator refuses a request without the vendor's auth header (X-API-KEY, Basic, Bearer),
            // ProofHub's User-Agent or Procore's company header: none was refused, so every one carried them.
            #expect(stats.clientErrors == 0 && stats.unauthorized == 0)
            let run = try #require(try sim.sourceRun(system))
            #expect(run["requests"] == minimum)
            #expect(run["retries"] == 0)
        }
    }

    /// ProofHub's paging is undocumented, so a list ends only at an empty page: a list whose
    /// length is an exact multiple of the page size costs exactly one more request, like any other.
    @Test func proofHubListsEndAtAnEmptyPage() async throws {
        try await SimulatedCollection.with(size: 250, systems: [.proofHub]) { sim in
            let served = sim.company.records(.proofHub)
            #expect(served.accounts.count > 200)
            try await sim.collect([.proofHub])
            try await expectStored(sim, .proofHub)
            #expect(sim.cluster.stats(.proofHub).requests == MinimumRequests.of(.proofHub, served))
        }
    }

    func expectStored(_ sim: SimulatedCollection, _ system: SimulatedSystem) async throws {
        let served = sim.company.records(system)
        let listed = served.listedAccounts

        let accounts = try sim.rows("accounts", system)
        let byID = Dictionary(accounts.map { ($0["account_id"] as String, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(accounts.count == listed.count)
        #expect(Set(byID.keys) == Set(listed.map(\.id)))
        for account in listed {
            guard let row = byID[account.id] else { continue }
            #expect(row["status"] == account.expectedStatus.rawValue, "\(system) \(account.id) status")
            #expect(row["is_admin"] == account.isAdmin, "\(system) \(account.id) admin")
            #expect(row["canonical_email"] as String? == account.canonicalEmail, "\(system) \(account.id) email")
            #expect(row["created"] as String? == account.created.date.map(Timestamp.string), "\(system) \(account.id) created")
            #expect(row["last_seen"] as String? == account.lastSeen.date.map(Timestamp.string), "\(system) \(account.id) last seen")
            #expect(row["stale"] == false)
            #expect(row["account_type"] as String? == account.accountType.rawValue, "\(system) \(account.id) type")
        }

        let containers = try sim.rows("containers", system)
        #expect(
            Set(containers.map { "\($0["container_id"] as String)|\($0["type"] as String)|\($0["name"] as String? ?? "")" })
                == Set(served.containers.map { "\($0.id)|\($0.type)|\($0.name)" }))

        let memberships = try sim.rows("memberships", system)
        func servedRole(_ membership: SimulatedMembership) -> String? { membership.role }
        #expect(memberships.count == served.memberships.count)
        #expect(
            Set(memberships.map { "\($0["container_id"] as String)|\($0["account_id"] as String)|\($0["role"] as String? ?? "")" })
                == Set(served.memberships.map { "\($0.containerID)|\($0.accountID)|\(servedRole($0) ?? "")" }))

        let edges = try sim.rows("container_edges", system)
        #expect(
            Set(edges.map { "\($0["parent_id"] as String)>\($0["child_id"] as String)" })
                == Set(served.containers.compactMap { container in container.parentID.map { "\($0)>\(container.id)" } }))
    }
}
