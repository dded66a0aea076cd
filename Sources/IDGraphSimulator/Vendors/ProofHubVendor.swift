import HTTPTypes
import Hummingbird
import IDGraph

/// ProofHub API v3 (`/api/v3`), as ProofHub's own `api_v3` documentation describes it
/// (docs/sources.md, "ProofHub").
///
/// - Auth: `X-API-KEY: <key>`; a `User-Agent` naming the app and an email (`AppName (name@example.com)`)
///   on every request, else 400 before the key is looked at. `Authorization: Bearer` is not accepted.
/// - `GET /roles` → `[{"id","name","default"}]` (Owner, Admin, Normal User, Client, and a custom Collaborator).
/// - `GET /people` → bare array; a person has `first_name`, `last_name`, `role: {"id": N}`, `suspended`,
///   `last_active`, `created_at`, `groups`, `projects`.
/// - `GET /projects` → `[{"id","title","archived","assigned":[ids],"manager":{"id"}}]`; `GET /groups` →
///   `[{"id","name","assigned":[ids]}]`.
/// - Paging is undocumented for these lists; ProofHub documents `start`/`limit` (at most 100, more is
///   ignored) elsewhere, and clients report 100 objects a response: the simulator serves `start`/`limit`
///   pages of at most 100 (an empty page past the end), or every record (`ignore-paging`).
/// - 25 requests per 10 s per account; 429 with `Retry-After` (seconds), no budget headers.
enum ProofHubVendor: SimulatedVendor {
    static let basePath = "/api/v3"
    static let displayName = "ProofHub"
    static let sourceName = "proofhub"
    static let exposesActivity = true
    static let standardRateLimit: RateLimit? = RateLimit(requests: 25, windowSeconds: 10)
    static let maximumLimit = 100
    static let roles: [(id: Int, name: String)] = [
        (24_903_232, "Owner"), (24_903_236, "Admin"), (249_032_326, "Normal User"), (24_903_237, "Client"),
        (24_903_250, "Collaborator"),
    ]

    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication {
        guard let agent = request.headers[.userAgent], agent.contains("("), agent.contains("@") else {
            return .refused(.error(.badRequest, "error", "The User-Agent header is required, as AppName (name@example.com)."))
        }
        return Authentication.header(
            HTTPField.Name("X-API-KEY")!, request, valid: api.validTokens(Company.CredentialName.proofHubToken),
            refusal: .error(.unauthorized, "error", "Invalid or missing API key (X-API-KEY)."))
    }

    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields {
        decision.allowed ? [:] : [.retryAfter: String(decision.retryAfterSeconds)]
    }

    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse {
        .error(.tooManyRequests, "error", "Too Many Requests", headers: headers)
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        let roleIDs = Dictionary(uniqueKeysWithValues: roles.map { ($0.name, $0.id) })
        for role in roles {
            encoded.append("{\"id\":\(role.id),\"name\":\(JSONString.quoted(role.name)),\"default\":\(role.name != "Collaborator" && role.name != "Client")}", to: "roles")
        }
        var byContainer: [String: [String]] = [:]
        var managers: [String: String] = [:]
        var ofAccount: [String: [String]] = [:]
        for membership in records.memberships {
            byContainer[membership.containerID, default: []].append(membership.accountID)
            ofAccount[membership.accountID, default: []].append(membership.containerID)
            if membership.role == "manager" { managers[membership.containerID] = membership.accountID }
        }
        let types = Dictionary(records.containers.map { ($0.id, $0.type) }, uniquingKeysWith: { first, _ in first })
        for account in records.accounts {
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("first_name", account.firstName)
            object.string("last_name", account.lastName)
            object.string("title", nil)
            object.string("email", account.email)
            object.raw("role", "{\"id\":\(roleIDs[account.role ?? "Normal User"] ?? roleIDs["Normal User"]!)}")
            let containers = ofAccount[account.id] ?? []
            object.raw("groups", "[" + containers.filter { types[$0] == "group" }.joined(separator: ",") + "]")
            object.int("timezone", 8)
            object.string("image_url", nil)
            object.string("language", "en")
            object.bool("suspended", account.expectedStatus == .inactive)
            object.bool("send_invite", true)
            object.timestamp("last_active", account.lastSeen)
            object.timestamp("created_at", account.created)
            if let created = account.created.date { object.timestamp("updated_at", SimulatedTimestamp(created, .iso8601Offset)) }
            object.raw("projects", "[" + containers.filter { types[$0] == "project" }.joined(separator: ",") + "]")
            encoded.append(object.text, to: "people")
            encoded.objects["person:\(account.id)"] = object.text
        }
        for container in records.containers {
            var object = JSONObject()
            object.int("id", Int(container.id))
            let assigned = "[" + (byContainer[container.id] ?? []).joined(separator: ",") + "]"
            if container.type == "project" {
                object.string("title", container.name)
                object.string("description", "")
                object.bool("archived", false)
                object.raw("assigned", assigned)
                object.raw("manager", managers[container.id].map { "{\"id\":\($0)}" } ?? "null")
                encoded.append(object.text, to: "projects")
            } else {
                object.string("name", container.name)
                object.raw("assigned", assigned)
                encoded.append(object.text, to: "groups")
            }
        }
        return encoded
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI) {
        group.get("roles") { request, context in
            api.serve(request, context, basePath: basePath) { _ in .json(JSONText.array(api.encoded[list: "roles"])) }
        }
        for list in ["people", "projects", "groups"] {
            group.get(RouterPath(list)) { request, context in
                api.serve(request, context, basePath: basePath) { route in page(api.encoded[list: list], route, api) }
            }
        }
        group.get("people/:id") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                api.encoded.objects["person:\(route.parameter("id"))"].map { .json($0) }
                    ?? .error(.notFound, "error", "Person not found")
            }
        }
    }

    /// `start`/`limit` paging: at most 100, an empty array past the end.
    static func page(_ items: [String], _ route: RouteRequest, _ api: VendorAPI) -> SimulatedResponse {
        switch (route.integer("start"), route.integer("limit")) {
        case (.success(let start), .success(let limit)):
            let range = api.slice(count: items.count, start: start ?? 0, size: limit, defaultSize: maximumLimit, maximum: maximumLimit)
            return .json(JSONText.array(items[range]))
        case (.failure(let failure), _), (_, .failure(let failure)):
            return .error(.badRequest, "error", failure.message)
        }
    }

    static func configLines(company: Company, baseURL: String) -> [String] {
        [
            "base_url: \(Company.yaml(baseURL))",
            "token: ${\(Company.CredentialName.proofHubToken)}",
            "user_agent: \"idgraph (it-security@\(company.domain))\"",
        ]
    }

    /// `/roles`, then people, projects and groups in pages of 100 until an empty one.
    static func fewestRequests(_ records: SystemRecords) -> Int {
        let projects = records.containers.filter { $0.type == "project" }.count
        return 1 + PageCount.untilEmpty(records.accounts.count, pageSize: maximumLimit)
            + PageCount.untilEmpty(projects, pageSize: maximumLimit)
            + PageCount.untilEmpty(records.containers.count - projects, pageSize: maximumLimit)
    }

    static func benchmarkPage(_ index: Int, company: Company) -> String { "/people?start=\(index * maximumLimit)&limit=\(maximumLimit)" }
    static let benchmarkPageSize: Int? = maximumLimit
    static func benchmarkHeaders(company: Company) -> [String: String] { ["X-API-KEY": company.credentials[Company.CredentialName.proofHubToken] ?? "", "User-Agent": "idgraph-benchmark (bench@example.com)"] }
}
