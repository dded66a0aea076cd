import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// What a vendor leaves open, in each of its possibilities, over real sockets (docs/sources.md, "Open").
@Suite struct VendorVariantTests {
    /// A ProcessMaker token that is not an administrator's sees only its own memberships in
    /// `/group_members`: the collector notices (GET /users/configuration) and reads group by group.
    @Test func aNonAdministratorProcessMakerTokenStillGetsEveryMembership() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.processMakerTokenIsAdmin = false
        try await SimulatedCollection.with(options: options, systems: [.processMaker]) { sim in
            let report = try await sim.collect([.processMaker])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .processMaker)
            #expect(sim.events.all.contains { event in
                if case .warning(let diagnostic) = event {
                    diagnostic.kind == .limitedToken && diagnostic.message.contains("not an administrator's")
                } else {
                    false
                }
            })
            // The summary repeats it, as a warning of the source.
            let warnings = report.outcomes.flatMap(\.diagnostics)
            #expect(warnings.map(\.kind) == [.limitedToken])
            #expect(warnings.allSatisfy { $0.source == "processmaker" && $0.severity == .warning })
            // Who the token is, the users and groups, then each group's users and groups, and each
            // user's tokens (collect_tokens: true).
            let records = sim.company.records(.processMaker)
            #expect(sim.cluster.stats(.processMaker).requests == 3 + 2 * records.containers.count + records.listedAccounts.count)
        }
    }

    /// Process Street's SCIM ids may or may not be its v1.1 ids: users join by email either way.
    @Test func processStreetScimIdsEqualToV1IdsJoinToo() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.scimIDsMatchUsers = true
        try await SimulatedCollection.with(options: options, systems: [.processStreet]) { sim in
            let report = try await sim.collect([.processStreet])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .processStreet)
        }
    }

    /// Without `scim_base_url`, Process Street's v1.1 lists active users only, with no groups: every
    /// listed user is active, and the source says it exposes neither admins nor activity.
    @Test func processStreetWithoutScimStoresTheListedUsers() async throws {
        try await SimulatedCollection.with(systems: [.processStreet], adjust: { $0.scimBaseURL = nil }) { sim in
            let report = try await sim.collect([.processStreet])
            #expect(report.exitStatus == .success)
            let active = Set(sim.company.records(.processStreet).accounts.filter { $0.expectedStatus == .active }.map(\.id))
            let rows = try sim.rows("accounts", .processStreet)
            #expect(Set(rows.map { $0["account_id"] as String }) == active)
            #expect(rows.allSatisfy { $0["status"] == "active" && $0["is_admin"] == false && $0["last_seen"] == nil })
            #expect(try sim.rows("containers", .processStreet).isEmpty)
            let run = try #require(try sim.sourceRun(.processStreet))
            #expect(run["has_admin"] == false && run["has_activity"] == false)
        }
    }

    /// ProofHub's lists may ignore `start`/`limit` and hold more than 100 records at once.
    @Test func proofHubSendingEverythingAtOnceIsReadOnce() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.pagingIgnored = [.proofHub]
        try await SimulatedCollection.with(size: 250, options: options, systems: [.proofHub]) { sim in
            let records = sim.company.records(.proofHub)
            #expect(records.accounts.count > 100)
            let report = try await sim.collect([.proofHub])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            try await CollectorCompletenessTests().expectStored(sim, .proofHub)
            // Roles, then each of the three lists twice: its whole list and the repeat that shows paging is ignored.
            #expect(sim.cluster.stats(.proofHub).requests == 1 + 3 * 2)
        }
    }
}
