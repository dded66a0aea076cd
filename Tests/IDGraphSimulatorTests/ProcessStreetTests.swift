import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcessStreetTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.processStreet) }
    /// What v1.1 `/users` lists: the active users, sorted by name.
    var listedByV11: [SimulatedAccount] {
        records.accounts.filter { $0.expectedStatus == .active }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The SCIM id of an account: by default an active user's SCIM id is not its v1.1 id; a deactivated
    /// user, known to SCIM only, is served under its own id.
    func scimID(_ account: SimulatedAccount, matching: Bool = false) -> String {
        matching || account.expectedStatus != .active ? account.id : account.scimID!
    }

    @Test func apiKeyHeaderIsRequiredOnBothRoots() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            #expect(base.hasSuffix("/api/v1.1"))
            let key = Auth.secret(Company.CredentialName.processStreetToken)
            let urls = [base + "/users", cluster.processStreetSCIM + "/Users", cluster.processStreetSCIM + "/Groups"]
            for url in urls {
                try await check(try await client.send(url, headers: Auth.processStreet()).status == 200, "\(url)")
                let missing = try await client.send(url)
                #expect(missing.status == 401, "\(url)")
                // The vendor's error shape.
                #expect(missing.object["errorCode"] as? String == "Unauthorized")
                #expect((missing.object["error"] as? String)?.contains("X-API-KEY") == true)
                #expect(missing.object["requestId"] is String)
                #expect(missing.object["details"] is [String: Any])
                // A valid key in the wrong header (Bearer) is not accepted.
                try await check(try await client.send(url, headers: [Auth.bearer(key)]).status == 401, "\(url)")
                try await check(try await client.send(url, headers: [("X-API-KEY", key + "x")]).status == 401, "\(url)")
            }
            #expect(cluster.stats(.processStreet).unauthorized == 9)
            #expect(cluster.stats(.processStreet).requests == 12)
        }
    }

    @Test func usersCome20APageSortedByNameWithANextLinkUntilTheLast() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            let expected = listedByV11
            try #require(expected.count > 40)
            let first = try await client.send(base + "/users", headers: Auth.processStreet())
            #expect(first.status == 200)
            #expect(first.list("users").count == 20)
            let next = try #require(first.list("links").first { $0["name"] as? String == "next" })
            let href = try #require(next["href"] as? String)
            #expect(href.hasPrefix(base + "/users?_="))
            // The documented user shape: id, email, username (the name), nothing else.
            for user in first.list("users") {
                #expect(keys(user) == ["email", "id", "username"])
            }
            let listed = try await Paging.processStreet(client, base + "/users", headers: Auth.processStreet())
            #expect(listed.ids() == expected.map(\.id))
            #expect(listed.records.map { $0["username"] as? String } == expected.map(\.name))
            #expect(listed.records.map { $0["email"] as? String } == expected.map(\.email))
            #expect(listed.pageSizes == pageSizes(expected.count, 20))
        }
    }

    @Test func usersListsOnlyActiveUsers() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let listed = try await Paging.processStreet(client, cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet())
            let ids = Set(listed.ids())
            let deactivated = records.accounts.filter { $0.expectedStatus != .active }
            try #require(!deactivated.isEmpty)
            #expect(deactivated.allSatisfy { !ids.contains($0.id) })
            let ben = try #require(company.accounts(planted: .deactivatedWithMemberships).first { $0.system == .processStreet }?.account)
            #expect(!ids.contains(ben.id))
        }
    }

    @Test func aCursorThatIsNotTheServersIsRefused() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.processStreet) + "/users?_=nonsense", headers: Auth.processStreet())
            #expect(reply.status == 400)
            #expect(reply.object["errorCode"] as? String == "BadRequest")
        }
    }

    @Test func scimUsersAreAListResponseOfEveryAccountWithItsActiveFlag() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let url = cluster.processStreetSCIM + "/Users"
            let first = try await client.send(url, headers: Auth.processStreet())
            #expect(first.status == 200)
            #expect(first.object["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
            #expect(first.object["totalResults"] as? Int == records.accounts.count)
            #expect(first.object["startIndex"] as? Int == 1)
            #expect(first.object["itemsPerPage"] as? Int == 100)
            #expect(first.list("Resources").count == 100)

            let listed = try await Paging.scim(client, url, count: 100, headers: Auth.processStreet())
            #expect(listed.ids() == records.accounts.map { scimID($0) })
            #expect(listed.pageSizes == pageSizes(records.accounts.count, 100))
            let byID = Dictionary(uniqueKeysWithValues: listed.records.map { ($0["id"] as? String ?? "", $0) })
            for account in records.accounts {
                let user = try #require(byID[scimID(account)])
                #expect(user["active"] as? Bool == (account.expectedStatus == .active), "\(account.id)")
                #expect(user["userName"] as? String == account.email ?? "user-\(account.id)")
                #expect(user["displayName"] as? String == account.name)
                let emails = user["emails"] as? [[String: Any]] ?? []
                #expect(emails.first?["value"] as? String == account.email)
                #expect(user["schemas"] as? [String] == ["urn:ietf:params:scim:schemas:core:2.0:User"])
                let meta = user["meta"] as? [String: Any] ?? [:]
                #expect(meta["resourceType"] as? String == "User")
                #expect((meta["created"] == nil) == (account.created.form == .missing))
            }
            // The deactivated users v1.1 never lists are here, inactive.
            let ben = try #require(company.accounts(planted: .deactivatedWithMemberships).first { $0.system == .processStreet }?.account)
            #expect(byID[ben.id]?["active"] as? Bool == false)
        }
    }

    @Test func scimPagesByStartIndexAndCountOfAtMost100() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let url = cluster.processStreetSCIM + "/Users"
            let expected = records.accounts.map { scimID($0) }
            let window = try await client.send(url + "?startIndex=11&count=10", headers: Auth.processStreet())
            #expect(window.object["startIndex"] as? Int == 11)
            #expect(window.object["itemsPerPage"] as? Int == 10)
            #expect(window.list("Resources").map { $0["id"] as? String ?? "" } == Array(expected[10..<20]))
            let large = try await client.send(url + "?count=1000", headers: Auth.processStreet())
            #expect(large.object["itemsPerPage"] as? Int == 100)
            #expect(large.list("Resources").count == 100)
            let beyond = try await client.send(url + "?startIndex=\(expected.count + 1)&count=10", headers: Auth.processStreet())
            #expect(beyond.status == 200)
            #expect(beyond.list("Resources").isEmpty)
            #expect(beyond.object["itemsPerPage"] as? Int == 0)
            #expect(beyond.object["totalResults"] as? Int == expected.count)
            // Odd page sizes lose nothing.
            let listed = try await Paging.scim(client, url, count: 37, headers: Auth.processStreet())
            #expect(listed.ids() == expected)
            let bad = try await client.send(url + "?startIndex=first", headers: Auth.processStreet())
            #expect(bad.status == 400)
            #expect(bad.object["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            #expect(bad.object["status"] as? String == "400")
        }
    }

    /// RFC 7644 §3.4.2.4: "A value of "0" indicates that no resource results are to be returned except
    /// for "totalResults"" (and a negative count is read as 0): the cheap way to ask how many there are.
    @Test func scimCountZeroReturnsOnlyTheTotal() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            for count in [0, -5] {
                let reply = try await client.send(cluster.processStreetSCIM + "/Users?count=\(count)", headers: Auth.processStreet())
                #expect(reply.status == 200)
                #expect(reply.object["totalResults"] as? Int == records.accounts.count)
                #expect(reply.list("Resources").count == 0, "count=\(count)")
                #expect(reply.object["itemsPerPage"] as? Int == 0)
            }
        }
    }

    /// RFC 7644 §3.1 and §8.1: SCIM responses are `application/scim+json`, as `scimList` sets.
    @Test func scimResponsesAreSCIMJSON() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            for resource in ["Users", "Groups"] {
                let reply = try await client.send(cluster.processStreetSCIM + "/" + resource, headers: Auth.processStreet())
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("application/scim+json") == true,
                        "\(resource): Content-Type \(reply.header("Content-Type") ?? "none")")
            }
        }
    }

    @Test func scimIDsDifferFromV11IDsByDefault() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let v11 = Set(try await Paging.processStreet(client, cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet()).ids())
            let scim = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet())
            let activeSCIM = Set(scim.records.filter { $0["active"] as? Bool == true }.map { $0["id"] as? String ?? "" })
            #expect(activeSCIM.count == v11.count)
            #expect(activeSCIM.isDisjoint(with: v11))
            // Yet they are the same people: the emails agree.
            let v11Emails = Set(listedByV11.compactMap(\.email))
            let scimEmails = Set(scim.records.filter { $0["active"] as? Bool == true }.compactMap { ($0["emails"] as? [[String: Any]])?.first?["value"] as? String })
            #expect(scimEmails == v11Emails)
        }
    }

    @Test func scimGroupsListTheirMembersBySCIMUserID() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let groups = try await Paging.scim(client, cluster.processStreetSCIM + "/Groups", count: 100, headers: Auth.processStreet())
            #expect(groups.ids() == records.containers.map(\.id))
            let users = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet())
            let scimUsers = Set(users.ids())
            let accounts = Dictionary(uniqueKeysWithValues: records.accounts.map { ($0.id, $0) })
            for (group, served) in zip(records.containers, groups.records) {
                #expect(served["displayName"] as? String == group.name)
                #expect(served["schemas"] as? [String] == ["urn:ietf:params:scim:schemas:core:2.0:Group"])
                let members = served["members"] as? [[String: Any]] ?? []
                let values = members.map { $0["value"] as? String ?? "" }
                let expected = records.memberships.filter { $0.containerID == group.id }.map { scimID(accounts[$0.accountID]!) }
                #expect(values == expected, "group \(group.id)")
                #expect(values.allSatisfy(scimUsers.contains), "group \(group.id) names a user /Users does not list")
                #expect(members.allSatisfy { $0["type"] as? String == "User" })
            }
            // A deactivated user keeps the groups it was in.
            let ben = try #require(company.accounts(planted: .deactivatedWithMemberships).first { $0.system == .processStreet }?.account)
            let bensGroups = groups.records.filter { ($0["members"] as? [[String: Any]] ?? []).contains { $0["value"] as? String == ben.id } }
            #expect(bensGroups.count == 2)
        }
    }

    @Test func scimIDsEqualV11IDsWithTheScimIDsMatchVariant() async throws {
        try await withCluster(options: simulatorOptions { $0.scimIDsMatchUsers = true }, systems: [.processStreet]) { cluster, client in
            let v11 = try await Paging.processStreet(client, cluster.baseURL(.processStreet) + "/users", headers: Auth.processStreet())
            let scim = try await Paging.scim(client, cluster.processStreetSCIM + "/Users", count: 100, headers: Auth.processStreet())
            #expect(scim.ids() == records.accounts.map(\.id))
            #expect(Set(v11.ids()).isSubset(of: Set(scim.ids())))
            let groups = try await Paging.scim(client, cluster.processStreetSCIM + "/Groups", count: 100, headers: Auth.processStreet())
            let values = Set(groups.records.flatMap { ($0["members"] as? [[String: Any]] ?? []).map { $0["value"] as? String ?? "" } })
            #expect(values == Set(records.memberships.map(\.accountID)))
        }
    }

    @Test func configNamesBothRootsAndTheKeyByReference() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, _ in
            let yaml = cluster.configYAML()
            #expect(yaml.contains("    base_url: \"\(cluster.baseURL(.processStreet))\"\n"))
            #expect(yaml.contains("    scim_base_url: \"\(cluster.processStreetSCIM)\"\n"))
            #expect(yaml.contains("    token: ${PROCESS_STREET_TOKEN}\n"))
        }
    }
}
