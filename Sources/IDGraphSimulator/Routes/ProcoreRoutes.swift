import Foundation
import HTTPTypes
import Hummingbird

/// Procore (`/rest/v1.0`, token at `/oauth/token`): OAuth client credentials, bare arrays, paging headers (procore.txt).
///
/// - "For Client Credentials: POST directly to …/oauth/token with grant_type=client_credentials, client_id, and client_secret";
///   the reply has `expires_in`. An unknown or expired token gets 401 ("Access tokens expire … re-request").
/// - `GET /companies/{company_id}/users?page=&per_page=`: "Pagination defaults to 100 per page; use per_page up to 10000";
///   larger values are clamped. Every page carries `Total`, `X-Total` ("use the X-Total response header"),
///   `Per-Page` and a `Link` header (`first`, `prev`, `next`, `last`).
/// - `GET /projects?company_id=` and `GET /projects/{id}/users` page the same way; project users carry `permission_template_id`.
/// - `email_address` may be null: `login` then carries the email (SPEC.md). `is_active: false` users keep their
///   projects ("Deactivation … does not remove the user from project member lists").
enum ProcoreRoutes {
    static let defaultPageSize = 100
    static let maximumPageSize = 10_000

    /// The client-credentials token endpoint (form-encoded or JSON body, or client id and secret as HTTP Basic).
    static func token(request: Request, body: String, api: SimulatedAPI) -> SimulatedResponse {
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
        object.string("token_type", "Bearer")
        object.int("expires_in", api.options.procoreTokenLifetimeSeconds)
        object.int("created_at", Int(Date().timeIntervalSince1970))
        return .json(object.text, headers: [.cacheControl: "no-store"])
    }

    /// A token must have been issued here and still be alive; the rate-limit window is per client_id ("per OAuth application").
    static func authenticate(_ request: Request, api: SimulatedAPI) -> Authentication {
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

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        encoded.users = records.accounts.map { account in
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("login", account.login)
            object.string("name", account.name)
            object.string("first_name", account.firstName)
            object.string("last_name", account.lastName)
            object.string("email_address", account.email)
            object.string("job_title", nil)
            object.string("business_phone", nil)
            object.string("mobile_phone", nil)
            object.bool("is_active", account.expectedStatus == .active)
            object.bool("is_employee", account.canonicalEmail?.hasSuffix("@" + company.domain) ?? false)
            object.int("vendor_id", nil)
            object.int("permission_template_id", account.permissionTemplateID)
            object.timestamp("created_at", account.created)
            object.timestamp("updated_at", account.created.date.map { SimulatedTimestamp($0, .iso8601) } ?? .null)
            object.string("avatar", nil)
            object.string("country_code", "US")
            return object.text
        }
        for (index, account) in records.accounts.enumerated() { encoded.userIndex[account.id] = index }
        encoded.setContainers(records.containers) { project in
            var object = JSONObject()
            object.int("id", Int(project.id))
            object.string("name", project.name)
            object.string("display_name", project.name)
            object.string("project_number", String(project.id.suffix(4)))
            object.bool("active", true)
            object.raw("company", "{\"id\":\(company.procoreCompanyID),\"name\":\"Acme Construction\"}")
            return object.text
        }
        encoded.setMembers(records) { account, membership in
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("login", account.login)
            object.string("name", account.name)
            object.string("email_address", account.email)
            object.bool("is_active", account.expectedStatus == .active)
            object.int("permission_template_id", membership.permissionTemplateID)
            return object.text
        }
        return encoded
    }

    static func respond(_ route: RouteRequest, _ encoded: EncodedSystem, company: Company) -> SimulatedResponse {
        let s = route.segments
        let companyID = String(company.procoreCompanyID)
        switch s.count {
        case 3 where s[0] == "companies" && s[2] == "users":
            guard s[1] == companyID else { return .error(.notFound, "errors", "Company \(s[1]) not found or not accessible") }
            return page(encoded.users, route)
        case 4 where s[0] == "companies" && s[2] == "users":
            guard s[1] == companyID, let index = encoded.userIndex[String(s[3])] else { return .error(.notFound, "errors", "User not found") }
            return .json(encoded.users[index])
        case 1 where s[0] == "projects":
            guard let id = route.query["company_id"], !id.isEmpty else {
                return .error(.badRequest, "errors", "company_id is required: GET /projects?company_id=…")
            }
            guard id == companyID else { return .error(.notFound, "errors", "Company \(id) not found or not accessible") }
            return page(encoded.containers, route)
        case 3 where s[0] == "projects" && s[2] == "users":
            guard encoded.containerIndex[String(s[1])] != nil else { return .error(.notFound, "errors", "Project not found") }
            return page(encoded.members[String(s[1])] ?? [], route)
        default: return .notFound(route.path)
        }
    }

    private static let total = HTTPField.Name("Total")!
    private static let xTotal = HTTPField.Name("X-Total")!
    private static let perPageHeader = HTTPField.Name("Per-Page")!
    private static let linkHeader = HTTPField.Name("Link")!

    private static func page(_ items: [String], _ route: RouteRequest) -> SimulatedResponse {
        let page: Int?, perPage: Int?
        switch (route.integer("page"), route.integer("per_page")) {
        case (.success(let p), .success(let n)): (page, perPage) = (p, n)
        case (.failure(let failure), _), (_, .failure(let failure)): return .error(.badRequest, "errors", failure.message)
        }
        let slice = Paging.pageSlice(count: items.count, page: page, perPage: perPage, defaultSize: defaultPageSize, maximum: maximumPageSize)
        let lastPage = max((items.count + slice.perPage - 1) / slice.perPage, 1)
        var headers = HTTPFields()
        headers[total] = String(items.count)
        headers[xTotal] = String(items.count)
        headers[perPageHeader] = String(slice.perPage)
        headers[linkHeader] = link(route, page: slice.page, perPage: slice.perPage, lastPage: lastPage)
        return .json(JSONText.array(items[slice.range]), headers: headers)
    }

    /// An RFC 8288 `Link` header with absolute URLs that keep the other query parameters.
    private static func link(_ route: RouteRequest, page: Int, perPage: Int, lastPage: Int) -> String {
        let kept = route.query.filter { $0.key != "page" && $0.key != "per_page" }
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
}
