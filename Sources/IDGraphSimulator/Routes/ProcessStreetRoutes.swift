/// Process Street (`/api/v1`): wrapped objects and offset paging (processstreet.txt).
///
/// - `GET /members`, `GET /groups`, `GET /groups/{id}/members`: `{"members": […]}` / `{"groups": […]}`.
/// - Paging: `?offset=&limit=`, default 50; "Pagination via offset is not fully documented - page size defaults
///   and maximums must be tested empirically", so a `limit` above 100 is silently clamped to 100 and there is no total:
///   a client stops at a short (or empty) page.
/// - Members carry `createdDate` in mixed ISO 8601 forms (with and without fractions, `Z` and `+02:00`), sometimes null or missing.
/// - `status` is `active`, `invited` or `deactivated`; `role` is `admin`, `member` or `guest`.
enum ProcessStreetRoutes {
    static let defaultLimit = 50
    static let maximumLimit = 100

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        let organizationID = "org_" + String(company.seed, radix: 36)
        encoded.users = records.accounts.map { account in
            var object = JSONObject()
            object.string("id", account.id)
            object.string("email", account.email)
            object.string("firstName", account.firstName)
            object.string("lastName", account.lastName)
            object.string("username", account.email.map { String($0.split(separator: "@").first ?? "") })
            object.string("role", account.role)
            object.string("organizationId", organizationID)
            object.string("status", account.rawStatus)
            object.string("avatarUrl", account.id.hasSuffix("0") ? nil : "https://cdn.process.st/avatars/\(account.id).png")
            object.timestamp("createdDate", account.created)
            return object.text
        }
        for (index, account) in records.accounts.enumerated() { encoded.userIndex[account.id] = index }
        encoded.setContainers(records.containers) { group in
            var object = JSONObject()
            object.string("id", group.id)
            object.string("name", group.name)
            object.string("organizationId", organizationID)
            return object.text
        }
        for membership in records.memberships {
            if let user = encoded.userIndex[membership.accountID] {
                encoded.members[membership.containerID, default: []].append(encoded.users[user])
            }
        }
        return encoded
    }

    static func respond(_ route: RouteRequest, _ encoded: EncodedSystem) -> SimulatedResponse {
        let s = route.segments
        switch s.count {
        case 1 where s[0] == "members": return page("members", encoded.users, route)
        case 2 where s[0] == "members":
            guard let index = encoded.userIndex[String(s[1])] else { return .error(.notFound, "message", "Member not found") }
            return .json("{\"member\":\(encoded.users[index])}")
        case 1 where s[0] == "groups": return page("groups", encoded.containers, route)
        case 3 where s[0] == "groups" && s[2] == "members":
            guard encoded.containerIndex[String(s[1])] != nil else { return .error(.notFound, "message", "Group not found") }
            return page("members", encoded.members[String(s[1])] ?? [], route)
        default: return .notFound(route.path)
        }
    }

    private static func page(_ key: String, _ items: [String], _ route: RouteRequest) -> SimulatedResponse {
        switch (route.integer("offset"), route.integer("limit")) {
        case (.success(let offset), .success(let limit)):
            let range = Paging.offsetSlice(count: items.count, offset: offset, limit: limit, defaultLimit: defaultLimit, maximum: maximumLimit)
            return .json("{\"\(key)\":" + JSONText.array(items[range]) + "}")
        case (.failure(let failure), _), (_, .failure(let failure)):
            return .error(.badRequest, "message", failure.message)
        }
    }
}
