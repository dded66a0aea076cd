import Foundation
import HTTPTypes
import Hummingbird

/// ProcessMaker 4 (`/api/1.0`), as ProcessMaker's own server code describes it
/// (`ProcessMaker/processmaker`; docs/sources.md, "ProcessMaker").
///
/// - Auth: `Authorization: Bearer <token>`; the token belongs to a user (`GET /users/configuration` →
///   `{"user_id"}`): an administrator by default, an ordinary user with the `pm-user-token` variant.
/// - Laravel pages: `?page=&per_page=` (default 10, no maximum) → `{"data":[…],"meta":{…,"total",…}}`.
/// - `GET /users` hides system users (`is_system`) and soft-deleted users; `status` is ACTIVE, INACTIVE,
///   SCHEDULED, OUT_OF_OFFICE or BLOCKED; `loggedin_at` and `active_at` are ISO 8601 with an offset.
/// - `GET /group_members` ignores `group_id`: an administrator's token gets every membership (each with its
///   `group_id`, `member_id`, `member_type`), any other token only its own.
/// - `GET /users/configuration` (4.12 and later) says whose token it is; the `pm-before-4.12` variant
///   leaves it out, as an older server does.
/// - `GET /groups/{id}/users` and `/groups/{id}/groups`: the user (or group) joined with its membership row,
///   so `id` is the membership's and `member_id` the member's.
/// - `GET /users/{id}/tokens` (UserTokenController@index): the user's personal access tokens as Passport
///   token rows (`id`, `name`, `revoked`, `created_at`, `expires_at`, `client`), never the token itself; the
///   `pm-leaks-tokens` variant adds an `accessToken` to each row, as a broken server might.
/// - No rate limit on `/api/1.0` by default (self-hosted).
enum ProcessMakerVendor: SimulatedVendor {
    static let basePath = "/api/1.0"
    static let displayName = "ProcessMaker 4"
    static let sourceName = "processmaker"
    static let exposesActivity = true
    static let standardRateLimit: RateLimit? = nil
    static let defaultPageSize = 10
    static let userType = "ProcessMaker\\Models\\User"
    static let groupType = "ProcessMaker\\Models\\Group"

    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication {
        Authentication.bearer(request, valid: api.validTokens(Company.CredentialName.processMakerToken), message: ("message", "Unauthenticated."))
    }

