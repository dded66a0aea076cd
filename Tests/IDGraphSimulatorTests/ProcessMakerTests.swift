import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcessMakerTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.processMaker) }
    static let userType = "ProcessMaker\\Models\\User"
    static let groupType = "ProcessMaker\\Models\\Group"

    @Test func bearerTokenIsRequired() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let url = cluster.baseURL(.processMaker) + "/users"
            #expect(url.contains("/api/1.0/"))
            let token = Auth.secret(Company.CredentialName.processMakerToken)
            try await check(try await client.send(url, headers: Auth.processMaker()).status == 200)
            let none = try await client.send(url)
            #expect(none.status == 401)
            #expect(none.object["message"] as? String == "Unauthenticated.")
            #expect(none.header("WWW-Authenticate") == "Bearer")
            try await check(try await client.send(url, headers: [Auth.bearer("x")]).status == 401)
            try await check(try await client.send(url, headers: [("X-API-KEY", token)]).status == 401)
            try await check(try await client.send(url, headers: [("Authorization", token)]).status == 401)
            #expect(cluster.stats(.processMaker).unauthorized == 4)
        }
    }

    @Test func usersComeInLaravelPagesWithMeta() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let listedCount = records.listedAccounts.count
            let first = try await client.send(base + "/users", headers: Auth.processMaker())
            #expect(first.list("data").count == 10)
            let meta = try #require(first.object["meta"] as? [String: Any])
            #expect(meta["total"] as? Int == listedCount)
            #expect(meta["per_page"] as? Int == 10)
            #expect(meta["current_page"] as? Int == 1)
            #expect(meta["last_page"] as? Int == (listedCount + 9) / 10)
            #expect(meta["from"] as? Int == 1)
            #expect(meta["to"] as? Int == 10)
            #expect(meta["count"] as? Int == 10)
            let third = try await client.send(base + "/users?page=3&per_page=25", headers: Auth.processMaker())
            let thirdMeta = third.object["meta"] as? [String: Any] ?? [:]
            #expect(third.list("data").compactMap { int($0["id"]) } == records.listedAccounts[50..<75].compactMap { Int($0.id) })
            #expect(thirdMeta["from"] as? Int == 51 && thirdMeta["to"] as? Int == 75 && thirdMeta["current_page"] as? Int == 3)
            // No maximum page size.
            let all = try await client.send(base + "/users?per_page=5000", headers: Auth.processMaker())
            #expect(all.list("data").count == listedCount)
            #expect((all.object["meta"] as? [String: Any])?["per_page"] as? Int == 5000)
            let past = try await client.send(base + "/users?page=\(listedCount)&per_page=10", headers: Auth.processMaker())
            #expect(past.status == 200 && past.list("data").isEmpty)
            #expect((past.object["meta"] as? [String: Any])?["total"] as? Int == listedCount)
            let (listed, total) = try await Paging.processMaker(client, base + "/users", perPage: 33, headers: Auth.processMaker())
            #expect(total == listedCount)
            #expect(listed.ids() == records.listedAccounts.map(\.id))
            #expect(listed.pageSizes == pageSizes(listedCount, 33))
            try await check(try await client.send(base + "/users?per_page=ten", headers: Auth.processMaker()).status == 422)
        }
    }

    @Test func usersHideSystemUsersAndCarryEveryStatus() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let (listed, _) = try await Paging.processMaker(client, cluster.baseURL(.processMaker) + "/users", perPage: 100, headers: Auth.processMaker())
            let system = try #require(company.accounts(planted: .processMakerSystemUser).first?.account)
            #expect(system.isSystem)
            #expect(!listed.ids().contains(system.id))
            #expect(listed.records.allSatisfy { int($0["is_system"]) == 0 })
            for (account, user) in zip(records.listedAccounts, listed.records) {
                #expect(user["status"] as? String == (account.rawStatus ?? "ACTIVE"), "\(account.id)")
                #expect(user["is_administrator"] as? Bool == account.isAdmin, "\(account.id)")
                #expect(user["email"] as? String == account.email)
                #expect(user["firstname"] as? String == account.firstName)
                #expect(user["lastname"] as? String == account.lastName)
                #expect(user["deleted_at"] is NSNull)
                if account.lastSeen.date == nil {
                    #expect(user["active_at"] is NSNull && user["loggedin_at"] is NSNull, "\(account.id)")
                } else {
                    #expect((user["active_at"] as? String)?.hasSuffix("+02:00") == true, "\(account.id)")
                    #expect((user["loggedin_at"] as? String)?.hasSuffix("+02:00") == true, "\(account.id)")
                }
            }
            let statuses = Set(listed.records.compactMap { $0["status"] as? String })
            #expect(statuses.isSuperset(of: ["ACTIVE", "INACTIVE", "OUT_OF_OFFICE", "BLOCKED"]))
            #expect(statuses.isSubset(of: ["ACTIVE", "INACTIVE", "SCHEDULED", "OUT_OF_OFFICE", "BLOCKED"]))
            let owen = try #require(company.accounts(planted: .outOfOfficeInactive).first?.account)
            #expect(listed.records.first { int($0["id"]) == Int(owen.id) }?["status"] as? String == "OUT_OF_OFFICE")
            let bea = try #require(company.accounts(planted: .blockedUser).first?.account)
            #expect(listed.records.first { int($0["id"]) == Int(bea.id) }?["status"] as? String == "BLOCKED")
        }
    }

    @Test func oneUserByID() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let account = records.listedAccounts[4]
            let user = try await client.send(cluster.baseURL(.processMaker) + "/users/\(account.id)", headers: Auth.processMaker())
            #expect(user.status == 200)
            #expect(int(user.object["id"]) == Int(account.id))
            let missing = try await client.send(cluster.baseURL(.processMaker) + "/users/999999", headers: Auth.processMaker())
            #expect(missing.status == 404)
            #expect((missing.object["message"] as? String)?.hasPrefix("No query results") == true)
        }
    }

    @Test func theTokenBelongsToAnAdministratorByDefault() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let configuration = try await client.send(base + "/users/configuration", headers: Auth.processMaker())
            #expect(configuration.status == 200)
            let owner = try #require(int(configuration.object["user_id"]))
            let user = try await client.send(base + "/users/\(owner)", headers: Auth.processMaker()).object
            #expect(user["is_administrator"] as? Bool == true)
            #expect(user["status"] as? String == "ACTIVE")
            #expect(records.accounts.first { $0.id == String(owner) }?.isAdmin == true)
        }
    }

    @Test func theTokenBelongsToAnOrdinaryUserWithPMUserToken() async throws {
        try await withCluster(options: simulatorOptions { $0.processMakerTokenIsAdmin = false }, systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let owner = try #require(int(try await client.send(base + "/users/configuration", headers: Auth.processMaker()).object["user_id"]))
            let user = try await client.send(base + "/users/\(owner)", headers: Auth.processMaker()).object
            #expect(user["is_administrator"] as? Bool == false)
            #expect(records.accounts.first { $0.id == String(owner) }?.isAdmin == false)
        }
    }

    @Test func groupMembersIgnoresGroupIDAndListsEveryMembershipForAnAdministrator() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let plain = try await client.send(base + "/group_members?per_page=1000", headers: Auth.processMaker())
            #expect(plain.status == 200)
            for groupID in ["1", "2", "99999"] {
                let filtered = try await client.send(base + "/group_members?group_id=\(groupID)&per_page=1000", headers: Auth.processMaker())
                #expect(filtered.status == 200)
                #expect(filtered.body == plain.body, "group_id=\(groupID) changed the body")
            }
            let rows = plain.list("data")
            let nested = records.containers.filter { $0.parentID != nil }
            try #require(!nested.isEmpty)
            #expect((plain.object["meta"] as? [String: Any])?["total"] as? Int == records.memberships.count + nested.count)
            let users = rows.filter { $0["member_type"] as? String == Self.userType }
            #expect(users.map { "\(int($0["group_id"]) ?? 0):\(int($0["member_id"]) ?? 0)" }.sorted()
                == records.memberships.map { "\($0.containerID):\($0.accountID)" }.sorted())
            let groups = rows.filter { $0["member_type"] as? String == Self.groupType }
            #expect(groups.map { "\(int($0["group_id"]) ?? 0):\(int($0["member_id"]) ?? 0)" }.sorted()
                == nested.map { "\($0.parentID!):\($0.id)" }.sorted())
            #expect(Set(rows.compactMap { int($0["id"]) }).count == rows.count, "membership ids are unique")
            // Paged like every Laravel list.
            let (listed, total) = try await Paging.processMaker(client, base + "/group_members", perPage: 50, headers: Auth.processMaker())
            #expect(total == rows.count)
            #expect(listed.ids() == rows.map { "\($0["id"]!)" })
        }
    }

    @Test func groupMembersListOnlyTheOwnersRowsForAnOrdinaryUsersToken() async throws {
        try await withCluster(options: simulatorOptions { $0.processMakerTokenIsAdmin = false }, systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let owner = try #require(int(try await client.send(base + "/users/configuration", headers: Auth.processMaker()).object["user_id"]))
            let expected = records.memberships.filter { $0.accountID == String(owner) }
            try #require(!expected.isEmpty, "the ordinary token's owner is in no group")
            let plain = try await client.send(base + "/group_members?per_page=1000", headers: Auth.processMaker())
            let rows = plain.list("data")
            #expect(rows.count == expected.count)
            #expect(rows.allSatisfy { int($0["member_id"]) == owner && $0["member_type"] as? String == Self.userType })
            #expect(Set(rows.compactMap { int($0["group_id"]) }) == Set(expected.compactMap { Int($0.containerID) }))
            // Asking for another group changes nothing: group_id is never read.
            let other = records.memberships.first { $0.accountID != String(owner) }!.containerID
            let filtered = try await client.send(base + "/group_members?group_id=\(other)&per_page=1000", headers: Auth.processMaker())
            #expect(filtered.body == plain.body)
        }
    }

    @Test func groupUsersJoinEachUserWithItsMembershipRow() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let memberships = try await client.send(base + "/group_members?per_page=1000", headers: Auth.processMaker()).list("data")
            var membershipIDs: [String: Int] = [:]
            for row in memberships {
                membershipIDs["\(int(row["group_id"]) ?? 0):\(int(row["member_id"]) ?? 0):\(row["member_type"] as? String ?? "")"] = int(row["id"])
            }
            let accounts = Dictionary(uniqueKeysWithValues: records.accounts.map { ($0.id, $0) })
            for group in records.containers {
                let rows = try await client.send(base + "/groups/\(group.id)/users?per_page=1000", headers: Auth.processMaker()).list("data")
                let expected = records.memberships.filter { $0.containerID == group.id }
                #expect(rows.compactMap { int($0["member_id"]) } == expected.compactMap { Int($0.accountID) }, "group \(group.id)")
                for row in rows {
                    let member = try #require(int(row["member_id"]))
                    #expect(int(row["group_id"]) == Int(group.id))
                    #expect(row["member_type"] as? String == Self.userType)
                    // `id` is the membership's, the user is in `member_id`, and the user's columns come along.
                    #expect(int(row["id"]) == membershipIDs["\(group.id):\(member):\(Self.userType)"], "group \(group.id) member \(member)")
                    #expect(row["email"] as? String == accounts[String(member)]?.email)
                    #expect(row["fullname"] as? String == accounts[String(member)]?.name)
                }
            }
            // The nested group appears under its parent's /groups.
            let nested = try #require(records.containers.first { $0.parentID != nil })
            let subgroups = try await client.send(base + "/groups/\(nested.parentID!)/groups", headers: Auth.processMaker()).list("data")
            #expect(subgroups.count == 1)
            #expect(int(subgroups.first?["member_id"]) == Int(nested.id))
            #expect(subgroups.first?["member_type"] as? String == Self.groupType)
            #expect(subgroups.first?["name"] as? String == nested.name)
            #expect(int(subgroups.first?["id"]) == membershipIDs["\(nested.parentID!):\(nested.id):\(Self.groupType)"])
        }
    }

    /// A Laravel join serialises each column name once (a PHP array cannot hold a key twice), so the
    /// membership's `id` replaces the user's. Clients must not depend on which duplicate their parser keeps.
    @Test func groupUsersRowsNameEachKeyOnce() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let base = cluster.baseURL(.processMaker)
            let group = try #require(records.memberships.first?.containerID)
            for path in ["/groups/\(group)/users", "/groups/1/groups"] {
                let reply = try await client.send(base + path, headers: Auth.processMaker())
                #expect(reply.status == 200)
                let duplicates = JSONKeyAudit.duplicateKeys(in: reply.body)
                #expect(duplicates.isEmpty, "\(path) repeats keys in one object: \(Set(duplicates).sorted())")
            }
        }
    }

    @Test func groupsListEveryGroupIncludingTheNestedOne() async throws {
        try await withCluster(systems: [.processMaker]) { cluster, client in
            let (listed, total) = try await Paging.processMaker(client, cluster.baseURL(.processMaker) + "/groups", perPage: 3, headers: Auth.processMaker())
            #expect(total == records.containers.count)
            #expect(listed.ids() == records.containers.map(\.id))
            #expect(listed.records.map { $0["name"] as? String } == records.containers.map(\.name))
            #expect(listed.records.allSatisfy { $0["status"] as? String == "ACTIVE" })
        }
    }
}
