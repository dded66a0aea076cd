import Foundation
import HTTPTypes
import Hummingbird
import IDGraph

/// Process Street: the public API v1.1 (`/api/v1.1`) and SCIM 2.0 (`/api/scim`), as Process Street's
/// OpenAPI and SCIM documentation describe them (docs/sources.md, "Process Street").
///
/// - Auth: `X-API-KEY: <key>` on both roots; anything else is 401 with the vendor's error shape
///   `{"error","errorCode","requestId","details"}`.
/// - `GET /users`: `{"users":[{"id","email","username"}],"links":[…]}`, 20 users a page sorted by name,
///   cursor paging through the `links` entry named `next` (`?_=<cursor>`); no total. Only active users are
///   listed (v1.1 has no status: a deactivated user is known only to SCIM).
/// - SCIM `GET /Users` and `GET /Groups`: `ListResponse` with `totalResults`, `startIndex`,
///   `itemsPerPage` and `Resources`, paged with `startIndex` (from 1) and `count` (at most 100).
///   Users carry `active`, `emails`, `userName`, `meta.created`; groups `members[].value` (SCIM user ids).
///   SCIM ids differ from v1.1 ids unless the `scim-ids-match` variant is on.
/// - 429 with `Retry-After`; no budget headers (limits unpublished).
enum ProcessStreetVendor: SimulatedVendor {
    static let basePath = "/api/v1.1"
    static let scimPath = "/api/scim"
    static let displayName = "Process Street"
    static let sourceName = "process-street"
    static let exposesActivity = false
    /// Unpublished: 100 per 10 s, so that large companies do meet it.
    static let standardRateLimit: RateLimit? = RateLimit(requests: 100, windowSeconds: 10)
    static let pageSize = 20
    static let scimMaximum = 100
    static let additionalBasePaths = [scimPath]

    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication {
        Authentication.header(
            HTTPField.Name("X-API-KEY")!, request, valid: api.validTokens(Company.CredentialName.processStreetToken),
            refusal: error(.unauthorized, "Unauthorized", "The API key is missing or invalid. Send it in the X-API-KEY header."))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) -> SimulatedResponse {
        var object = JSONObject()
        object.string("error", message)
        object.string("errorCode", code)
        object.string("requestId", String(UInt32.random(in: 0...UInt32.max), radix: 36))
        object.raw("details", "{}")
        return .json(object.text, status: status, headers: headers)
    }

    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields {
        decision.allowed ? [:] : [.retryAfter: String(decision.retryAfterSeconds)]
    }

    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse {
        error(.tooManyRequests, "TooManyRequests", "Too many requests. Wait for the duration in Retry-After.", headers: headers)
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        // v1.1 lists active users, sorted by name.
        let listed = records.accounts.filter { $0.expectedStatus == .active }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        for account in listed {
            var object = JSONObject()
            object.string("id", account.id)
            object.string("email", account.email)
            object.string("username", account.name)
            encoded.append(object.text, to: "users")
        }
        for matching in [false, true] {
            let suffix = matching ? ":matching" : ""
            var scimIDs: [String: String] = [:]
            for account in records.accounts {
                let scimID = matching || account.expectedStatus != .active ? account.id : (account.scimID ?? account.id)
                scimIDs[account.id] = scimID
                var object = JSONObject()
                object.raw("schemas", "[\"urn:ietf:params:scim:schemas:core:2.0:User\"]")
                object.string("id", scimID)
                object.string("userName", account.email ?? "user-\(account.id)")
                object.raw("name", "{\"givenName\":\(JSONString.quoted(account.firstName)),\"familyName\":\(JSONString.quoted(account.lastName)),\"formatted\":\(JSONString.quoted(account.name))}")
                object.string("displayName", account.name)
                object.raw("emails", account.email.map { "[{\"value\":\(JSONString.quoted($0)),\"type\":\"work\",\"primary\":true}]" } ?? "[]")
                object.bool("active", account.expectedStatus == .active)
                var meta = JSONObject()
                meta.string("resourceType", "User")
                meta.timestamp("created", account.created)
                object.raw("meta", meta.text)
                encoded.append(object.text, to: "scim:Users" + suffix)
            }
            var members: [String: [String]] = [:]
            for membership in records.memberships {
                guard let scimID = scimIDs[membership.accountID] else { continue }
                members[membership.containerID, default: []].append(
                    "{\"value\":\(JSONString.quoted(scimID)),\"$ref\":\"Users/\(scimID)\",\"type\":\"User\"}")
            }
            for group in records.containers {
                var object = JSONObject()
                object.raw("schemas", "[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]")
                object.string("id", group.id)
                object.string("displayName", group.name)
                object.raw("members", JSONText.array(members[group.id] ?? []))
                object.raw("meta", "{\"resourceType\":\"Group\"}")
                encoded.append(object.text, to: "scim:Groups" + suffix)
            }
        }
        return encoded
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI) {
        group.get("users") { request, context in
            api.serve(request, context, basePath: basePath) { route in users(route, api) }
        }
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, at basePath: String, _ api: VendorAPI) {
        let suffix = api.options.scimIDsMatchUsers ? ":matching" : ""
        for resource in ["Users", "Groups"] {
            group.get(RouterPath(resource)) { request, context in
                api.serve(request, context, basePath: basePath) { route in
                    scimList(api.encoded[list: "scim:\(resource)" + suffix], route, api)
                }
            }
        }
    }