    /// Laravel's throttle headers, when a test turns a limit on.
    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-RateLimit-Limit")!] = String(decision.limit)
        fields[HTTPField.Name("X-RateLimit-Remaining")!] = String(decision.remaining)
        if !decision.allowed {
            fields[.retryAfter] = String(decision.retryAfterSeconds)
            fields[HTTPField.Name("X-RateLimit-Reset")!] = String(decision.resetEpochSeconds)
        }
        return fields
    }

    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse {
        .error(.tooManyRequests, "message", "Too Many Attempts.", headers: headers)
    }

    /// The user the token belongs to: an administrator's account, or an ordinary user's.
    static func tokenOwner(_ records: SystemRecords, admin: Bool) -> SimulatedAccount? {
        let listed = records.listedAccounts.filter { $0.expectedStatus == .active }
        if admin { return listed.first { $0.isAdmin } }
        let members = Set(records.memberships.map(\.accountID))
        return listed.first { !$0.isAdmin && members.contains($0.id) }
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        let stamp = SimulatedTimestamp(company.asOf.addingTimeInterval(-900 * 86_400), .iso8601Offset)
        var userFields: [String: String] = [:]
        /// A user's columns; the row's own `id`, `created_at` and `updated_at` only when `ownKeys`
        /// (in a row joined with its membership, those are the membership's).
        func user(_ account: SimulatedAccount, ownKeys: Bool) -> String {
            var object = JSONObject()
            if ownKeys { object.int("id", Int(account.id)) }
            object.string("email", account.email)
            object.string("firstname", account.firstName)
            object.string("lastname", account.lastName)
            object.string("username", account.email.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@").first ?? "") } ?? "user\(account.id)")
            object.string("status", account.rawStatus ?? "ACTIVE")
            object.string("title", nil)
            object.string("timezone", "UTC")
            object.string("datetime_format", "m/d/Y H:i")
            object.string("language", "en")
            object.raw("meta", "{}")
            object.bool("is_administrator", account.isAdmin)
            object.int("is_system", account.isSystem ? 1 : 0)
            object.string("expires_at", nil)
            // loggedin_at is the last sign-in, active_at the last activity (the later one).
            object.timestamp("loggedin_at", account.lastSeen.date.map { SimulatedTimestamp($0.addingTimeInterval(-3600), .iso8601Offset) } ?? account.lastSeen)
            object.timestamp("active_at", account.lastSeen)
            if ownKeys {
                object.timestamp("created_at", account.created)
                object.timestamp("updated_at", account.created.date.map { SimulatedTimestamp($0, .iso8601Offset) } ?? .null)
            }
            object.string("deleted_at", nil)
            object.int("force_change_password", 0)
            object.string("fullname", account.name)
            return ownKeys ? object.text : String(object.text.dropFirst().dropLast())
        }
        for account in records.accounts {
            let object = user(account, ownKeys: true)
            userFields[account.id] = user(account, ownKeys: false)
            encoded.objects["user:\(account.id)"] = object
            if !account.isSystem { encoded.append(object, to: "users") }
        }
        var groupFields: [String: String] = [:]
        for group in records.containers {
            var columns = JSONObject()
            columns.string("name", group.name)
            columns.string("description", "")
            columns.string("status", "ACTIVE")
            groupFields[group.id] = String(columns.text.dropFirst().dropLast())
            var dates = JSONObject()
            dates.timestamp("created_at", stamp)
            dates.timestamp("updated_at", stamp)
            encoded.append("{\"id\":\(Int(group.id) ?? 0)," + groupFields[group.id]! + "," + dates.text.dropFirst(), to: "groups")
        }
        let names = Dictionary(records.containers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var serial = 0
        func member(_ group: String, _ id: String, _ type: String) {
            serial += 1
            var row = JSONObject()
            row.int("id", serial)
            row.int("group_id", Int(group))
            row.int("member_id", Int(id))
            row.string("member_type", type)
            row.timestamp("created_at", stamp)
            row.timestamp("updated_at", stamp)
            var listed = row
            listed.string("name", names[group] ?? "")
            listed.string("description", "")
            encoded.append(listed.text, to: "group_members")
            encoded.append(listed.text, to: "group_members:\(type == userType ? "user" : "group"):\(id)")
            // /groups/{id}/users and /groups/{id}/groups: the member's columns, then the membership row's.
            let memberFields = (type == userType ? userFields[id] : groupFields[id]) ?? ""
            let joined = "{" + memberFields + (memberFields.isEmpty ? "" : ",") + String(row.text.dropFirst())
            encoded.append(joined, to: "group:\(group):" + (type == userType ? "users" : "groups"))
        }
        for group in records.containers { if let parent = group.parentID { member(parent, group.id, groupType) } }
        for membership in records.memberships { member(membership.containerID, membership.accountID, userType) }
        for admin in [true, false] {
            encoded.objects["owner:\(admin)"] = tokenOwner(records, admin: admin)?.id
        }
        // Passport token rows with their client (whose secret Passport hides), never the token itself.
        for credential in records.credentials {
            var client = JSONObject()
            client.int("id", 1)
            client.string("user_id", nil)
            client.string("name", "ProcessMaker Personal Access Client")
            client.bool("personal_access_client", true)
            client.bool("password_client", false)
            client.bool("revoked", false)
            var row = JSONObject()
            row.string("id", credential.id)
            row.int("user_id", Int(credential.userID))
            row.int("client_id", 1)
            row.string("name", credential.name)
            row.raw("scopes", "[]")
            row.bool("revoked", credential.revoked)
            row.timestamp("created_at", SimulatedTimestamp(credential.created, .iso8601Offset))
            row.timestamp("updated_at", SimulatedTimestamp(credential.created, .iso8601Offset))
            row.timestamp("expires_at", credential.expires.map { SimulatedTimestamp($0, .iso8601Offset) } ?? .null)
            row.raw("client", client.text)
            encoded.append(row.text, to: "tokens:\(credential.userID)")
            encoded.objects["token-secret:\(credential.id)"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + credential.id
        }
        return encoded
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI) {
        let owner = api.encoded.objects["owner:\(api.options.processMakerTokenIsAdmin)"] ?? "1"
        group.get("users") { request, context in
            api.serve(request, context, basePath: basePath) { route in page(api.encoded[list: "users"], route, api) }
        }
        if api.options.processMakerHasUserConfiguration {
            group.get("users/configuration") { request, context in
                api.serve(request, context, basePath: basePath) { _ in
                    .json("{\"user_id\":\(owner),\"ui_configuration\":\"{}\"}")
                }
            }
        }
        group.get("users/:id") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                api.encoded.objects["user:\(route.parameter("id"))"].map { .json($0) }
                    ?? .error(.notFound, "message", "No query results for model [ProcessMaker\\Models\\User] \(route.parameter("id"))")
            }
        }
        group.get("users/:id/tokens") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                let id = route.parameter("id")
                guard api.encoded.objects["user:\(id)"] != nil else {
                    return .error(.notFound, "message", "No query results for model [ProcessMaker\\Models\\User] \(id)")
                }
                var rows = api.encoded[list: "tokens:\(id)"]
                if api.options.processMakerLeaksTokens {
                    // A server that wrongly sends each token's secret: idgraph must never store it.
                    rows = rows.map { row in
                        let tokenID = row.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
                        return "{\"accessToken\":\"\(api.encoded.objects["token-secret:\(tokenID)"] ?? "")\"," + row.dropFirst()
                    }
                }
                return page(rows, route, api)
            }
        }
        group.get("groups") { request, context in
            api.serve(request, context, basePath: basePath) { route in page(api.encoded[list: "groups"], route, api) }
        }
        group.get("group_members") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                // group_id is never read; only an administrator sees other users' memberships.
                let rows = api.options.processMakerTokenIsAdmin
                    ? api.encoded[list: "group_members"] : api.encoded[list: "group_members:user:\(owner)"]
                return page(rows, route, api)
            }
        }
        for kind in ["users", "groups"] {
            group.get(RouterPath("groups/:id/\(kind)")) { request, context in
                api.serve(request, context, basePath: basePath) { route in
                    page(api.encoded[list: "group:\(route.parameter("id")):\(kind)"], route, api)
                }
            }
        }
    }

    /// A Laravel page with ProcessMaker's `meta`.
    static func page(_ items: [String], _ route: RouteRequest, _ api: VendorAPI) -> SimulatedResponse {
        let page: Int, perPage: Int
        switch (route.integer("page"), route.integer("per_page")) {
        case (.success(let p), .success(let n)): (page, perPage) = (max(p ?? 1, 1), max(n ?? defaultPageSize, 1))
        case (.failure(let failure), _), (_, .failure(let failure)): return .error(.unprocessableContent, "message", failure.message)
        }
        // A clamping server counts its pages in the size it serves.
        let clamped = api.options.pageSizeLimits[api.system].map { min($0, perPage) } ?? perPage
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: clamped)
        let range = api.slice(count: items.count, start: overflow ? items.count : start, size: perPage, defaultSize: defaultPageSize, maximum: .max)
        // A clamped server reports the size it really used; one that ignores paging reports what was asked.
        let served = clamped
        let lastPage = max((items.count + served - 1) / served, 1)
        var meta = JSONObject()
        meta.string("filter", "")
        meta.string("sort_by", "")
        meta.string("sort_order", "")
        meta.int("count", range.count)
        meta.int("total_pages", lastPage)
        meta.int("current_page", page)
        meta.int("from", range.isEmpty ? nil : range.lowerBound + 1)
        meta.int("last_page", lastPage)
        meta.raw("links", "[]")
        meta.string("path", route.origin + route.path)
        meta.int("per_page", served)
        meta.int("to", range.isEmpty ? nil : range.upperBound)
        meta.int("total", api.reportedTotal(items.count))
        return .json("{\"data\":" + JSONText.array(items[range]) + ",\"meta\":" + meta.text + "}")
    }

    static func configLines(company: Company, baseURL: String) -> [String] {
        ["base_url: \(Company.yaml(baseURL))", "token: ${\(Company.CredentialName.processMakerToken)}", "collect_tokens: true"]
    }

    /// Who the token is, then users, groups and every membership in pages of 500 (`meta.total`), and
    /// each listed user's tokens (`collect_tokens: true`).
    static func fewestRequests(_ records: SystemRecords) -> Int {
        let nested = records.containers.filter { $0.parentID != nil }.count
        let tokens = Dictionary(grouping: records.credentials, by: \.userID).mapValues(\.count)
        let tokenPages = records.listedAccounts.reduce(0) { $0 + PageCount.withTotal(tokens[$1.id] ?? 0, pageSize: 500) }
        return 1 + tokenPages + PageCount.withTotal(records.listedAccounts.count, pageSize: 500)
            + PageCount.withTotal(records.containers.count, pageSize: 500)
            + PageCount.withTotal(records.memberships.count + nested, pageSize: 500)
    }

    static func benchmarkPage(_ index: Int, company: Company) -> String { "/users?page=\(index + 1)&per_page=500" }
    static let benchmarkPageSize: Int? = 500
    static func benchmarkHeaders(company: Company) -> [String: String] { ["Authorization": "Bearer \(company.credentials[Company.CredentialName.processMakerToken] ?? "")"] }
}
