import Hummingbird

/// ProofHub (`/api/v3`): bare arrays, 1-based pages, a required `User-Agent` (proofhub.txt).
///
/// - "The User-Agent header is required on every request": without it, 400 before the token is even looked at.
/// - `GET /people?page=N`: "paginated, 25 per page, max 100" — `per_page` above 100 is clamped, no total is given.
/// - `GET /projects` and `GET /projects/{id}/people` (with the project-level `role`) are not paginated.
/// - A person's `status` may be absent (SPEC.md: absent counts as active); `email` may be null;
///   `created_at` is ISO 8601 in several forms, sometimes null or missing. Projects carry both `title` and `name`.
enum ProofHubRoutes {
    static let defaultPageSize = 25
    static let maximumPageSize = 100

    static func authenticate(_ request: Request, valid: Set<String>) -> Authentication {
        guard let agent = request.headers[.userAgent], !agent.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .refused(.error(.badRequest, "error", "The User-Agent header is required (for example 'User-Agent: YourAppName')."))
        }
        return Authentication.bearer(request, valid: valid, message: ("error", "Invalid or missing API token."))
    }

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        encoded.users = records.accounts.map { account in
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("name", account.name)
            object.string("email", account.email)
            object.string("username", account.email.map { String($0.split(separator: "@").first ?? "").trimmingCharacters(in: .whitespaces) })
            object.string("role", account.role)
            object.string("company", nil)
            object.string("phone", nil)
            object.string("timezone", "UTC")
            object.string("avatar_url", nil)
            if let status = account.rawStatus { object.string("status", status) }
            object.timestamp("created_at", account.created)
            if let created = account.created.date { object.timestamp("updated_at", SimulatedTimestamp(created, .iso8601)) }
            return object.text
        }
        for (index, account) in records.accounts.enumerated() { encoded.userIndex[account.id] = index }
        encoded.setContainers(records.containers) { project in
            var object = JSONObject()
            object.int("id", Int(project.id))
            object.string("title", project.name)
            object.string("name", project.name)
            object.string("status", "active")
            return object.text
        }
        encoded.setMembers(records) { account, membership in
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("name", account.name)
            object.string("email", account.email)
            object.string("role", membership.role)
            return object.text
        }
        return encoded
    }

    static func respond(_ route: RouteRequest, _ encoded: EncodedSystem) -> SimulatedResponse {
        let s = route.segments
        switch s.count {
        case 1 where s[0] == "people":
            switch (route.integer("page"), route.integer("per_page")) {
            case (.success(let page), .success(let perPage)):
                let slice = Paging.pageSlice(count: encoded.users.count, page: page, perPage: perPage, defaultSize: defaultPageSize, maximum: maximumPageSize)
                return .json(JSONText.array(encoded.users[slice.range]))
            case (.failure(let failure), _), (_, .failure(let failure)):
                return .error(.badRequest, "error", failure.message)
            }
        case 2 where s[0] == "people":
            guard let index = encoded.userIndex[String(s[1])] else { return .error(.notFound, "error", "Person not found") }
            return .json(encoded.users[index])
        case 1 where s[0] == "projects": return .json(JSONText.array(encoded.containers))
        case 3 where s[0] == "projects" && s[2] == "people":
            guard encoded.containerIndex[String(s[1])] != nil else { return .error(.notFound, "error", "Project not found") }
            return .json(JSONText.array(encoded.members[String(s[1])] ?? []))
        default: return .notFound(route.path)
        }
    }
}
