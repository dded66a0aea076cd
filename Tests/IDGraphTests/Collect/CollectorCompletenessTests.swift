import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// Each collector against its simulator: everything served is stored, mapped
/// as SPEC.md says, with the fewest requests the API allows.
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
            let run = try #require(try sim.sourceRun(system))
            #expect(run["requests"] == minimum)
            #expect(run["retries"] == 0)
        }
    }

    /// A list whose length is an exact multiple of the page size costs one
    /// empty page only where the API gives no total: a 4,000-person company
    /// has exactly 100 Process Street groups (one full page of 100).
    @Test func exactMultipleOfThePageSizeCostsOneEmptyPage() async throws {
        try await SimulatedCollection.with(size: 4000, systems: [.processStreet]) { sim in
            let served = sim.company.records(.processStreet)
            #expect(served.containers.count == 100)
            try await sim.collect([.processStreet])
            try await expectStored(sim, .processStreet)
            #expect(sim.cluster.stats(.processStreet).requests == MinimumRequests.of(.processStreet, served))
        }
    }

    func expectStored(_ sim: SimulatedCollection, _ system: SimulatedSystem) async throws {
        let served = sim.company.records(system)

        let accounts = try sim.rows("accounts", system)
        let byID = Dictionary(accounts.map { ($0["account_id"] as String, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(accounts.count == served.accounts.count)
        #expect(Set(byID.keys) == Set(served.accounts.map(\.id)))
        for account in served.accounts {
            guard let row = byID[account.id] else { continue }
            #expect(row["status"] == account.expectedStatus.rawValue, "\(system) \(account.id) status")
            #expect(row["is_admin"] == account.isAdmin, "\(system) \(account.id) admin")
            #expect(row["canonical_email"] as String? == account.canonicalEmail, "\(system) \(account.id) email")
            #expect(row["created"] as String? == account.created.date.map(Timestamp.string), "\(system) \(account.id) created")
            #expect(row["last_seen"] as String? == account.lastSeen.date.map(Timestamp.string), "\(system) \(account.id) last seen")
            #expect(row["stale"] == false)
        }

        let containers = try sim.rows("containers", system)
        #expect(
            Set(containers.map { "\($0["container_id"] as String)|\($0["type"] as String)|\($0["name"] as String? ?? "")" })
                == Set(served.containers.map { "\($0.id)|\($0.type)|\($0.name)" }))

        let memberships = try sim.rows("memberships", system)
        func servedRole(_ membership: SimulatedMembership) -> String? {
            switch system {
            case .proofHub: membership.role
            case .procore: membership.permissionTemplateID.map(String.init)
            case .streak: served.accounts.first { $0.id == membership.accountID }.map { $0.isAdmin ? "admin" : "member" }
            default: nil
            }
        }
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
