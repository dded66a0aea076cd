import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct StreakTests {
    let company = Fixture.company

    @Test func basicAuthWithTheKeyAsUserOrApiKeyParameter() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let url = cluster.baseURL(.streak) + "/users/me"
            let key = company.credentials[Company.CredentialName.streakAPIKey]!
            try await check(try await client.send(url, headers: Auth.streak).status == 200)
            try await check(try await client.send(url + "?api_key=\(key)").status == 200)
            try await check(try await client.send(url).status == 401)
            try await check(try await client.send(url, headers: [Auth.streakBasic("wrong")]).status == 401)
            try await check(try await client.send(url + "?api_key=wrong").status == 401)
            try await check(try await client.send(url, headers: [("Authorization", "Bearer \(key)")]).status == 401)
        }
    }

    @Test func meGivesTheOrgKeyAndTheOrgListIsOneArray() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let base = cluster.baseURL(.streak)
            let me = try await client.send(base + "/users/me", headers: Auth.streak).object
            let orgKey = try #require(me["orgKey"] as? String)
            #expect(orgKey == company.streakOrgKey)
            #expect(me["isOrgAdmin"] as? Bool == true)
            let users = try await client.send(base + "/organizations/\(orgKey)/users", headers: Auth.streak).array
            #expect(users.count == company.records(.streak).accounts.count)
            #expect(users.compactMap { $0["key"] as? String } == company.records(.streak).accounts.map(\.key))
            try await check(try await client.send(base + "/organizations/someoneelse/users", headers: Auth.streak).status == 403)
        }
    }

    @Test func timestampsAreEpochMillisecondsAndSometimesMissing() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.streak) + "/organizations/\(company.streakOrgKey)/users", headers: Auth.streak)
            let users = reply.array
            #expect(users.allSatisfy { ($0["creationTimestamp"] as? Double ?? 0) > 1_000_000_000_000 })
            #expect(users.contains { $0["lastSeenTimestamp"] == nil })
            #expect(reply.body.contains("\"lastSeenTimestamp\":null"))
            #expect(users.contains { ($0["lastSeenTimestamp"] as? Double ?? 0) > 1_000_000_000_000 })
        }
    }
}

private extension SimulatedAccount {
    var key: String { id }
}
