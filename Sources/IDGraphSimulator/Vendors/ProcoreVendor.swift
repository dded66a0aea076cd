import Foundation
import HTTPTypes
import Hummingbird
import IDGraph

/// Procore (`/rest/v1.0`, token at `/oauth/token`), as Procore's own documentation and the SDKs generated
/// from its OpenAPI describe it (docs/sources.md, "Procore").
///
/// - OAuth 2.0 client credentials: `POST /oauth/token` → `access_token`, `expires_in`; an unknown or
///   expired token is 401.
/// - Every API request carries `Procore-Company-Id`; one without it is refused ("Missing
///   Procore-Company-Id header!").
/// - `GET /companies/{id}/users` lists active users only, `/companies/{id}/users/inactive` the others;
///   `GET /projects?company_id=` the projects; `/projects/{id}/users` and `/projects/{id}/users/inactive`
///   each project's users. A user's `permission_template` and `company_permission_template` are objects
///   `{id, name, project_specific, type}` (inactive users carry none); `is_employee: false` marks a
///   vendor's person, with its `vendor`.
/// - `page`/`per_page` (default 100; at most 10,000 served) with `Total`, `Per-Page` and `Link` headers.
/// - Rate limit: `X-Rate-Limit-Limit`, `-Remaining`, `-Reset` (epoch seconds) on every response; a 429
///   says to wait until the reset (Retry-After is documented on 503 only). 60 per 60 s per client.
enum ProcoreVendor: SimulatedVendor {
    static let basePath = "/rest/v1.0"
    static let displayName = "Procore"
    static let sourceName = "procore"
    static let exposesActivity = true
    static let standardRateLimit: RateLimit? = RateLimit(requests: 60, windowSeconds: 60)
    static let defaultPageSize = 100
    static let maximumPageSize = 10_000
    static let companyHeader = HTTPField.Name("Procore-Company-Id")!
    static let writablePaths: Set<String> = [SimulatedSystem.procoreTokenPath]

    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication {
        guard request.headers[companyHeader] == String(api.company.procoreCompanyID) else {
            return .refused(.error(
                .badRequest, "errors",
                "Missing Procore-Company-Id header! Each call your application makes to the Procore API must contain a request header that includes the Procore-Company-Id field."))
        }
        let lifetime = min(Double(api.options.procoreTokenLifetimeSeconds), api.options.tokenExpirySeconds ?? .infinity)
        guard let token = Authentication.bearerToken(request) else {
            return .refused(.error(.unauthorized, "errors", "Unauthorized: no access token", headers: [.wwwAuthenticate: "Bearer"]))
        }
        guard let client = api.state.client(ofToken: token, lifetime: lifetime) else {
            return .refused(.error(.unauthorized, "errors", "Unauthorized: the access token is invalid or has expired",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""]))
        }
        return .granted(client)
    }

    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Rate-Limit-Limit")!] = String(decision.limit)
        fields[HTTPField.Name("X-Rate-Limit-Remaining")!] = String(decision.remaining)
        fields[HTTPField.Name("X-Rate-Limit-Reset")!] = String(decision.resetEpochSeconds)
        return fields
    }

    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse {
        var response = SimulatedResponse.json("", status: .tooManyRequests, headers: headers)
        response.headers[.contentType] = "text/plain; charset=utf-8"
        response.body = "You have surpassed the max number of requests for an hour. Please wait until your limit resets."
        return response
    }

    static func addPublicRoutes(to router: Router<SimulatorContext>, _ api: VendorAPI) {
        router.post(RouterPath(SimulatedSystem.procoreTokenPath)) { request, context in
            api.state.update { $0.tokenRequests += 1 }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return SimulatedResponse.response(token(request: request, body: String(buffer: body), api: api), faults: [])
        }
    }

    /// The client-credentials token endpoint (form-encoded or JSON body, or client id and secret as HTTP Basic).
    static func token(request: Request, body: String, api: VendorAPI) -> SimulatedResponse {
        var fields: [String: String] = [:]
        if let data = body.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for (key, value) in json { fields[key] = "\(value)" }
        } else {
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
        }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
           let data = Data(base64Encoded: String(header.dropFirst(6))), let pair = String(data: data, encoding: .utf8) {
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 { fields["client_id"] = parts[0]; fields["client_secret"] = parts[1] }
        }
        guard fields["grant_type"] == "client_credentials" else {
            return .error(.badRequest, "error", "unsupported_grant_type: this simulator accepts grant_type=client_credentials only")
        }
        let credentials = api.company.credentials
        guard let clientID = fields["client_id"], clientID == credentials[Company.CredentialName.procoreClientID],
              fields["client_secret"] == credentials[Company.CredentialName.procoreClientSecret] else {
            return .error(.unauthorized, "error", "invalid_client: unknown client_id or wrong client_secret")
        }
        var object = JSONObject()
        object.string("access_token", api.state.issueToken(clientID: clientID))
        object.string("token_type", "bearer")
        object.int("expires_in", api.options.procoreTokenLifetimeSeconds)
        object.int("created_at", Int(Date().timeIntervalSince1970))
        return .json(object.text, headers: [.cacheControl: "no-store"])
    }

    static func template(_ template: ProcoreTemplate?, type: String) -> String {
        guard let template else { return "null" }
        return "{\"id\":\(template.id),\"name\":\(JSONString.quoted(template.name)),\"project_specific\":false,\"type\":\"\(type)\"}"
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        func user(_ account: SimulatedAccount, project: ProcoreTemplate??) -> String {
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("login", account.login)
            object.string("name", account.name)
            object.string("first_name", account.firstName)
            object.string("last_name", account.lastName)
            object.string("email_address", account.email)
            object.string("job_title", nil)
            object.bool("is_active", account.expectedStatus == .active)
            object.bool("is_employee", account.accountType != .external)
            object.timestamp("last_login_at", account.lastSeen)
            object.timestamp("created_at", account.created)
            object.timestamp("updated_at", account.created.date.map { SimulatedTimestamp($0, .iso8601) } ?? .null)
            object.raw("vendor", account.accountType == .external ? "{\"id\":444,\"name\":\"Brightline Subcontractors\"}" : "null")
            if account.expectedStatus == .active {
                // Inactive users carry no permission templates.
                object.raw("permission_template", template(project ?? nil, type: "project"))
                if project == nil { object.raw("company_permission_template", template(account.companyTemplate, type: "company")) }
            }
            return object.text
        }
        for account in records.accounts {
            encoded.append(user(account, project: nil), to: account.expectedStatus == .active ? "users" : "users/inactive")
        }
        for project in records.containers {
            var object = JSONObject()
            object.int("id", Int(project.id))
            object.string("name", project.name)
            object.string("display_name", project.name)
            object.string("project_number", String(project.id.suffix(4)))
            object.bool("active", true)
            object.raw("company", "{\"id\":\(company.procoreCompanyID),\"name\":\"Acme Construction\"}")
            encoded.append(object.text, to: "projects")
            encoded.lists["project:\(project.id):users"] = []
            encoded.lists["project:\(project.id):users/inactive"] = []
        }
        let accounts = Dictionary(records.accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for membership in records.memberships {
            guard let account = accounts[membership.accountID] else { continue }
            let list = account.expectedStatus == .active ? "users" : "users/inactive"
            encoded.append(user(account, project: .some(membership.template)), to: "project:\(membership.containerID):\(list)")
        }
        return encoded
    }

    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI) {
        let companyID = String(api.company.procoreCompanyID)
        for list in ["users", "users/inactive"] {
            group.get(RouterPath("companies/:company/\(list)")) { request, context in
                api.serve(request, context, basePath: basePath) { route in
                    guard route.parameter("company") == companyID else {
                        return .error(.notFound, "errors", "Company \(route.parameter("company")) not found or not accessible")
                    }
                    return page(api.encoded[list: list], route, api)
                }
            }
            group.get(RouterPath("projects/:project/\(list)")) { request, context in
                api.serve(request, context, basePath: basePath) { route in
                    guard let users = api.encoded.lists["project:\(route.parameter("project")):\(list)"] else {
                        return .error(.notFound, "errors", "Project not found")
                    }
                    return page(users, route, api)
                }
            }
        }
        group.get("projects") { request, context in
            api.serve(request, context, basePath: basePath) { route in
                guard let id = route.query["company_id"], !id.isEmpty else {
                    return .error(.badRequest, "errors", "company_id is required: GET /projects?company_id=…")
                }
                guard id == companyID else { return .error(.notFound, "errors", "Company \(id) not found or not accessible") }
                return page(api.encoded[list: "projects"], route, api)
            }
        }
    }

    static let totalHeader = HTTPField.Name("Total")!
    static let perPageHeader = HTTPField.Name("Per-Page")!
    static let linkHeader = HTTPField.Name("Link")!

    /// A page with `Total`, `Per-Page` and an RFC 8288 `Link` header.
    static func page(_ items: [String], _ route: RouteRequest, _ api: VendorAPI) -> SimulatedResponse {
        let page: Int, perPage: Int
        switch (route.integer("page"), route.integer("per_page")) {
        case (.success(let p), .success(let n)): (page, perPage) = (max(p ?? 1, 1), min(max(n ?? defaultPageSize, 1), maximumPageSize))
        case (.failure(let failure), _), (_, .failure(let failure)): return .error(.badRequest, "errors", failure.message)
        }
        // A clamping server counts its pages in the size it serves.
        let clamped = api.options.pageSizeLimits[api.system].map { min($0, perPage) } ?? perPage
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: clamped)
        let range = api.slice(count: items.count, start: overflow ? items.count : start, size: perPage, defaultSize: defaultPageSize, maximum: maximumPageSize)
        let lastPage = max((items.count + clamped - 1) / clamped, 1)
        var headers = HTTPFields()
        headers[totalHeader] = String(api.reportedTotal(items.count))
        headers[perPageHeader] = String(clamped)
        headers[linkHeader] = link(route, page: page, perPage: clamped, lastPage: lastPage)
        return .json(JSONText.array(items[range]), headers: headers)
    }

    /// An RFC 8288 `Link` header with absolute URLs that keep the other query parameters.
    static func link(_ route: RouteRequest, page: Int, perPage: Int, lastPage: Int) -> String {
        let kept = route.query.filter { $0.key != "page" && $0.key != "per_page" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? String($0.value))" }
        func url(_ number: Int) -> String {
            "<\(route.origin)\(route.path)?" + (kept + ["page=\(number)", "per_page=\(perPage)"]).joined(separator: "&") + ">"
        }
        var links = ["\(url(1)); rel=\"first\""]
        if page > 1 { links.append("\(url(min(page - 1, lastPage))); rel=\"prev\"") }
        if page < lastPage { links.append("\(url(page + 1)); rel=\"next\"") }
        links.append("\(url(lastPage)); rel=\"last\"")
        return links.joined(separator: ", ")
    }

    static func configLines(company: Company, baseURL: String) -> [String] {
        [
            "base_url: \(Company.yaml(baseURL))",
            "token_url: \(Company.yaml(Company.procoreTokenURL(baseURL: baseURL)))",
            "client_id: ${\(Company.CredentialName.procoreClientID)}",
            "client_secret: ${\(Company.CredentialName.procoreClientSecret)}",
            "company_id: \(company.procoreCompanyID)",
            "admin_permission_templates: [\(company.procoreAdminTemplates.map(Company.yaml).joined(separator: ", "))]",
        ]
    }

    /// The token, projects, each project's active and inactive users, then the company's, in pages of 2,000.
    static func fewestRequests(_ records: SystemRecords) -> Int {
        let active = Set(records.accounts.filter { $0.expectedStatus == .active }.map(\.id))
        var members: [String: (active: Int, inactive: Int)] = [:]
        for membership in records.memberships {
            if active.contains(membership.accountID) { members[membership.containerID, default: (0, 0)].active += 1 }
            else { members[membership.containerID, default: (0, 0)].inactive += 1 }
        }
        let perProject = records.containers.map { project in
            PageCount.withTotal(members[project.id]?.active ?? 0, pageSize: 2000)
                + PageCount.withTotal(members[project.id]?.inactive ?? 0, pageSize: 2000)
        }
        return 1 + PageCount.withTotal(records.containers.count, pageSize: 2000) + perProject.reduce(0, +)
            + PageCount.withTotal(active.count, pageSize: 2000)
            + PageCount.withTotal(records.accounts.count - active.count, pageSize: 2000)
    }

    static func benchmarkPage(_ index: Int, company: Company) -> String { "/companies/\(company.procoreCompanyID)/users?page=\(index + 1)&per_page=2000" }
    static let benchmarkPageSize: Int? = 2000
    static func benchmarkHeaders(company: Company) -> [String: String] { ["Procore-Company-Id": String(company.procoreCompanyID)] }
}
