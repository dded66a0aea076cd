import Foundation
import HTTPTypes
import Hummingbird

/// Streak (`/api`), as Streak's own OpenAPI (`StreakYC/streak-client-cli`) describes it
/// (docs/sources.md, "Streak").
///
/// - Auth: HTTP Basic with the API key as user name and an empty password (Streak's docs); a Bearer key
///   (the OpenAPI's `bearerAuth`) is accepted too.
/// - `GET /v1/users/me` → the key's `User`.
/// - `GET /v2/users/me/teams?limit=&page=` (zero-based) → `{"results":[Team],"hasNextPage"}`; a Team has
///   `key`, `name`, `members[]` of `TeamMember` (`userKey`, `role` Member|Owner|PayerOnly|ArchiveOnly,
///   `inviteStatus` Pending|Accepted, `inviteDate` (epoch ms), `email`, `displayName`, `fullName`, `userType`).
/// - `GET /v2/teams/{key}/users` → `{"results":[User],"hasNextPage":false}`, every user of the team including
///   archived, payer-only and agent users (no paging parameters); a pending invitee is not a user yet.
///   A `User` has `key`, `email`, `displayName`, `creationTimestamp`, `lastSeenTimestamp` (ms, nullable), `userType`.
/// - No published limits (Streak asks to stay under 10 requests a second): 40 per 10 s, a bare 429.
enum StreakVendor: SimulatedVendor {
    static let basePath = "/api"
    static let displayName = "Streak"
    static let sourceName = "streak"
    static let exposesActivity = true
    static let standardRateLimit: RateLimit? = RateLimit(requests: 40, windowSeconds: 10)

    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication {
        let valid = api.validTokens(Company.CredentialName.streakAPIKey)
        let refusal = Authentication.refused(.error(
            .unauthorized, "error", "Authentication failed: pass your API key as the Basic auth user name with an empty password.",
            headers: [.wwwAuthenticate: "Basic realm=\"Streak API\""]))
        guard let header = request.headers[.authorization] else { return refusal }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return refusal }
        switch parts[0].lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: data, encoding: .utf8) else { return refusal }
            let user = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return valid.contains(user) ? .granted(user) : refusal
        case "bearer":
            let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
            return valid.contains(key) ? .granted(key) : refusal
        default:
            return refusal
        }
    }

    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields { [:] }

    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse {
        .error(.tooManyRequests, "error", "Rate limit exceeded", headers: headers)
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        let accounts = Dictionary(records.accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for team in records.containers {
            var members: [String] = []
            var users: [String] = []
            for membership in records.memberships where membership.containerID == team.id {
                guard let account = accounts[membership.accountID] else { continue }
                var member = JSONObject()
                member.string("userKey", account.id)
                member.string("role", membership.role ?? account.role ?? "Member")
                let pending = account.expectedStatus == .invited
                // An invitation's date is its account's creation date in the company model.
                member.timestamp("inviteDate", account.created.date.map { SimulatedTimestamp($0, .epochMilliseconds) } ?? .null)
                member.string("inviteStatus", pending ? "Pending" : "Accepted")
                if !pending { member.string("displayName", account.firstName) }
                member.string("email", account.email)
                if !pending { member.string("fullName", account.name) }
                member.string("userType", account.accountType == .service ? "AGENT" : "HUMAN")
                member.string("emailSharing", "None")
                members.append(member.text)
                guard !pending else { continue }
                var user = JSONObject()
                user.string("email", account.email)
                user.timestamp("creationTimestamp", account.created)
                user.timestamp("lastSeenTimestamp", account.lastSeen)
                user.string("userType", account.accountType == .service ? "AGENT" : "HUMAN")
                user.string("displayName", account.name)
                user.string("key", account.id)
                user.string("timezoneId", "America/Los_Angeles")
                users.append(user.text)
                encoded.objects["user:\(account.id)"] = user.text
            }
            var object = JSONObject()
            object.string("key", team.id)
            object.int("creationDate", Int(company.asOf.timeIntervalSince1970 * 1000) - 900 * 86_400_000)
            object.string("creator", company.streakOwnerKey)
            object.string("name", team.name)
            object.raw("members", JSONText.array(members))
            object.raw("emailsToSendInvoiceTo", "[]")
            object.raw("contactOrgListPermissions", "{}")
            object.raw("contactSettings", "{\"fields\":{}}")
            object.raw("organizationSettings", "{\"fields\":{}}")
            encoded.append(object.text, to: "teams")
            encoded.lists["team:\(team.id):users"] = users
        }
        return encoded
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI) {
        group.get("v1/users/me") { request, context in
            api.serve(request, context, basePath: basePath) { _ in
                api.encoded.objects["user:\(api.company.streakOwnerKey)"].map { .json($0) } ?? .error(.notFound, "error", "User not found")
            }
        }
        group.get("v2/users/me/teams") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                let teams = api.encoded[list: "teams"]
                switch (route.integer("page"), route.integer("limit")) {
                case (.success(let page), .success(let limit)):
                    // A server counts its pages in the size it serves.
                    let size = min(max(limit ?? 50, 1), 1000, api.options.pageSizeLimits[.streak] ?? .max)
                    let start = max(page ?? 0, 0).multipliedReportingOverflow(by: size)
                    let range = api.slice(count: teams.count, start: start.overflow ? teams.count : start.partialValue, size: size, defaultSize: 50, maximum: 1000)
                    let more = range.upperBound < teams.count && !api.options.pagingIgnored.contains(.streak)
                    return .json("{\"results\":" + JSONText.array(teams[range]) + ",\"hasNextPage\":\(more)}")
                case (.failure(let failure), _), (_, .failure(let failure)):
                    return .error(.badRequest, "error", failure.message)
                }
            }
        }
        group.get("v2/teams/:key/users") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                guard let users = api.encoded.lists["team:\(route.parameter("key")):users"] else {
                    return .error(.notFound, "error", "Team not found")
                }
                return .json("{\"results\":" + JSONText.array(users) + ",\"hasNextPage\":false}")
            }
        }
    }

    static func configLines(company: Company, baseURL: String) -> [String] {
        ["base_url: \(Company.yaml(baseURL))", "api_key: ${\(Company.CredentialName.streakAPIKey)}"]
    }

    /// The key's user (`/v1/users/me`, whose key it is), one page of teams, then each team's users.
    static func fewestRequests(_ records: SystemRecords) -> Int { 2 + records.containers.count }

    static func benchmarkPage(_ index: Int, company: Company) -> String { "/v2/teams/\(company.streakTeamKey)/users" }
    static let benchmarkPageSize: Int? = nil
    static func benchmarkHeaders(company: Company) -> [String: String] { ["Authorization": "Basic " + Data("\(company.credentials[Company.CredentialName.streakAPIKey] ?? ""):".utf8).base64EncodedString()] }
}
