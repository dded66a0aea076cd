import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcessMakerTests {
    let records = Fixture.company.records(.processMaker)

    @Test func bearerTokenIsRequired() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/users"
            #expect(url.contains("/api/1.0/"))
            try await check(try await client.send(url, headers: Auth.processMaker).status == 200)
            try await check(try await client.send(url).status == 401)
            try await check(try await client.send(url, headers: [("Authorization", "Bearer x")]).body.contains("Unauthenticated."))
        }
    }

    @Test func usersComeInLaravelPagesWithMeta() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let first = try await client.send(base + "/users", headers: Auth.processMaker).object
            #expect((first["data"] as? [Any])?.count == 10)
            let meta = try #require(first["meta"] as? [String: Any])
            #expect(meta["total"] as? Int == records.accounts.count)
            #expect(meta["per_page"] as? Int == 10)
            #expect(meta["current_page"] as? Int == 1)
            #expect(meta["last_page"] as? Int == (records.accounts.count + 9) / 10)
            let clamped = try await client.send(base + "/users?per_page=5000", headers: Auth.processMaker).object
            #expect((clamped["meta"] as? [String: Any])?["per_page"] as? Int == 1000)
            var ids: [Int] = []
            var page = 1
            while true {
                let reply = try await client.send(base + "/users?page=\(page)&per_page=100", headers: Auth.processMaker).object
                ids += (reply["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                let meta = reply["meta"] as? [String: Any] ?? [:]
                if page >= meta["last_page"] as? Int ?? 0 { break }
                page += 1
            }
            #expect(ids.map(String.init) == records.accounts.map(\.id))
        }
    }

    @Test func softDeletedUsersAndLaravelTimestamps() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let reply = try await client.send(cluster.baseURL(.processMaker) + "/users?per_page=1000", headers: Auth.processMaker)
            let users = reply.object["data"] as? [[String: Any]] ?? []
            let deleted = users.filter { $0["deleted_at"] is String }
            #expect(!deleted.isEmpty)
            #expect(deleted.contains { $0["status"] as? String == "ACTIVE" })
            #expect(users.contains { $0["status"] as? String == "INACTIVE" })
            #expect(users.contains { $0["loggedin_at"] is NSNull })
            let laravel = users.compactMap { $0["loggedin_at"] as? String }
            #expect(!laravel.isEmpty && laravel.allSatisfy { $0.count == 19 && $0.dropFirst(10).first == " " })
            #expect(users.contains { $0["is_administrator"] as? Bool == true })
        }
    }

    @Test func groupMembersIncludeANestedGroup() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let groups = try await client.send(base + "/groups?per_page=100", headers: Auth.processMaker).object["data"] as? [[String: Any]] ?? []
            #expect(groups.count == records.containers.count)
            let nested = try #require(records.containers.first { $0.parentID != nil })
            let members = try await client.send(base + "/group_members?group_id=\(nested.parentID!)&per_page=1000", headers: Auth.processMaker).object["data"] as? [[String: Any]] ?? []
            #expect(members.contains { $0["member_type"] as? String == "ProcessMaker\\Models\\Group" && $0["member_id"] as? Int == Int(nested.id) })
            let users = members.filter { $0["member_type"] as? String == "ProcessMaker\\Models\\User" }
            #expect(users.count == records.memberships.filter { $0.containerID == nested.parentID }.count)
            try await check(try await client.send(base + "/group_members?group_id=99999", headers: Auth.processMaker).status == 404)
        }
    }
}
