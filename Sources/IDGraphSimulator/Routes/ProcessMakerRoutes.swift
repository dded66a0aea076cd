/// ProcessMaker 4 (`/api/1.0`): Laravel `{data, meta}` pages (processmaker.txt).
///
/// - `GET /users?page=&per_page=`: "per_page … Default: 10"; the guide gives no maximum, the simulator clamps at 1000
///   and reports the effective `per_page` in `meta`. `meta` has the guide's keys (including its `form`, beside Laravel's `from`).
/// - Soft-deleted users stay in the list with `deleted_at` set (and `status` possibly still `ACTIVE`).
/// - `loggedin_at` is Laravel's `YYYY-MM-DD HH:MM:SS` or null; `created_at`/`updated_at` are ISO 8601 with fractions.
/// - `GET /groups` and `GET /group_members?group_id=` page the same way; a group member is a user or, nested,
///   a group (`member_type` `ProcessMaker\Models\User` or `ProcessMaker\Models\Group`).
enum ProcessMakerRoutes {
    static let defaultPageSize = 10
    static let maximumPageSize = 1000
    static let userType = "ProcessMaker\\Models\\User"
    static let groupType = "ProcessMaker\\Models\\Group"

    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem {
        var encoded = EncodedSystem()
        encoded.users = records.accounts.map { account in
            var object = JSONObject()
            object.int("id", Int(account.id))
            object.string("email", account.email)
            object.string("firstname", account.firstName)
            object.string("lastname", account.lastName)
            object.string("username", account.email.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@").first ?? "") } ?? "user\(account.id)")
            object.string("address", nil)
            object.string("phone", nil)
            object.string("title", nil)
            object.string("timezone", "UTC")
            object.string("datetime_format", "m/d/Y H:i")
            object.string("language", "en")
            object.bool("is_administrator", account.isAdmin)
            object.string("expires_at", nil)
            object.timestamp("loggedin_at", account.lastSeen)
            object.string("status", account.rawStatus)
            object.string("fullname", account.name)
            object.string("avatar", "")
            object.raw("media", "[]")
            object.raw("meta", "{}")
            object.bool("force_change_password", false)
            object.timestamp("created_at", account.created)
            object.timestamp("updated_at", account.created.date.map { SimulatedTimestamp($0, .iso8601Fractional) } ?? .null)
            object.timestamp("deleted_at", account.deletedAt.map { SimulatedTimestamp($0, .iso8601Fractional) } ?? .null)
            return object.text
        }
        for (index, account) in records.accounts.enumerated() { encoded.userIndex[account.id] = index }
        let stamp = SimulatedTimestamp(company.asOf.addingTimeInterval(-900 * 86_400), .iso8601Fractional)
        encoded.setContainers(records.containers) { group in
            var object = JSONObject()
            object.int("id", Int(group.id))
            object.string("name", group.name)
            object.string("description", "")
            object.string("status", "ACTIVE")
            object.timestamp("created_at", stamp)
            object.timestamp("updated_at", stamp)
            return object.text
        }
        var serial = 0
        func member(_ group: String, _ id: String, _ type: String) {
            serial += 1
            var object = JSONObject()
            object.int("id", serial)
            object.int("group_id", Int(group))
            object.int("member_id", Int(id))
            object.string("member_type", type)
            object.timestamp("created_at", stamp)
            object.timestamp("updated_at", stamp)
            encoded.members[group, default: []].append(object.text)
            encoded.allMembers.append(object.text)
        }
        for group in records.containers { if let parent = group.parentID { member(parent, group.id, groupType) } }
        for membership in records.memberships { member(membership.containerID, membership.accountID, userType) }
        return encoded
    }

    static func respond(_ route: RouteRequest, _ encoded: EncodedSystem) -> SimulatedResponse {
        let s = route.segments
        switch s.count {
        case 1 where s[0] == "users": return page(encoded.users, route)
        case 2 where s[0] == "users":
            guard let index = encoded.userIndex[String(s[1])] else { return .error(.notFound, "message", "No query results for model [ProcessMaker\\Models\\User] \(s[1])") }
            return .json(encoded.users[index])
        case 1 where s[0] == "groups": return page(encoded.containers, route)
        case 1 where s[0] == "group_members":
            guard let group = route.query["group_id"].map(String.init), !group.isEmpty else { return page(encoded.allMembers, route) }
            guard encoded.containerIndex[group] != nil else { return .error(.notFound, "message", "No query results for model [ProcessMaker\\Models\\Group] \(group)") }
            return page(encoded.members[group] ?? [], route)
        default: return .notFound(route.path)
        }
    }

    private static func page(_ items: [String], _ route: RouteRequest) -> SimulatedResponse {
        let page: Int?, perPage: Int?
        switch (route.integer("page"), route.integer("per_page")) {
        case (.success(let p), .success(let n)): (page, perPage) = (p, n)
        case (.failure(let failure), _), (_, .failure(let failure)): return .error(.unprocessableContent, "message", failure.message)
        }
        let slice = Paging.pageSlice(count: items.count, page: page, perPage: perPage, defaultSize: defaultPageSize, maximum: maximumPageSize)
        let lastPage = max((items.count + slice.perPage - 1) / slice.perPage, 1)
        var meta = JSONObject()
        meta.string("filter", "")
        meta.string("sort_by", "id")
        meta.string("sort_order", "asc")
        meta.int("count", slice.range.count)
        meta.int("total_pages", lastPage)
        meta.int("current_page", slice.page)
        meta.int("form", slice.range.isEmpty ? nil : slice.range.lowerBound + 1)
        meta.int("from", slice.range.isEmpty ? nil : slice.range.lowerBound + 1)
        meta.int("last_page", lastPage)
        meta.string("path", "http" + route.origin.dropFirst(4) + route.path)
        meta.int("per_page", slice.perPage)
        meta.int("to", slice.range.isEmpty ? nil : slice.range.upperBound)
        meta.int("total", items.count)
        return .json("{\"data\":" + JSONText.array(items[slice.range]) + ",\"meta\":" + meta.text + "}")
    }
}
