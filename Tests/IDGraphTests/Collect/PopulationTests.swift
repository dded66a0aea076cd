import Foundation
import GRDB
import IDGraphSimulator
import Testing

@testable import IDGraph

/// The population of each source run (`source_runs`: `reported_total`, `listed`, `pages`, `list_end`)
/// and whose token read it (`acting_as`), recorded at collect time from the listings that yield the
/// accounts (docs/sources.md, "Population and the request journal").
@Suite struct PopulationTests {
    @Test(arguments: SimulatedSystem.allCases)
    func thePopulationIsWhatTheAccountListingsSaid(system: SimulatedSystem) async throws {
        try await SimulatedCollection.with(systems: [system]) { sim in
            let report = try await sim.collect([system])
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            let run = try #require(try sim.sourceRun(system))
            let served = sim.company.records(system)
            let reported = run["reported_total"] as Int?
            let listed = run["listed"] as Int?
            let pages = run["pages"] as Int?
            let end = run["list_end"] as String?
            switch system {
            case .processMaker:
                // `/users` and its `meta.total`: system and deleted users are not listed.
                #expect(reported == served.listedAccounts.count)
                #expect(listed == served.listedAccounts.count)
                #expect(pages == 1)
                #expect(end == "total reached")
            case .procore:
                // Active and inactive company users: both listings are the population, summed.
                #expect(reported == served.accounts.count)
                #expect(listed == served.accounts.count)
                #expect(pages == 2)
                let users = "\(URL(string: sim.cluster.baseURL(.procore))!.path)/companies/\(sim.company.procoreCompanyID)/users"
                #expect(end == "\(users): total reached; \(users)/inactive: total reached")
            case .processStreet:
                // SCIM `/Users` (`totalResults`) becomes the stored accounts.
                #expect(reported == served.accounts.count)
                #expect(listed == served.accounts.count)
                #expect(pages == 1)
                #expect(end == "total reached")
            case .streak:
                // No total: the teams listing, counted in member seats, ends where hasNextPage says.
                #expect(reported == nil)
                #expect(listed == served.memberships.count)
                #expect(pages == 1)
                #expect(end == "hasNextPage false")
            case .proofHub:
                // No total, no end marker: the list ends at an empty page.
                #expect(reported == nil)
                #expect(listed == served.accounts.count)
                #expect(pages == 2)
                #expect(end == "empty page")
            }
        }
    }

