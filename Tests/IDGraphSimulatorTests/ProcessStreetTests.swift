import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcessStreetTests {
    let records = Fixture.company.records(.processStreet)

    @Test func bearerTokenIsRequired() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let url = cluster.baseURL(.processStreet) + "/members"
            #expect(url.hasSuffix("/api/v1/members"))
            try await check(try await client.send(url, headers: Auth.processStreet).status == 200)
            try await check(try await client.send(url).status == 401)
            try await check(try await client.send(url, headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(cluster.stats(.processStreet).unauthorized == 2)
        }
    }

    @Test func membersPageByOffsetWithASilentlyClampedLimit() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            let first = try await client.send(base + "/members", headers: Auth.processStreet)
            #expect((first.object["members"] as? [Any])?.count == 50)
            let clamped = try await client.send(base + "/members?limit=1000", headers: Auth.processStreet)
            #expect((clamped.object["members"] as? [Any])?.count == 100)
            var ids: [String] = []
            var offset = 0
            while true {
                let page = try await client.send(base + "/members?offset=\(offset)&limit=100", headers: Auth.processStreet)
                let members = page.object["members"] as? [[String: Any]] ?? []
                ids += members.compactMap { $0["id"] as? String }
                if members.count < 100 { break }
                offset += 100
            }
            #expect(ids == records.accounts.map(\.id))
            let bad = try await client.send(base + "/members?offset=abc", headers: Auth.processStreet)
            #expect(bad.status == 400)
        }
    }

    @Test func exactMultipleEndsWithAnEmptyPage() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let count = records.accounts.count
            let page = try await client.send(cluster.baseURL(.processStreet) + "/members?offset=\(count)&limit=50", headers: Auth.processStreet)
            #expect(page.status == 200)
            #expect((page.object["members"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func membersCarryMixedTimestampsAndStatuses() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let page = try await client.send(cluster.baseURL(.processStreet) + "/members?limit=100&offset=0", headers: Auth.processStreet)
            #expect(page.body.contains("\"createdDate\":null"))
            let members = page.object["members"] as? [[String: Any]] ?? []
            #expect(members.contains { $0["createdDate"] == nil })
            let dates = members.compactMap { $0["createdDate"] as? String }
            #expect(dates.contains { $0.hasSuffix("+02:00") })
            #expect(dates.contains { $0.contains(".") && $0.hasSuffix("Z") })
            #expect(dates.contains { !$0.contains(".") && $0.hasSuffix("Z") })
            #expect(Set(members.compactMap { $0["status"] as? String }).isSuperset(of: ["active", "invited"]))
            #expect(members.allSatisfy { $0["organizationId"] is String })
        }
    }

    @Test func groupsAndGroupMembersAreWrapped() async throws {
        try await withCluster(systems: [.processStreet]) { cluster, client in
            let base = cluster.baseURL(.processStreet)
            let groups = try await client.send(base + "/groups", headers: Auth.processStreet).object["groups"] as? [[String: Any]] ?? []
            #expect(groups.count == records.containers.count)
            let group = records.containers[0]
            let members = try await client.send(base + "/groups/\(group.id)/members?limit=100", headers: Auth.processStreet)
            let ids = Set((members.object["members"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(ids == Set(records.memberships.filter { $0.containerID == group.id }.map(\.accountID)))
            try await check(try await client.send(base + "/groups/grp_nope/members", headers: Auth.processStreet).status == 404)
            let one = try await client.send(base + "/members/\(records.accounts[0].id)", headers: Auth.processStreet)
            #expect((one.object["member"] as? [String: Any])?["id"] as? String == records.accounts[0].id)
        }
    }
}
