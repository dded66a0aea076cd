import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcoreTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.procore) }

    @Test func clientCredentialsGiveAnExpiringToken() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            #expect(cluster.procoreTokenURL.hasSuffix("/oauth/token"))
            let c = company.credentials
            let reply = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/json")],
                body: "{\"grant_type\":\"client_credentials\",\"client_id\":\"\(c["PROCORE_CLIENT_ID"]!)\",\"client_secret\":\"\(c["PROCORE_CLIENT_SECRET"]!)\"}")
            #expect(reply.status == 200)
            #expect(reply.object["expires_in"] as? Int == 7200)
            #expect(reply.object["token_type"] as? String == "Bearer")
            let wrong = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=client_credentials&client_id=\(c["PROCORE_CLIENT_ID"]!)&client_secret=nope")
            #expect(wrong.status == 401)
            let users = cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users"
            let token = reply.object["access_token"] as? String ?? ""
            try await check(try await client.send(users, headers: [("Authorization", "Bearer \(token)")]).status == 200)
            try await check(try await client.send(users).status == 401)
            try await check(try await client.send(users, headers: [("Authorization", "Bearer made-up")]).status == 401)
            #expect(cluster.stats(.procore).tokenRequests == 2)
            #expect(cluster.stats(.procore).nonGetRequests == 0)
        }
    }

    @Test func expiredTokensAreRefused() async throws {
        // Token expiry at 0 seconds: every token is already dead when first used, with no waiting.
        try await withCluster(options: SimulatorOptions(rateLimits: false, tokenExpirySeconds: 0), systems: [.procore]) { cluster, client in
            let token = try await Auth.procoreToken(client, cluster)
            #expect(!token.isEmpty)
            let reply = try await client.send(cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users", headers: [("Authorization", "Bearer \(token)")])
            #expect(reply.status == 401)
            #expect(reply.body.contains("expired"))
        }
    }

    @Test func usersPageWithTotalHeadersAndLinks() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let token = try await Auth.procoreToken(client, cluster)
            let auth = [("Authorization", "Bearer \(token)")]
            let base = cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users"
            let first = try await client.send(base, headers: auth)
            #expect(first.array.count == min(100, records.accounts.count))
            #expect(first.header("X-Total") == String(records.accounts.count))
            #expect(first.header("Total") == String(records.accounts.count))
            #expect(first.header("Per-Page") == "100")
            let link = try #require(first.header("Link"))
            #expect(link.contains("rel=\"next\"") && link.contains("rel=\"last\"") && link.contains("page=2&per_page=100"))
            let clamped = try await client.send(base + "?per_page=50000", headers: auth)
            #expect(clamped.header("Per-Page") == "10000")
            #expect(clamped.array.count == records.accounts.count)
            #expect(!(clamped.header("Link") ?? "").contains("rel=\"next\""))
            // An exact multiple: the last full page has no next link and the page after it is empty.
            let size = records.accounts.count
            let exact = try await client.send(base + "?page=1&per_page=\(size)", headers: auth)
            #expect(exact.array.count == size && !(exact.header("Link") ?? "").contains("rel=\"next\""))
            try await check(try await client.send(base + "?page=2&per_page=\(size)", headers: auth).body == "[]")
            try await check(try await client.send(cluster.baseURL(.procore) + "/companies/1/users", headers: auth).status == 404)
        }
    }

    @Test func emailFallsBackToLoginAndInactiveUsersKeepProjects() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let token = try await Auth.procoreToken(client, cluster)
            let auth = [("Authorization", "Bearer \(token)")]
            let users = try await client.send(cluster.baseURL(.procore) + "/companies/\(company.procoreCompanyID)/users?per_page=10000", headers: auth).array
            #expect(users.contains { $0["email_address"] is NSNull && $0["login"] as? String == "li.wei@acme.com" })
            #expect(users.contains { $0["is_active"] as? Bool == false })
            #expect(users.contains { $0["permission_template_id"] as? Int == 101 })
            let projects = try await client.send(cluster.baseURL(.procore) + "/projects?company_id=\(company.procoreCompanyID)", headers: auth).array
            #expect(projects.count == records.containers.count)
            try await check(try await client.send(cluster.baseURL(.procore) + "/projects", headers: auth).status == 400)
            let ben = try #require(company.accounts(planted: .procoreInactiveKeepsProjects).first?.account)
            let project = try #require(records.memberships.first { $0.accountID == ben.id }?.containerID)
            let members = try await client.send(cluster.baseURL(.procore) + "/projects/\(project)/users", headers: auth)
            #expect(members.array.contains { $0["id"] as? Int == Int(ben.id) && $0["is_active"] as? Bool == false && $0["permission_template_id"] is Int })
            #expect(members.header("X-Total") != nil)
        }
    }
}
