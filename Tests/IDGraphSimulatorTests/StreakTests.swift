import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct StreakTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.streak) }

    /// Epoch milliseconds as the simulator writes them.
    func millis(_ timestamp: SimulatedTimestamp) -> Int? {
        timestamp.date.map { Int(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    @Test func basicAuthWithTheKeyAsUserNameOrTheKeyAsBearer() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let base = cluster.baseURL(.streak)
            #expect(base.hasSuffix("/api"))
            let url = base + "/v1/users/me"
            let key = Auth.secret(Company.CredentialName.streakAPIKey)
            try await check(try await client.send(url, headers: Auth.streak()).status == 200)
            try await check(try await client.send(url, headers: [Auth.bearer(key)]).status == 200)
            let none = try await client.send(url)
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
            #expect(none.object["error"] is String)
            try await check(try await client.send(url, headers: [Auth.streakBasic("wrong")]).status == 401)
            try await check(try await client.send(url, headers: [("Authorization", "Basic !!not-base64!!")]).status == 401)
            try await check(try await client.send(url, headers: [Auth.bearer("wrong")]).status == 401)
            // Not the headers or parameters other vendors use.
            try await check(try await client.send(url, headers: [("X-API-KEY", key)]).status == 401)
            try await check(try await client.send(url + "?api_key=\(key)").status == 401)
            #expect(cluster.stats(.streak).unauthorized == 6)
        }
    }

    @Test func meIsTheUserWhoOwnsTheKey() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let me = try await client.send(cluster.baseURL(.streak) + "/v1/users/me", headers: Auth.streak()).object
            let owner = try #require(records.accounts.first { $0.id == company.streakOwnerKey })
            #expect(me["key"] as? String == owner.id)
            #expect(me["email"] as? String == owner.email)
            #expect(me["displayName"] as? String == owner.name)
            #expect(me["userType"] as? String == "HUMAN")
            #expect(int(me["creationTimestamp"]) == millis(owner.created))
        }
    }

    @Test func teamsComeInZeroBasedPagesWithHasNextPage() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let url = cluster.baseURL(.streak) + "/v2/users/me/teams"
            let first = try await client.send(url, headers: Auth.streak())
            #expect(first.status == 200)
            #expect(first.object["hasNextPage"] as? Bool == false)
            let teams = first.list("results")
            #expect(teams.map { $0["key"] as? String } == [company.streakTeamKey])
            #expect(teams.first?["name"] as? String == records.containers[0].name)
            let explicit = try await client.send(url + "?page=0&limit=1", headers: Auth.streak())
            #expect(explicit.list("results").count == 1)
            #expect(explicit.object["hasNextPage"] as? Bool == false)
            let second = try await client.send(url + "?page=1&limit=1", headers: Auth.streak())
            #expect(second.status == 200)
            #expect(second.list("results").isEmpty)
            #expect(second.object["hasNextPage"] as? Bool == false)
            try await check(try await client.send(url + "?page=first", headers: Auth.streak()).status == 400)
        }
    }

    @Test func teamMembersCarryRoleInviteStatusAndUserType() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let team = try #require(try await client.send(cluster.baseURL(.streak) + "/v2/users/me/teams", headers: Auth.streak()).list("results").first)
            let members = team["members"] as? [[String: Any]] ?? []
            #expect(members.map { $0["userKey"] as? String ?? "" } == records.accounts.map(\.id))
            for (account, member) in zip(records.accounts, members) {
                let pending = account.expectedStatus == .invited
                #expect(member["inviteStatus"] as? String == (pending ? "Pending" : "Accepted"), "\(account.id)")
                #expect(member["role"] as? String == account.role, "\(account.id)")
                #expect(member["email"] as? String == account.email)
                #expect(int(member["inviteDate"]) == millis(account.created), "\(account.id)")
                #expect(member["userType"] as? String == (account.accountType == .service ? "AGENT" : "HUMAN"))
                // A pending invitee has no name yet.
                #expect((member["displayName"] == nil) == pending, "\(account.id)")
                #expect((member["fullName"] == nil) == pending, "\(account.id)")
            }
            let roles = Set(members.compactMap { $0["role"] as? String })
            #expect(roles.isSubset(of: ["Member", "Owner", "PayerOnly", "ArchiveOnly"]))
            #expect(roles.isSuperset(of: ["Member", "Owner", "PayerOnly", "ArchiveOnly"]))
            let stale = try #require(company.accounts(planted: .staleInvitation).first?.account)
            #expect(members.first { $0["userKey"] as? String == stale.id }?["inviteStatus"] as? String == "Pending")
        }
    }

    @Test func teamUsersAreEveryMemberButPendingInviteesIncludingArchivedAndAgents() async throws {
        try await withCluster(systems: [.streak]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.streak) + "/v2/teams/\(company.streakTeamKey)/users", headers: Auth.streak())
            #expect(reply.status == 200)
            #expect(reply.object["hasNextPage"] as? Bool == false)
            let users = reply.list("results")
            let expected = records.accounts.filter { $0.expectedStatus != .invited }
            #expect(users.map { $0["key"] as? String ?? "" } == expected.map(\.id))
            for (account, user) in zip(expected, users) {
                #expect(user["email"] as? String == account.email)
                #expect(user["displayName"] as? String == account.name)
                #expect(int(user["creationTimestamp"]) == millis(account.created), "\(account.id)")
                switch account.lastSeen.form {
                case .missing: #expect(user["lastSeenTimestamp"] == nil, "\(account.id)")
                case .null: #expect(user["lastSeenTimestamp"] is NSNull, "\(account.id)")
                default: #expect(int(user["lastSeenTimestamp"]) == millis(account.lastSeen), "\(account.id)")
                }
                #expect(user["userType"] as? String == (account.accountType == .service ? "AGENT" : "HUMAN"))
            }
            #expect(users.contains { $0["lastSeenTimestamp"] == nil })
            #expect(reply.body.contains("\"lastSeenTimestamp\":null"))
            let keys = Set(users.compactMap { $0["key"] as? String })
            for condition in [PlantedCondition.streakArchived, .streakAgent, .streakPayerOnly] {
                let account = try #require(company.accounts(planted: condition).first?.account)
                #expect(keys.contains(account.id), "\(condition)")
            }
            for condition in [PlantedCondition.staleInvitation, .freshInvitation] {
                let account = try #require(company.accounts(planted: condition).first?.account)
                #expect(!keys.contains(account.id), "\(condition) is not a user yet")
            }
            let agent = try #require(company.accounts(planted: .streakAgent).first?.account)
            #expect(users.first { $0["key"] as? String == agent.id }?["userType"] as? String == "AGENT")
            try await check(try await client.send(cluster.baseURL(.streak) + "/v2/teams/someone-else/users", headers: Auth.streak()).status == 404)
        }
    }

    @Test func configNamesTheKeyByReference() async throws {
        try await withCluster(systems: [.streak]) { cluster, _ in
            #expect(cluster.configYAML().contains("    api_key: ${STREAK_API_KEY}\n"))
        }
    }
}