    /// A v1.1 page: the cursor is the position of the page's first user, opaque to clients.
    static func users(_ route: RouteRequest, _ api: VendorAPI) -> SimulatedResponse {
        let users = api.encoded[list: "users"]
        var start = 0
        if let cursor = route.query["_"] {
            guard let position = Int(cursor.dropFirst(2), radix: 36), cursor.hasPrefix("c_") else {
                return error(.badRequest, "BadRequest", "The pagination cursor is not valid.")
            }
            start = position
        }
        let range = api.slice(count: users.count, start: start, size: nil, defaultSize: pageSize, maximum: pageSize)
        var links: [String] = []
        if range.upperBound < users.count && !api.options.pagingIgnored.contains(.processStreet) {
            let href = route.origin + basePath + "/users?_=c_" + String(range.upperBound, radix: 36)
            links.append("{\"name\":\"next\",\"href\":\(JSONString.quoted(href)),\"type\":\"Api\",\"rel\":\"Users\"}")
        }
        return .json("{\"users\":" + JSONText.array(users[range]) + ",\"links\":" + JSONText.array(links) + "}")
    }

    /// A SCIM `ListResponse` page (RFC 7644 §3.4.2.4).
    static func scimList(_ items: [String], _ route: RouteRequest, _ api: VendorAPI) -> SimulatedResponse {
        let start: Int?, count: Int?
        switch (route.integer("startIndex"), route.integer("count")) {
        case (.success(let s), .success(let c)): (start, count) = (s, c)
        case (.failure(let failure), _), (_, .failure(let failure)):
            return .json("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"400\",\"detail\":\(JSONString.quoted(failure.message))}", status: .badRequest)
        }
        let first = max(start ?? 1, 1)
        if let count, count <= 0 {
            // RFC 7644 §3.4.2.4: a count of 0 (or less) asks for the total alone.
            return .json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":\(api.reportedTotal(items.count)),\"startIndex\":\(first),\"itemsPerPage\":0,\"Resources\":[]}",
                headers: [.contentType: "application/scim+json"])
        }
        let range = api.slice(count: items.count, start: first - 1, size: count, defaultSize: scimMaximum, maximum: scimMaximum)
        return .json(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":\(api.reportedTotal(items.count)),"
                + "\"startIndex\":\(range.isEmpty ? first : range.lowerBound + 1),\"itemsPerPage\":\(range.count),\"Resources\":"
                + JSONText.array(items[range]) + "}",
            headers: [.contentType: "application/scim+json"])
    }

    static func configLines(company: Company, baseURL: String) -> [String] {
        let origin = String(baseURL.dropLast(basePath.count))
        return [
            "base_url: \(Company.yaml(baseURL))",
            "scim_base_url: \(Company.yaml(origin + scimPath))",
            "token: ${\(Company.CredentialName.processStreetToken)}",
        ]
    }

    /// v1.1 pages of 20 with a next link on all but the last; SCIM users and groups paged to their totalResults.
    static func fewestRequests(_ records: SystemRecords) -> Int {
        let active = records.accounts.filter { $0.expectedStatus == .active }.count
        return PageCount.withTotal(active, pageSize: pageSize) + PageCount.withTotal(records.accounts.count, pageSize: scimMaximum)
            + PageCount.withTotal(records.containers.count, pageSize: scimMaximum)
    }

    static func benchmarkPage(_ index: Int, company: Company) -> String { "/users" + (index == 0 ? "" : "?_=c_" + String(index * pageSize, radix: 36)) }
    static let benchmarkPageSize: Int? = pageSize
    static func benchmarkHeaders(company: Company) -> [String: String] { ["X-API-KEY": company.credentials[Company.CredentialName.processStreetToken] ?? ""] }
}
