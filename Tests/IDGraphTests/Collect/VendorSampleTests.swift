import Foundation
import NIOHTTP1
import Testing

@testable import IDGraph

/// Contract tests: the vendors' own sample bodies (VendorSamples/SOURCES.md) decoded through the
/// collectors' mapping, so a mapping that drifts from what the vendor documents fails here, whatever
/// the simulator serves.
@Suite struct VendorSampleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VendorSamples")

    static func sample(_ vendor: String, _ file: String) throws -> JSONValue {
        try JSONValue.parse(try Data(contentsOf: folder.appendingPathComponent(vendor).appendingPathComponent(file)))
    }

    static func headers(_ vendor: String, _ file: String) throws -> HTTPHeaders {
        let text = try String(contentsOf: folder.appendingPathComponent(vendor).appendingPathComponent(file), encoding: .utf8)
        var headers = HTTPHeaders()
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { break }
            headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return headers
    }

    static func date(_ text: String) -> Date? { Timestamp.parse(text) }

    // MARK: Process Street

    @Test func processStreetUsersAndTheirCursor() throws {
        let page = try Self.sample("processstreet", "users-page1-DERIVED.json")
        let user = try #require(page["users"].array?.first.flatMap(ProcessStreetCollector.account))
        #expect(user.accountID == "iAaSNCU5lWLYGAi663hO8Q")
        #expect(user.email == "jane.doe@example.com")
        #expect(user.name == "Jane Doe")
        // v1.1 has no status, role or activity: listed means active, never an admin.
        #expect(user.status == .active && !user.isAdmin && user.lastSeen == nil && user.accountType == .human)
        #expect(APIClient.bodyNextLink(page).url == "https://public-api.process.st/api/v1.1/users?_=OPAQUE_CURSOR")
        #expect(APIClient.bodyNextLink(page).present == true)
        let last = try Self.sample("processstreet", "users-last-page-DERIVED.json")
        #expect(APIClient.bodyNextLink(last).present == false)
        #expect(APIClient.bodyNextLink(last).url == nil)
    }

    @Test func processStreetExposesNeitherAdminsNorActivity() {
        let exposure = ProcessStreetCollector.descriptor.exposes
        #expect(!exposure.admin && !exposure.activity)
    }

    // MARK: ProofHub

    @Test func proofHubPeopleRolesAndSuspension() throws {
        let rolesList = try #require(try Self.sample("proofhub", "roles.json").array)
        var roles: [String: String] = [:]
        for role in rolesList { roles[role["id"].id!] = role["name"].text }
        #expect(roles["24903232"] == "Owner" && roles["24903237"] == "Client")

        let person = try Self.sample("proofhub", "person.json")
        let stella = try #require(ProofHubCollector.account(person, roles: roles))
        #expect(stella.accountID == "11679192" && stella.email == "stella@email.com" && stella.name == "Stella Altois")
        #expect(stella.status == .active)  // suspended: false
        #expect(stella.lastSeen == Self.date("2016-09-19T06:17:22+00:00"))
        #expect(stella.created == Self.date("2016-09-16T10:39:25+00:00"))
        // The sample's role id is not one of the sample roles: named as such, and not an admin.
        #expect(stella.role == "role 90391275" && !stella.isAdmin)

        let people = try #require(try Self.sample("proofhub", "people.json").array)
        #expect(people.compactMap { ProofHubCollector.account($0, roles: roles) }.count == 2)

        func with(role: String, suspended: Bool) throws -> Account {
            var fields = try #require(person.object)
            fields["role"] = .object(["id": .integer(Int64(role)!)])
            fields["suspended"] = .bool(suspended)
            return try #require(ProofHubCollector.account(.object(fields), roles: roles))
        }
        let owner = try with(role: "24903232", suspended: false)
        #expect(owner.isAdmin && owner.role == "Owner" && owner.accountType == .human)
        #expect(try with(role: "24903236", suspended: false).isAdmin)  // Admin
        let client = try with(role: "24903237", suspended: false)
        #expect(!client.isAdmin && client.accountType == .external)
        let normal = try with(role: "249032326", suspended: true)
        #expect(normal.status == .inactive && !normal.isAdmin)
    }

    @Test func proofHubProjectAndGroupMembership() throws {
        let projects = try #require(try Self.sample("proofhub", "projects.json").array)
        let project = try #require(ProofHubCollector.container(projects[0], type: .project))
        #expect(project.containerID == "23423233" && project.name == "PH Marketing" && project.type == .project)
        let members = ProofHubCollector.members(projects[0], of: project)
        #expect(Set(members.map(\.accountID)) == ["12009183", "11679192"])
        #expect(members.first { $0.accountID == "11679192" }?.role == "manager")
        #expect(members.first { $0.accountID == "12009183" }?.role == nil)

        let groups = try #require(try Self.sample("proofhub", "groups.json").array)
        let group = try #require(ProofHubCollector.container(groups[1], type: .group))
        #expect(group.name == "RockWall")
        #expect(ProofHubCollector.members(groups[1], of: group).map(\.accountID) == ["12009183", "11679192"])
    }

    // MARK: Streak

    @Test func streakTeamMembersRolesAndInvitations() throws {
        let teams = try Self.sample("streak", "users-me-teams-v2-DERIVED.json")
        let users = try #require(try Self.sample("streak", "teams-teamKey-users-v2-DERIVED.json")["results"].array)
        let team = try #require(teams["results"].array?.first)
        #expect(teams["hasNextPage"].bool == false)
        let byKey = Dictionary(users.map { ($0["key"].id!, $0) }, uniquingKeysWith: { first, _ in first })
        let accounts = try #require(team["members"].array).map { member in
            StreakCollector.account(key: member["userKey"].id!, seats: [member], user: byKey[member["userKey"].id!])
        }
        let byEmail = Dictionary(accounts.map { ($0.email ?? "", $0) }, uniquingKeysWith: { first, _ in first })

        let owner = try #require(byEmail["jane@acme.com"])
        #expect(owner.isAdmin && owner.status == .active && owner.role == "Owner" && owner.name == "Jane Doe")
        #expect(owner.lastSeen == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(owner.created == Date(timeIntervalSince1970: 1_646_870_400))
        let member = try #require(byEmail["bob@acme.com"])
        #expect(!member.isAdmin && member.status == .active && member.role == "Member")
        let pending = try #require(byEmail["new.hire@acme.com"])
        #expect(pending.status == .invited && pending.created == Date(timeIntervalSince1970: 1_646_870_400))
        let archived = try #require(byEmail["former@acme.com"])
        #expect(archived.status == .inactive && !archived.isAdmin && archived.lastSeen == nil)
        let payer = try #require(byEmail["ap@acme.com"])
        #expect(payer.status == .active && !payer.isAdmin && payer.role == "PayerOnly")
        #expect(accounts.allSatisfy { $0.accountType == .human })

        // The key's own user (`GET /v1/users/me`) is a `User` like those of a team.
        let me = StreakUser(try Self.sample("streak", "users-me-v1-DERIVED.json"))
        #expect(me.email == "jane@acme.com" && me.name == "Jane" && !me.agent)
        #expect(me.lastSeen == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(me.created == Date(timeIntervalSince1970: 1_646_870_400))

        var agent = try #require(team["members"].array?[1].object)
        agent["userType"] = .string("AGENT")
        #expect(StreakCollector.account(key: "agent", seats: [.object(agent)], user: nil).accountType == .service)
    }

    // MARK: ProcessMaker

    @Test func processMakerUsersStatusesAndActivity() throws {
        let list = try Self.sample("processmaker", "users-list-DERIVED.json")
        #expect(list["meta"]["total"].int == 2)
        let users = try #require(list["data"].array).compactMap(ProcessMakerCollector.account)
        let admin = try #require(users.first { $0.accountID == "1" })
        #expect(admin.isAdmin && admin.status == .active && admin.email == "admin@processmaker.com" && admin.name == "Admin User")
        // Activity is the later of loggedin_at and active_at.
        #expect(admin.lastSeen == Self.date("2024-08-30T16:12:13+00:00"))
        #expect(admin.accountType == .human)  // is_system: 0
        let away = try #require(users.first { $0.accountID == "7" })
        #expect(away.status == .active && !away.isAdmin)  // OUT_OF_OFFICE still holds access

        let captured = try Self.sample("processmaker", "user-captured.json")
        var fields = try #require(captured.object)
        for (status, expected) in [("INACTIVE", AccountStatus.inactive), ("BLOCKED", .active), ("SCHEDULED", .active)] {
            fields["status"] = .string(status)
            #expect(ProcessMakerCollector.account(.object(fields))?.status == expected, "\(status)")
        }
        fields["is_system"] = .integer(1)
        #expect(ProcessMakerCollector.account(.object(fields))?.accountType == .service)
    }

    @Test func processMakerGroupMembersNameTheirOwnGroup() throws {
        let rows = try #require(try Self.sample("processmaker", "group_members-any-group_id-DERIVED.json")["data"].array)
        let mapped = rows.compactMap { row in row["group_id"].id.flatMap { ProcessMakerCollector.member(row, of: $0) } }
        #expect(mapped.count == 3)
        guard case .account(let first) = mapped[0], case .account(let second) = mapped[1], case .container(let edge) = mapped[2] else {
            Issue.record("two user memberships and a nested group, each in the group the record names: \(mapped)")
            return
        }
        #expect(first == Membership(containerID: "3", accountID: "1"))
        #expect(second == Membership(containerID: "4", accountID: "7"))
        #expect(edge == ContainerEdge(parentID: "4", childID: "3"))
    }

    // MARK: Procore

    @Test func procoreUsersTemplatesAndEmployees() throws {
        let user = try #require(try Self.sample("procore", "company-users-DERIVED.json").array?.first)
        func map(_ templates: [String], _ record: JSONValue = user, active: Bool = true) throws -> Account {
            try #require(ProcoreCollector.account(
                record, listedActive: active, adminTemplates: AdminTemplates(templates), projectAdmins: []))
        }
        let plain = try map([])
        #expect(plain.accountID == "9876" && plain.email == "jane.doe@example.com" && plain.name == "Jane Doe")
        #expect(plain.status == .active && !plain.isAdmin && plain.accountType == .human)
        #expect(plain.role == "Company Admin")
        #expect(plain.lastSeen == Self.date("2025-05-30T14:02:11Z"))
        #expect(plain.created == Self.date("2024-01-15T10:00:00Z"))
        // company_permission_template {55, "Company Admin"}, permission_template {101, "Project Manager"}
        #expect(try map(["55"]).isAdmin)
        #expect(try map(["company admin"]).isAdmin)
        #expect(try map(["101"]).isAdmin)
        #expect(try !map(["999", "Superintendent"]).isAdmin)
        #expect(try map([], active: false).status == .inactive)

        var vendor = try #require(user.object)
        vendor["is_employee"] = .bool(false)
        #expect(try map([], .object(vendor)).accountType == .external)
    }

    @Test func procoreProjectMembershipRoleIsTheTemplateName() throws {
        let member = try #require(try Self.sample("procore", "project-users-DERIVED.json").array?.first)
        let templates = AdminTemplates(["Project Manager"])
        #expect(templates.contains(member["permission_template"]))
        #expect(member["permission_template"]["name"].text == "Project Manager")
        let project = try Self.sample("procore", "project.json")
        #expect(project["id"].id == "123456" && project["name"].text == "Demo Account Project")
    }

    @Test func procorePagingAndRateLimitHeaders() throws {
        let paging = try Self.headers("procore", "pagination-headers.http")
        #expect(APIClient.nextLink(paging).url == "https://api.procore.com/rest/v1.0/punch_items?page=4&per_page=5")
        #expect(paging.first(name: "Total") == "150")
        let refusal = try Self.headers("procore", "rate-limit-429.http")
        let limits = RateLimitHeaders(refusal, now: Date(timeIntervalSince1970: 1_466_182_200))
        #expect(limits.limit == 3600 && limits.remaining == 0)
        #expect(limits.resetSeconds == 44)
        let token = try Self.sample("procore", "token-response.json")
        #expect(token["expires_in"].int == 5400 && token["access_token"].text != nil)
    }
}
