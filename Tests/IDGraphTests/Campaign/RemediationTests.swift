import Foundation
import GRDB
@testable import IDGraphSimulator
import Testing

@testable import IDGraph

/// From revoke to removed, on a simulated company over real sockets.
@Suite struct RemediationTests {
    /// Collects `company` into `store` through a fresh simulator; `down` is a source whose
    /// API refuses connections in this collect.
    static func collect(_ company: Company, into store: GraphStore, folder: URL, down: String? = nil) async throws
        -> (IDGraph.Configuration, CollectionReport)
    {
        let cluster = try await SimulatorCluster.start(company: company, options: SimulatorOptions())
        do {
            let configFile = try cluster.writeFiles(to: folder)
            var configuration = try ConfigurationLoader(environment: company.credentials).load(path: configFile.path)
            if let down, let index = configuration.sources.firstIndex(where: { $0.name == down }) {
                configuration.sources[index].baseURL = URL(string: "http://127.0.0.1:1/api")
                configuration.sources[index].maxWaitSeconds = 1
            }
            let result = try await CollectionRun(configuration: configuration, store: store).run()
            await cluster.stop()
            return (configuration, result)
        } catch {
            await cluster.stop()
            throw error
        }
    }

    @Test func verifyTellsFixedPartlyFixedStillPresentAndUnverifiable() async throws {
        let asOf = Date(timeIntervalSince1970: 1_750_000_000)
        var company = Company.generate(size: 80, seed: 5, asOf: asOf)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-remediation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try GraphStore.inMemory()
        let (configuration, first) = try await Self.collect(company, into: store, folder: folder)
        #expect(first.exitStatus == .success)
        let start = asOf.addingTimeInterval(3_600)
        let campaign = try await CampaignStart.run(
            store: store, configuration: configuration, name: "Q3", due: nil, sources: [], allowStale: nil, now: start)

        // Four active accounts, each with a membership: one per source that will behave differently.
        func pick(_ source: String, _ system: SimulatedSystem, project: Bool = false) throws -> CampaignItem {
            let records = try #require(company.systems[system])
            let members = Set(records.memberships.filter { m in
                !project || records.containers.contains { $0.id == m.containerID && $0.type == "project" }
            }.map(\.accountID))
            return try #require(campaign.items.first { item in
                item.source == source && item.status == "active" && members.contains(item.accountID) && !item.isAdmin
            })
        }
        let removed = try pick("proofhub", .proofHub)
        let deactivated = try pick("procore", .procore, project: true)
        let ignored = try pick("processmaker", .processMaker)
        let unreachable = try pick("streak", .streak)
        let decisions = [removed, deactivated, ignored, unreachable].map {
            GraphStore.NewDecision(item: $0.item, decision: .revoke, reason: "left the team", reviewer: $0.reviewer ?? "")
        }
        _ = try await store.addDecisions(decisions, campaign: campaign.campaign.id, event: "test", at: start)

        let plan = try await Remediation.plan(
            store: store, configuration: configuration, campaign: "Q3", includeFindings: false, now: start)
        #expect(plan.entries.count == 4)
        let procoreSteps = try #require(plan.entries.first { $0.item.item == deactivated.item }).removal.steps
        #expect(procoreSteps.contains { $0.method == "DELETE" && $0.path.hasSuffix("/users/\(deactivated.accountID)/actions/remove") })
        #expect(procoreSteps.last?.method == "PATCH" && procoreSteps.last?.body?.contains("\"is_active\":false") == true)
        #expect(plan.entries.allSatisfy { $0.due == "2025-06-29" })  // 14 days after the decision

        // Before the next collect nothing can be told.
        let early = try await Remediation.verify(store: store, configuration: configuration, campaign: "Q3", now: start)
        #expect(early.checks.allSatisfy { $0.check.state == "unverifiable" })

        // The administrators act: ProofHub deletes the person; Procore deactivates without removing
        // the project; nobody touches ProcessMaker; Streak is down at the next collect.
        company.systems[.proofHub]?.accounts.removeAll { $0.id == removed.accountID }
        company.systems[.proofHub]?.memberships.removeAll { $0.accountID == removed.accountID }
        if let index = company.systems[.procore]?.accounts.firstIndex(where: { $0.id == deactivated.accountID }) {
            company.systems[.procore]?.accounts[index].expectedStatus = .inactive
        }
        let (_, second) = try await Self.collect(company, into: store, folder: folder, down: "streak")
        #expect(second.outcomes.first { $0.source == "streak" }?.error != nil)

        let late = asOf.addingTimeInterval(20 * 86_400)
        let verified = try await Remediation.verify(store: store, configuration: configuration, campaign: "Q3", now: late)
        let states = Dictionary(uniqueKeysWithValues: verified.checks.map { ($0.entry.item.item, $0.check.state) })
        #expect(states[removed.item] == "fixed")
        #expect(states[deactivated.item] == "partly-fixed")
        #expect(states[ignored.item] == "still-present")
        #expect(states[unreachable.item] == "unverifiable")
        let overdue = verified.checks.filter(\.overdue).map(\.entry.item.item).sorted()
        #expect(overdue == [deactivated.item, ignored.item].sorted())
        let detail = try #require(verified.checks.first { $0.entry.item.item == deactivated.item }).check.detail
        #expect(detail.hasPrefix("deactivated but still a member of"))

        // The remediation view shows the latest check of each item, with the snapshot that showed it.
        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT item, state, snapshot_id, due FROM remediation WHERE campaign = 'Q3' ORDER BY item")
        }
        #expect(rows.count == 4)
        #expect(Set(rows.map { $0["state"] as String }) == ["fixed", "partly-fixed", "still-present", "unverifiable"])
        #expect(rows.first { ($0["item"] as Int) == removed.item }?["snapshot_id"] as Int64? ?? 0 > campaign.campaign.snapshotID ?? 0)
    }
}
