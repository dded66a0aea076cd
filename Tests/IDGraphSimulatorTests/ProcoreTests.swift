import AsyncHTTPClient
import Foundation
import IDGraphSimulator
import Testing

@Suite struct ProcoreTests {
    let company = Fixture.company
    var records: SystemRecords { company.records(.procore) }
    var active: [SimulatedAccount] { records.accounts.filter { $0.expectedStatus == .active } }
    var inactive: [SimulatedAccount] { records.accounts.filter { $0.expectedStatus != .active } }
    var companyUsers: String { "/companies/\(company.procoreCompanyID)/users" }

    /// A permission template object as Procore serves it.
    func isTemplate(_ value: Any?, _ template: ProcoreTemplate?, type: String) -> Bool {
        guard let template else { return value is NSNull }
        guard let object = value as? [String: Any] else { return false }
        return int(object["id"]) == template.id && object["name"] as? String == template.name
            && object["project_specific"] as? Bool == false && object["type"] as? String == type
    }

    @Test func clientCredentialsGiveABearerToken() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            #expect(cluster.procoreTokenURL.hasSuffix("/oauth/token"))
            #expect(cluster.procoreTokenURL.hasPrefix(cluster.origin(.procore)))
            let id = Auth.secret(Company.CredentialName.procoreClientID), secret = Auth.secret(Company.CredentialName.procoreClientSecret)
            let json = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/json")],
                body: "{\"grant_type\":\"client_credentials\",\"client_id\":\"\(id)\",\"client_secret\":\"\(secret)\"}")
            #expect(json.status == 200)
            #expect(json.object["token_type"] as? String == "bearer")
            #expect(json.object["expires_in"] as? Int == 7200)
            #expect(json.object["created_at"] is Int)
            #expect(json.header("Cache-Control") == "no-store")
            let token = try #require(json.object["access_token"] as? String)
            let form = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Auth.procoreGrant(company))
            #expect(form.status == 200)
            #expect(form.object["access_token"] as? String != token, "each grant issues a new token")
            // The client id and secret as HTTP Basic.
            let basic = try await client.send(
                cluster.procoreTokenURL, method: .POST,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())],
                body: "grant_type=client_credentials")
            #expect(basic.status == 200)
            let wrong = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Auth.procoreGrant(company, secret: "nope"))
            #expect(wrong.status == 401)
            let grant = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=password&client_id=\(id)&client_secret=\(secret)")
            #expect(grant.status == 400)
            let users = try await client.send(cluster.baseURL(.procore) + companyUsers, headers: [Auth.bearer(token), Auth.procoreCompany(company)])
            #expect(users.status == 200)
            let stats = cluster.stats(.procore)
            #expect(stats.tokenRequests == 5)
            #expect(stats.nonGetRequests == 0)
            #expect(stats.requests == 6)
        }
    }

    @Test func everyRequestNeedsTheCompanyHeaderAndALiveToken() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let url = cluster.baseURL(.procore) + companyUsers
            let token = try await Auth.procoreToken(client, cluster)
            try await check(try await client.send(url, headers: [Auth.bearer(token), Auth.procoreCompany(company)]).status == 200)
            let noCompany = try await client.send(url, headers: [Auth.bearer(token)])
            #expect(noCompany.status == 400)
            #expect((noCompany.object["errors"] as? String)?.contains("Missing Procore-Company-Id header!") == true)
            try await check(try await client.send(url, headers: [Auth.bearer(token), ("Procore-Company-Id", "1")]).status == 400)
            let noToken = try await client.send(url, headers: [Auth.procoreCompany(company)])
            #expect(noToken.status == 401)
            #expect(noToken.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            try await check(try await client.send(url, headers: [Auth.bearer("made-up"), Auth.procoreCompany(company)]).status == 401)
            // The client secret is not a token.
            let secret = Auth.secret(Company.CredentialName.procoreClientSecret)
            try await check(try await client.send(url, headers: [Auth.bearer(secret), Auth.procoreCompany(company)]).status == 401)
            #expect(cluster.stats(.procore).unauthorized == 3)
        }
    }

    @Test func expiredTokensAreRefused() async throws {
        // Token expiry at 0 seconds: every token is already dead when first used, with no waiting.
        let options = SimulatorOptions(rateLimits: false, tokenExpirySeconds: 0)
        try await withCluster(options: options, systems: [.procore]) { cluster, client in
            let grant = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Auth.procoreGrant(company))
            // expires_in still promises the documented lifetime.
            #expect(grant.object["expires_in"] as? Int == 7200)
            let token = try #require(grant.object["access_token"] as? String)
            let reply = try await client.send(cluster.baseURL(.procore) + companyUsers, headers: [Auth.bearer(token), Auth.procoreCompany(company)])
            #expect(reply.status == 401)
            #expect(reply.body.contains("expired"))
        }
    }

    @Test func theLifetimeOptionSetsExpiresIn() async throws {
        try await withCluster(options: SimulatorOptions(rateLimits: false, procoreTokenLifetimeSeconds: 90), systems: [.procore]) { cluster, client in
            let grant = try await client.send(
                cluster.procoreTokenURL, method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Auth.procoreGrant(company))
            #expect(grant.object["expires_in"] as? Int == 90)
        }
    }

    @Test func companyUsersListActiveUsersAndInactiveOnesApart() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let base = cluster.baseURL(.procore)
            let (users, total) = try await Paging.procore(client, base + companyUsers + "?per_page=100", headers: auth)
            #expect(total == active.count)
            #expect(users.ids() == active.map(\.id))
            let (gone, goneTotal) = try await Paging.procore(client, base + companyUsers + "/inactive?per_page=100", headers: auth)
            #expect(goneTotal == inactive.count)
            #expect(gone.ids() == inactive.map(\.id))
            try #require(!inactive.isEmpty)
            for (account, user) in zip(active, users.records) {
                #expect(user["is_active"] as? Bool == true)
                #expect(user["is_employee"] as? Bool == (account.accountType != .external), "\(account.id)")
                #expect(user["login"] as? String == account.login)
                #expect(account.email.map { user["email_address"] as? String == $0 } ?? (user["email_address"] is NSNull))
                // Company listing: the company template is an object (or null), the project one null.
                #expect(isTemplate(user["company_permission_template"], account.companyTemplate, type: "company"), "\(account.id)")
                #expect(user["permission_template"] is NSNull, "\(account.id)")
            }
            for user in gone.records {
                #expect(user["is_active"] as? Bool == false)
                #expect(user["permission_template"] == nil && user["company_permission_template"] == nil, "inactive users carry no templates")
            }
            #expect(users.records.contains { int(($0["company_permission_template"] as? [String: Any])?["id"]) == 101 })
            let vendor = try #require(company.accounts(planted: .procoreVendorUser).first?.account)
            let served = try #require(users.records.first { int($0["id"]) == Int(vendor.id) })
            #expect(served["is_employee"] as? Bool == false)
            #expect((served["vendor"] as? [String: Any])?["name"] is String)
            #expect(users.records.filter { $0["vendor"] is [String: Any] }.count == active.filter { $0.accountType == .external }.count)
            let login = try #require(company.accounts(planted: .joinsViaProcoreLogin).first?.account)
            let li = try #require(users.records.first { int($0["id"]) == Int(login.id) })
            #expect(li["email_address"] is NSNull && li["login"] as? String == "li.wei@acme.com")
            try await check(try await client.send(base + "/companies/1/users", headers: auth).status == 404)
        }
    }

    @Test func projectsAreListedForTheCompanyGiven() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let base = cluster.baseURL(.procore)
            let (projects, total) = try await Paging.procore(client, base + "/projects?company_id=\(company.procoreCompanyID)", headers: auth)
            #expect(total == records.containers.count)
            #expect(projects.ids() == records.containers.map(\.id))
            #expect(projects.records.map { $0["name"] as? String } == records.containers.map(\.name))
            #expect(projects.records.allSatisfy { int(($0["company"] as? [String: Any])?["id"]) == company.procoreCompanyID })
            try await check(try await client.send(base + "/projects", headers: auth).status == 400)
            try await check(try await client.send(base + "/projects?company_id=1", headers: auth).status == 404)
        }
    }

    @Test func projectUsersCarryTheirProjectTemplateAsAnObject() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let base = cluster.baseURL(.procore)
            let accounts = Dictionary(uniqueKeysWithValues: records.accounts.map { ($0.id, $0) })
            for project in records.containers {
                let memberships = records.memberships.filter { $0.containerID == project.id }
                let live = memberships.filter { accounts[$0.accountID]?.expectedStatus == .active }
                let dead = memberships.filter { accounts[$0.accountID]?.expectedStatus != .active }
                let (users, total) = try await Paging.procore(client, base + "/projects/\(project.id)/users", headers: auth)
                #expect(total == live.count)
                #expect(users.ids() == live.map(\.accountID), "project \(project.id)")
                for (membership, user) in zip(live, users.records) {
                    #expect(isTemplate(user["permission_template"], membership.template, type: "project"), "project \(project.id) user \(membership.accountID)")
                    #expect(user["company_permission_template"] == nil)
                }
                let (inactiveUsers, _) = try await Paging.procore(client, base + "/projects/\(project.id)/users/inactive", headers: auth)
                #expect(inactiveUsers.ids() == dead.map(\.accountID), "project \(project.id)")
                #expect(inactiveUsers.records.allSatisfy { $0["is_active"] as? Bool == false && $0["permission_template"] == nil })
            }
            // The deactivated user who keeps projects is listed among each project's inactive users.
            let ben = try #require(company.accounts(planted: .procoreInactiveKeepsProjects).first?.account)
            let bensProjects = records.memberships.filter { $0.accountID == ben.id }.map(\.containerID)
            #expect(bensProjects.count == 2)
            for project in bensProjects {
                let listed = try await client.send(base + "/projects/\(project)/users/inactive", headers: auth).array
                #expect(listed.contains { int($0["id"]) == Int(ben.id) })
            }
            // Administrators carry the project admin template on their projects.
            #expect(records.memberships.contains { $0.template?.id == 150 })
            try await check(try await client.send(base + "/projects/999/users", headers: auth).status == 404)
        }
    }

    @Test func pagesCarryTotalPerPageAndLinkHeaders() async throws {
        try await withCluster(systems: [.procore]) { cluster, client in
            let auth = try await Auth.procore(client, cluster)
            let url = cluster.baseURL(.procore) + companyUsers
            let count = active.count
            try #require(count > 150)
            let lastPage = (count + 99) / 100
            let first = try await client.send(url, headers: auth)
            #expect(first.array.count == 100)
            #expect(first.header("Total") == String(count))
            #expect(first.header("Per-Page") == "100")
            let link = first.header("Link")
            #expect(linkURL(link, rel: "first") == url + "?page=1&per_page=100")
            #expect(linkURL(link, rel: "next") == url + "?page=2&per_page=100")
            #expect(linkURL(link, rel: "last") == url + "?page=\(lastPage)&per_page=100")
            #expect(linkURL(link, rel: "prev") == nil)
            let second = try await client.send(url + "?page=2&per_page=100", headers: auth)
            #expect(second.array.compactMap { int($0["id"]) } == active[100..<min(200, count)].compactMap { Int($0.id) })
            #expect(linkURL(second.header("Link"), rel: "prev") == url + "?page=1&per_page=100")
            let last = try await client.send(url + "?page=\(lastPage)&per_page=100", headers: auth)
            #expect(last.array.count == count - (lastPage - 1) * 100)
            #expect(linkURL(last.header("Link"), rel: "next") == nil)
            let past = try await client.send(url + "?page=\(lastPage + 1)&per_page=100", headers: auth)
            #expect(past.status == 200 && past.body == "[]")
            // At most 10,000 a page.
            let huge = try await client.send(url + "?per_page=50000", headers: auth)
            #expect(huge.header("Per-Page") == "10000")
            #expect(huge.array.count == count)
            #expect(linkURL(huge.header("Link"), rel: "next") == nil)
            // Links keep the other query parameters.
            let projects = cluster.baseURL(.procore) + "/projects?company_id=\(company.procoreCompanyID)&per_page=2"
            let next = try #require(linkURL(try await client.send(projects, headers: auth).header("Link"), rel: "next"))
            #expect(next.contains("company_id=\(company.procoreCompanyID)"))
            #expect(next.contains("page=2") && next.contains("per_page=2"))
            // Following the links with an odd size loses nothing.
            let (listed, _) = try await Paging.procore(client, url + "?per_page=37", headers: auth)
            #expect(listed.ids() == active.map(\.id))
            #expect(listed.pageSizes == pageSizes(count, 37))
            try await check(try await client.send(url + "?page=two", headers: auth).status == 400)
        }
    }

    @Test func configNamesTheTokenURLCompanyAndAdminTemplates() async throws {
        try await withCluster(systems: [.procore]) { cluster, _ in
            let yaml = cluster.configYAML()
            #expect(yaml.contains("    token_url: \"\(cluster.procoreTokenURL)\"\n"))
            #expect(yaml.contains("    client_id: ${PROCORE_CLIENT_ID}\n"))
            #expect(yaml.contains("    client_secret: ${PROCORE_CLIENT_SECRET}\n"))
            #expect(yaml.contains("    company_id: \(company.procoreCompanyID)\n"))
            #expect(yaml.contains("    admin_permission_templates: [\"101\", \"Project Admin\"]\n"))
        }
    }
}
