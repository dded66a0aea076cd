import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

/// `Company.fewestRequests(_:)` against the requests a full read really takes over the wire, at the page
/// sizes idgraph asks for and ending each list where the vendor says it ends.
@Suite struct FewestRequestsTests {
    @Test(arguments: SimulatedSystem.allCases, [300, 2000])
    func fewestRequestsIsWhatAFullReadTakes(_ system: SimulatedSystem, _ size: Int) async throws {
        let company = size == 2000 ? LargeCompanyTests.company : Fixture.company
        let records = company.records(system)
        try await withCluster(company: company, systems: [system]) { cluster, client in
            let base = cluster.baseURL(system)
            switch system {
            case .processStreet:
                let auth = Auth.processStreet(company)
                let users = try await Paging.processStreet(client, base + "/users", headers: auth)
                let scimUsers = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: auth)
                let scimGroups = try await Paging.scim(client, cluster.processStreetSCIM + "/Groups", count: 100, headers: auth)
                #expect(users.records.count == records.accounts.filter { $0.expectedStatus == .active }.count)
                #expect(scimUsers.records.count == records.accounts.count && scimGroups.records.count == records.containers.count)
            case .proofHub:
                let auth = Auth.proofHub(company)
                try await check(try await client.send(base + "/roles", headers: auth).status == 200)
                var read = 0
                for path in ["/people", "/projects", "/groups"] {
                    read += try await Paging.proofHub(client, base + path, limit: 100, headers: auth).records.count
                }
                #expect(read == records.accounts.count + records.containers.count)
            case .streak:
                let auth = Auth.streak(company)
                try await check(try await client.send(base + "/v1/users/me", headers: auth).status == 200)
                let teams = try await client.send(base + "/v2/users/me/teams?page=0&limit=50", headers: auth).list("results")
                #expect(teams.count == records.containers.count)
                for team in teams {
                    let key = try #require(team["key"] as? String)
                    try await check(try await client.send(base + "/v2/teams/\(key)/users", headers: auth).status == 200)
                }
            case .processMaker:
                let auth = Auth.processMaker(company)
                try await check(try await client.send(base + "/users/configuration", headers: auth).status == 200)
                var read = 0
                for path in ["/users", "/groups", "/group_members"] {
                    read += try await Paging.processMaker(client, base + path, perPage: 500, headers: auth).listed.records.count
                }
                let nested = records.containers.filter { $0.parentID != nil }.count
                #expect(read == records.listedAccounts.count + records.containers.count + records.memberships.count + nested)
                // collect_tokens: true reads each listed user's personal access tokens.
                var tokens = 0
                for account in records.listedAccounts {
                    tokens += try await Paging.processMaker(client, base + "/users/\(account.id)/tokens", perPage: 500, headers: auth).listed.records.count
                }
                let listed = Set(records.listedAccounts.map(\.id))
                #expect(tokens == records.credentials.filter { listed.contains($0.userID) }.count)
            case .procore:
                let auth = try await Auth.procore(client, cluster)
                let (projects, _) = try await Paging.procore(client, base + "/projects?company_id=\(company.procoreCompanyID)&per_page=2000", headers: auth)
                #expect(projects.records.count == records.containers.count)
                var members = 0
                for id in projects.ids() {
                    for list in ["users", "users/inactive"] {
                        members += try await Paging.procore(client, base + "/projects/\(id)/\(list)?per_page=2000", headers: auth).listed.records.count
                    }
                }
                #expect(members == records.memberships.count)
                var users = 0
                for list in ["users", "users/inactive"] {
                    users += try await Paging.procore(client, base + "/companies/\(company.procoreCompanyID)/\(list)?per_page=2000", headers: auth).listed.records.count
                }
                #expect(users == records.accounts.count)
            }
            #expect(cluster.stats(system).requests == company.fewestRequests(system), "\(system) at \(size)")
            #expect(cluster.stats(system).clientErrors == 0)
        }
    }
}