    /// A listing's responses carry their record counts in the journal; a response that is no page
    /// of a listing carries none.
    @Test func journalRecordsCountEachPageOfAListing() async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.pageSizeLimits[.processMaker] = 7
        try await SimulatedCollection.with(options: options, systems: [.processMaker]) { sim in
            try await sim.collect([.processMaker])
            let run = try #require(try sim.sourceRun(.processMaker))
            let journal = try sim.journal(.processMaker)
            let users = journal.filter { ($0["path"] as String).hasPrefix("/api/1.0/users?") }
            #expect(users.count > 1)
            #expect(run["pages"] as Int? == users.count)
            #expect(users.compactMap { $0["records"] as Int? }.reduce(0, +) == run["listed"] as Int?)
            #expect(users.allSatisfy { ($0["records"] as Int? ?? 0) <= 7 })
            let configuration = try #require(journal.first)
            #expect(configuration["path"] as String == "/api/1.0/users/configuration")
            #expect((configuration["records"] as Int?) == nil)
        }
    }

    /// Streak's team users endpoint is not paged: its one response's records are counted where the collector reads it.
    @Test func streakTeamUsersCarryTheirRecordCount() async throws {
        try await SimulatedCollection.with(systems: [.streak]) { sim in
            try await sim.collect([.streak])
            let journal = try sim.journal(.streak)
            let users = try #require(journal.first { ($0["path"] as String).hasSuffix("/users") && ($0["path"] as String).contains("/v2/teams/") })
            let served = sim.company.records(.streak).accounts.filter { $0.expectedStatus != .invited }
            #expect(users["records"] as Int? == served.count)
            let me = try #require(journal.first)
            #expect(me["path"] as String == "/api/v1/users/me")
            #expect((me["records"] as Int?) == nil)
        }
    }

    /// The roster reports no total and has no pages: its population is the data rows read to the end of the file.
    @Test func theRosterPopulationIsItsDataRowsToTheEndOfFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("population-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let roster = "email,name,status\nana@acme.com,Ana,active\n\nbob@acme.com,Bob,terminated\nBOB@acme.com,Bob,active\ncid@acme.com,Cid,active\n"
        try Data(roster.utf8).write(to: folder.appendingPathComponent("hr.csv"))
        let configuration = try ConfigurationLoader(environment: [:]).parse(
            "sources:\n  - name: hr\n    kind: roster\n    path: hr.csv\n", file: folder.appendingPathComponent("idgraph.yaml").path)
        let store = try GraphStore.inMemory()
        let report = try await CollectionRun(configuration: configuration, store: store).run()
        #expect(report.exitStatus == .success)
        let run = try #require(try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM source_runs WHERE source = 'hr'") })
        #expect(run["people"] as Int == 3)
        #expect(run["listed"] as Int? == 4)
        #expect((run["reported_total"] as Int?) == nil)
        #expect((run["pages"] as Int?) == nil)
        #expect(run["list_end"] as String? == "end of file")
        #expect((run["acting_as"] as String?) == nil)
        #expect(run["requests"] as Int == 0)
    }

    /// Whose token it was, where the API says: ProcessMaker's `/users/configuration` user with its
    /// email and whether an administrator; Streak's `/v1/users/me` email. The others do not say.
    @Test(arguments: [true, false])
    func actingAsNamesProcessMakersTokenUser(admin: Bool) async throws {
        var options = SimulatorOptions(rateLimits: false)
        options.processMakerTokenIsAdmin = admin
        try await SimulatedCollection.with(options: options, systems: [.processMaker]) { sim in
            try await sim.collect([.processMaker])
            let run = try #require(try sim.sourceRun(.processMaker))
            let actingAs = try #require(run["acting_as"] as String?)
            let match = try #require(actingAs.wholeMatch(of: /user (\d+) \((.+)\), (administrator|not an administrator)/))
            let account = try #require(sim.company.records(.processMaker).listedAccounts.first { $0.id == String(match.1) })
            #expect(String(match.2) == account.email)
            #expect(account.isAdmin == admin)
            #expect(String(match.3) == (admin ? "administrator" : "not an administrator"))
        }
    }

    @Test func actingAsIsStreaksKeyOwnerAndNothingWhereTheAPIDoesNotSay() async throws {
        try await SimulatedCollection.with { sim in
            let report = try await sim.collect(SimulatedSystem.allCases)
            #expect(report.exitStatus == .success, "\(report.outcomes.map { $0.error ?? $0.summary })")
            let owner = try #require(sim.company.records(.streak).accounts.first { $0.id == sim.company.streakOwnerKey })
            #expect(try sim.sourceRun(.streak)?["acting_as"] as String? == owner.email)
            for system in [SimulatedSystem.procore, .proofHub, .processStreet] {
                #expect((try sim.sourceRun(system)?["acting_as"] as String?) == nil, "\(system)")
            }
        }
    }

    /// A failed source records what was known of its population when it failed.
    @Test func aFailedSourceKeepsWhatWasKnown() async throws {
        let faults: Set<SimulatedFault> = [SimulatedFault(.htmlServiceUnavailable, systems: [.procore], trigger: .everyNth(1, path: "/companies/*/users/inactive"))]
        try await SimulatedCollection.with(options: SimulatorOptions(rateLimits: false, faults: faults), systems: [.procore]) { sim in
            let report = try await sim.collect([.procore])
            #expect(report.exitStatus == .failure)
            let run = try #require(try sim.sourceRun(.procore))
            #expect(run["status"] == "failed")
            let active = sim.company.records(.procore).accounts.filter { $0.expectedStatus == .active }.count
            #expect(run["listed"] as Int? == active)
            #expect(run["reported_total"] as Int? == active)
            // Only the active users' listing finished: it alone is the population known.
            #expect(run["list_end"] as String? == "total reached")
        }
    }
}
