import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// A 2,000-person company read whole through each vendor's documented paging.
@Suite struct LargeCompanyTests {
    static let company = Company.generate(size: 2000, seed: 9, asOf: Fixture.asOf)

    @Test func theCompanyIsLarge() {
        #expect(Self.company.roster.count == 2001)
        #expect(Self.company.accountCount > 8000)
    }

    @Test(arguments: SimulatedSystem.allCases)
    func everyRecordIsServedThroughTheDocumentedPaging(_ system: SimulatedSystem) async throws {
        let company = Self.company
        let records = company.records(system)
        try await withCluster(company: company, systems: [system]) { cluster, client in
            let base = cluster.baseURL(system)
            switch system {
            case .processStreet:
                let active = records.accounts.filter { $0.expectedStatus == .active }
                let users = try await Paging.processStreet(client, base + "/users", headers: Auth.processStreet(company))
                #expect(users.ids() == active.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map(\.id))
                #expect(users.pageSizes == pageSizes(active.count, 20))
                let scim = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet(company))
                #expect(scim.records.count == records.accounts.count)
                #expect(Set(scim.ids()).count == records.accounts.count)
                let groups = try await Paging.scim(client, cluster.processStreetSCIM + "/Groups", count: 100, headers: Auth.processStreet(company))
                #expect(groups.ids() == records.containers.map(\.id))
                let members = groups.records.reduce(0) { $0 + (($1["members"] as? [Any])?.count ?? 0) }
                #expect(members == records.memberships.count)
            case .proofHub:
                for (path, expected) in [("/people", records.accounts.map(\.id)),
                                         ("/projects", records.containers.filter { $0.type == "project" }.map(\.id)),
                                         ("/groups", records.containers.filter { $0.type == "group" }.map(\.id))] {
                    let listed = try await Paging.proofHub(client, base + path, limit: 100, headers: Auth.proofHub(company))
                    #expect(listed.ids() == expected, "\(path)")
                    #expect(listed.pageSizes.allSatisfy { $0 <= 100 })
                }
            case .streak:
                let teams = try await client.send(base + "/v2/users/me/teams?page=0&limit=50", headers: Auth.streak(company))
                #expect(teams.object["hasNextPage"] as? Bool == false)
                let team = try #require(teams.list("results").first)
                #expect((team["members"] as? [Any])?.count == records.accounts.count)
                let key = try #require(team["key"] as? String)
                let users = try await client.send(base + "/v2/teams/\(key)/users", headers: Auth.streak(company))
                #expect(users.object["hasNextPage"] as? Bool == false)
                #expect(users.list("results").map { $0["key"] as? String ?? "" } == records.accounts.filter { $0.expectedStatus != .invited }.map(\.id))
            case .processMaker:
                let (users, total) = try await Paging.processMaker(client, base + "/users", perPage: 100, headers: Auth.processMaker(company))
                #expect(total == records.listedAccounts.count)
                #expect(users.ids() == records.listedAccounts.map(\.id))
                let (memberships, membershipTotal) = try await Paging.processMaker(client, base + "/group_members", perPage: 500, headers: Auth.processMaker(company))
                let nested = records.containers.filter { $0.parentID != nil }.count
                #expect(membershipTotal == records.memberships.count + nested)
                #expect(memberships.records.count == records.memberships.count + nested)
            case .procore:
                let auth = try await Auth.procore(client, cluster)
                let users = base + "/companies/\(company.procoreCompanyID)/users"
                let (active, activeTotal) = try await Paging.procore(client, users + "?per_page=100", headers: auth)
                let (inactive, inactiveTotal) = try await Paging.procore(client, users + "/inactive?per_page=100", headers: auth)
                #expect(active.ids() == records.accounts.filter { $0.expectedStatus == .active }.map(\.id))
                #expect(inactive.ids() == records.accounts.filter { $0.expectedStatus != .active }.map(\.id))
                #expect(activeTotal == active.records.count && inactiveTotal == inactive.records.count)
                let (projects, _) = try await Paging.procore(client, base + "/projects?company_id=\(company.procoreCompanyID)&per_page=25", headers: auth)
                #expect(projects.ids() == records.containers.map(\.id))
            }
            #expect(cluster.stats(system).clientErrors == 0)
            #expect(cluster.stats(system).serverErrors == 0)
        }
    }
}
