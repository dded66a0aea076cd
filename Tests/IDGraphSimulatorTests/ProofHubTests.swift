import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProofHubTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.proofHub) }
    var projects: [SimulatedContainer] { records.containers.filter { $0.type == "project" } }
    var groups: [SimulatedContainer] { records.containers.filter { $0.type == "group" } }

    /// How a timestamp must look on the wire: absent, null, or a string.
    func matches(_ value: Any?, _ timestamp: SimulatedTimestamp) -> Bool {
        switch timestamp.form {
        case .missing: value == nil
        case .null: value is NSNull
        default: value is String
        }
    }

    @Test func userAgentThenAPIKeyAreRequired() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/people"
            #expect(url.contains("/api/v3/"))
            let key = Auth.secret(Company.CredentialName.proofHubToken)
            try await check(try await client.send(url, headers: Auth.proofHub()).status == 200)
            // AsyncHTTPClient adds no User-Agent of its own, so this request really has none.
            let noAgent = try await client.send(url, headers: [("X-API-KEY", key)])
            #expect(noAgent.status == 400)
            #expect(noAgent.body.contains("User-Agent"))
            // A User-Agent without the app's contact email is malformed.
            for agent in ["idgraph-tests", "idgraph (no email here)", "idgraph tests@example.com"] {
                try await check(try await client.send(url, headers: [("X-API-KEY", key), ("User-Agent", agent)]).status == 400, "\(agent)")
            }
            // The User-Agent is checked before the key: no key and no agent is still 400.
            try await check(try await client.send(url).status == 400)
            try await check(try await client.send(url, headers: [Auth.proofHubAgent]).status == 401)
            // ProofHub does not take the key as a Bearer token.
            try await check(try await client.send(url, headers: [Auth.bearer(key), Auth.proofHubAgent]).status == 401)
            let wrong = try await client.send(url, headers: [("X-API-KEY", "ph_wrong"), Auth.proofHubAgent])
            #expect(wrong.status == 401)
            #expect((wrong.object["error"] as? String)?.contains("X-API-KEY") == true)
            let stats = cluster.stats(.proofHub)
            #expect(stats.requests == 9)
            #expect(stats.unauthorized == 3)
            #expect(stats.clientErrors == 8)
        }
    }

    @Test func rolesNameTheRoleIDsPeopleCarry() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let base = cluster.baseURL(.proofHub)
            let roles = try await client.send(base + "/roles", headers: Auth.proofHub()).array
            #expect(roles.map { $0["name"] as? String ?? "" } == ["Owner", "Admin", "Normal User", "Client", "Collaborator"])
            #expect(roles.allSatisfy { $0["id"] is Int && $0["default"] is Bool })
            #expect(roles.first { $0["name"] as? String == "Collaborator" }?["default"] as? Bool == false)
            #expect(roles.first { $0["name"] as? String == "Owner" }?["default"] as? Bool == true)
            let names = Dictionary(uniqueKeysWithValues: roles.map { (int($0["id"]) ?? -1, $0["name"] as? String ?? "") })
            #expect(names.count == 5)
            let people = try await Paging.proofHub(client, base + "/people", limit: 100, headers: Auth.proofHub())
            for (account, person) in zip(records.accounts, people.records) {
                // The role is an object holding only the id, named by /roles.
                let role = try #require(person["role"] as? [String: Any], "\(account.id)")
                #expect(keys(role) == ["id"])
                #expect(names[int(role["id"]) ?? -1] == (account.role ?? "Normal User"), "\(account.id)")
            }
            // Exactly one owner, and the planted client has the Client role.
            #expect(people.records.filter { names[int(($0["role"] as? [String: Any])?["id"]) ?? -1] == "Owner" }.count == 1)
            let external = try #require(company.accounts(planted: .proofHubClient).first?.account)
            let served = try #require(people.records.first { int($0["id"]) == Int(external.id) })
            #expect(names[int((served["role"] as? [String: Any])?["id"]) ?? -1] == "Client")
        }
    }

    @Test func peopleCarrySuspendedLastActiveGroupsAndProjects() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let people = try await Paging.proofHub(client, cluster.baseURL(.proofHub) + "/people", limit: 100, headers: Auth.proofHub())
            #expect(people.ids() == records.accounts.map(\.id))
            let types = Dictionary(uniqueKeysWithValues: records.containers.map { ($0.id, $0.type) })
            for (account, person) in zip(records.accounts, people.records) {
                #expect(person["suspended"] as? Bool == (account.expectedStatus == .inactive), "\(account.id)")
                #expect(person["first_name"] as? String == account.firstName)
                #expect(person["last_name"] as? String == account.lastName)
                #expect(account.email.map { person["email"] as? String == $0 } ?? (person["email"] is NSNull), "\(account.id)")
                #expect(matches(person["last_active"], account.lastSeen), "\(account.id) last_active")
                #expect(matches(person["created_at"], account.created), "\(account.id) created_at")
                let memberships = records.memberships.filter { $0.accountID == account.id }
                let expectedGroups = Set(memberships.filter { types[$0.containerID] == "group" }.compactMap { Int($0.containerID) })
                let expectedProjects = Set(memberships.filter { types[$0.containerID] == "project" }.compactMap { Int($0.containerID) })
                #expect(Set(person["groups"] as? [Int] ?? [-1]) == expectedGroups, "\(account.id) groups")
                #expect(Set(person["projects"] as? [Int] ?? [-1]) == expectedProjects, "\(account.id) projects")
            }
            let active = people.records.compactMap { $0["last_active"] as? String }
            #expect(!active.isEmpty && active.allSatisfy { $0.hasSuffix("+02:00") })
            #expect(people.records.contains { $0["last_active"] is NSNull })
            // A suspended person still assigned to projects.
            let ben = try #require(company.accounts(planted: .suspendedWithProjects).first?.account)
            let served = try #require(people.records.first { int($0["id"]) == Int(ben.id) })
            #expect(served["suspended"] as? Bool == true)
            #expect(!((served["projects"] as? [Int]) ?? []).isEmpty)
            let kiosk = try #require(company.accounts(planted: .noEmail).first?.account)
            #expect(people.records.first { int($0["id"]) == Int(kiosk.id) }?["email"] is NSNull)
        }
    }

    @Test func onePersonByID() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let account = records.accounts[3]
            let person = try await client.send(cluster.baseURL(.proofHub) + "/people/\(account.id)", headers: Auth.proofHub())
            #expect(person.status == 200)
            #expect(int(person.object["id"]) == Int(account.id))
            try await check(try await client.send(cluster.baseURL(.proofHub) + "/people/1", headers: Auth.proofHub()).status == 404)
        }
    }

    @Test func projectsListAssignedPeopleAndTheManager() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let served = try await Paging.proofHub(client, cluster.baseURL(.proofHub) + "/projects", limit: 100, headers: Auth.proofHub())
            #expect(served.ids() == projects.map(\.id))
            for (project, object) in zip(projects, served.records) {
                let memberships = records.memberships.filter { $0.containerID == project.id }
                #expect(object["title"] as? String == project.name)
                #expect(object["archived"] as? Bool == false)
                #expect(object["assigned"] as? [Int] == memberships.compactMap { Int($0.accountID) }, "project \(project.id)")
                if let manager = memberships.first(where: { $0.role == "manager" }) {
                    #expect(int((object["manager"] as? [String: Any])?["id"]) == Int(manager.accountID), "project \(project.id)")
                } else {
                    #expect(object["manager"] is NSNull, "project \(project.id)")
                }
            }
            #expect(served.records.contains { $0["manager"] is [String: Any] })
            // The hostile project name survives as text.
            #expect(served.records.contains { ($0["title"] as? String)?.contains("<") == true })
        }
    }

    @Test func groupsListAssignedPeople() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let served = try await Paging.proofHub(client, cluster.baseURL(.proofHub) + "/groups", limit: 100, headers: Auth.proofHub())
            #expect(served.ids() == groups.map(\.id))
            for (group, object) in zip(groups, served.records) {
                #expect(object["name"] as? String == group.name)
                #expect(object["assigned"] as? [Int] == records.memberships.filter { $0.containerID == group.id }.compactMap { Int($0.accountID) })
            }
        }
    }

    @Test func startLimitPagingServesAtMost100AndAnEmptyPagePastTheEnd() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let base = cluster.baseURL(.proofHub) + "/people"
            let ids = records.accounts.compactMap { Int($0.id) }
            try #require(ids.count > 200)
            func page(_ query: String) async throws -> [Int] {
                let reply = try await client.send(base + query, headers: Auth.proofHub())
                try #require(reply.status == 200, "\(query): \(reply.status)")
                let array = try #require(reply.json as? [[String: Any]], "\(query): \(reply.body.prefix(200))")
                return array.compactMap { int($0["id"]) }
            }
            try await check(try await page("") == Array(ids.prefix(100)))
            try await check(try await page("?limit=500") == Array(ids.prefix(100)))
            try await check(try await page("?start=5&limit=10") == Array(ids[5..<15]))
            try await check(try await page("?start=150") == Array(ids[150..<min(250, ids.count)]))
            try await check(try await page("?start=\(ids.count - 3)&limit=100") == Array(ids.suffix(3)))
            let past = try await client.send(base + "?start=\(ids.count)&limit=100", headers: Auth.proofHub())
            #expect(past.status == 200 && past.body == "[]")
            try await check(try await page("?start=\(ids.count + 1000)").isEmpty)
            let listed = try await Paging.proofHub(client, base, limit: 37, headers: Auth.proofHub())
            #expect(listed.ids().compactMap { Int($0) } == ids)
            #expect(listed.pageSizes == pageSizes(ids.count, 37) + [0])
            try await check(try await client.send(base + "?limit=many", headers: Auth.proofHub()).status == 400)
        }
    }

    @Test func configCarriesTheUserAgent() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, _ in
            let yaml = cluster.configYAML()
            #expect(yaml.contains("    token: ${PROOFHUB_TOKEN}\n"))
            #expect(yaml.contains("    user_agent: \"idgraph (it-security@\(company.domain))\"\n"))
        }
    }
}
