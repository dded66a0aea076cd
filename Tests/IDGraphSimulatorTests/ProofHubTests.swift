import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProofHubTests {
    let records = Fixture.company.records(.proofHub)

    @Test func userAgentAndTokenAreRequired() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let url = cluster.baseURL(.proofHub) + "/people"
            #expect(url.contains("/api/v3/"))
            try await check(try await client.send(url, headers: Auth.proofHub).status == 200)
            // AsyncHTTPClient adds no User-Agent of its own, so this request really has none.
            let noAgent = try await client.send(url, headers: [Auth.bearer(Company.CredentialName.proofHubToken)])
            #expect(noAgent.status == 400)
            #expect(noAgent.body.contains("User-Agent"))
            try await check(try await client.send(url, headers: [("User-Agent", "t")]).status == 401)
            try await check(try await client.send(url, headers: [("User-Agent", "t"), ("Authorization", "Bearer nope")]).status == 401)
        }
    }

    @Test func peoplePagesAre25ByDefaultAndAtMost100() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let base = cluster.baseURL(.proofHub)
            try await check(try await client.send(base + "/people", headers: Auth.proofHub).array.count == 25)
            try await check(try await client.send(base + "/people?page=1&per_page=500", headers: Auth.proofHub).array.count == 100)
            try await check(try await client.send(base + "/people?page=0", headers: Auth.proofHub).array.first?["id"] as? Int == Int(records.accounts[0].id))
            var ids: [String] = []
            var page = 1
            while true {
                let people = try await client.send(base + "/people?page=\(page)", headers: Auth.proofHub).array
                ids += people.compactMap { ($0["id"] as? Int).map(String.init) }
                if people.count < 25 { break }
                page += 1
            }
            #expect(ids == records.accounts.map(\.id))
            let beyond = (records.accounts.count + 24) / 25 + 1
            try await check(try await client.send(base + "/people?page=\(beyond)", headers: Auth.proofHub).body == "[]")
        }
    }

    @Test func peopleHaveOptionalStatusNullEmailAndMixedDates() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let people = try await client.send(cluster.baseURL(.proofHub) + "/people?per_page=100&page=1", headers: Auth.proofHub).array
                + (try await client.send(cluster.baseURL(.proofHub) + "/people?per_page=100&page=2", headers: Auth.proofHub).array)
            #expect(people.contains { $0["status"] == nil })
            #expect(people.contains { $0["status"] as? String == "inactive" })
            #expect(people.contains { $0["email"] is NSNull })
            #expect(people.contains { $0["created_at"] == nil })
            #expect(people.contains { ($0["created_at"] as? String)?.hasSuffix("+02:00") == true })
            #expect(Set(people.compactMap { $0["role"] as? String }).isSuperset(of: ["owner", "admin", "member"]))
        }
    }

    @Test func projectsAndProjectPeopleWithProjectRoles() async throws {
        try await withCluster(systems: [.proofHub]) { cluster, client in
            let base = cluster.baseURL(.proofHub)
            let projects = try await client.send(base + "/projects", headers: Auth.proofHub).array
            #expect(projects.count == records.containers.count)
            #expect(projects.contains { ($0["title"] as? String)?.contains("<Launch> & \"Go-Live\"") == true })
            let project = records.containers[1]
            let people = try await client.send(base + "/projects/\(project.id)/people", headers: Auth.proofHub).array
            #expect(people.count == records.memberships.filter { $0.containerID == project.id }.count)
            #expect(people.allSatisfy { $0["role"] is String })
        }
    }
}
