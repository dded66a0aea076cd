import AsyncHTTPClient
import Foundation

extension SourceKind {
    /// ProofHub.
    public static let proofHub = SourceKind(rawValue: "proofhub")
}

/// ProofHub API v3 (docs/sources.md, "ProofHub"): `GET /roles`, `GET /people`,
/// `GET /projects` and `GET /groups`, key in `X-API-KEY`, a `User-Agent` of the
/// form `AppName (email)` on every request.
///
/// A person's `role` is an object `{"id": N}` named through `/roles`: Owner and
/// Admin are admins, Client is an external account. `suspended: true` is a
/// deactivated account; `last_active` is the activity. Project membership is
/// the project's `assigned` list and its `manager`; group membership the
/// group's `assigned` list.
///
/// Paging is not documented: clients report 100 objects a response and
/// `start`/`limit` paging. Every list is therefore read with `start`/`limit`
/// until an empty page, and a server that ignores the parameters (the second
/// response repeats the first) is taken to have sent the whole list at once.
struct ProofHubCollector: SaaSCollector {
    /// The `limit` asked for: the most ProofHub clients report one response holding.
    static let pageSize = 100

    static let descriptor = SourceDescriptor(
        kind: .proofHub, displayName: "ProofHub",
        keys: [
            .required(
                "base_url", "your account's API root: replace your-account with your ProofHub subdomain",
                example: "https://your-account.proofhub.com/api/v3"),
            .credential("token", "an Owner's or Admin's API key, sent as X-API-KEY", variable: "PROOFHUB_TOKEN"),
            .required(
                "user_agent", "the application and a contact email, which ProofHub requires: NAME (EMAIL)",
                example: "\"idgraph (it-security@example.com)\""),
        ],
        authentication: .apiKeyHeader("X-API-KEY"),
        exposes: .init(activity: true, admin: true),
        validate: { source in
            guard let agent = source.userAgent, agent.range(of: #"^\S.*\(\S+@\S+\)$"#, options: .regularExpression) != nil
            else {
                return (
                    "user_agent",
                    "ProofHub refuses requests whose User-Agent does not name the application and a contact email. Write it as user_agent: \"idgraph (it-security@example.com)\"."
                )
            }
            return nil
        },
        makeCollector: make, check: check, removal: removal)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    static func listing(_ path: String) -> Listing {
        Listing(
            path: path, style: .offset(start: "start", limit: "limit", size: pageSize, firstIndex: 0),
            repeatMeansWholeList: true)
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let roles = try await Self.roles(api)
        try await api.collectAccounts(Self.listing("/people"), into: sink) { Self.account($0, roles: roles) }
        for (path, type) in [("/projects", Container.Kind.project), ("/groups", .group)] {
            let shown = api.displayPath(path)
            try await api.forEachPage(Self.listing(path)) { records in
                var containers: [Container] = []
                var members: [MemberRecord?] = []
                for record in records {
                    guard let container = Self.container(record, type: type) else { continue }
                    containers.append(container)
                    members += Self.members(record, of: container).map { .account($0) }
                }
                await APIClient.warnSkipped(records.count - containers.count, "containers", at: shown, sink: sink)
                if !containers.isEmpty { try await sink.add(containers) }
                try await APIClient.store(members, of: members.count, at: shown, sink: sink)
            }
        }
    }

    /// `GET /roles`: the key and the User-Agent accepted (ProofHub answers 400 to a User-Agent it refuses).
    func probe(with api: APIClient, into log: CheckLog) async throws {
        do {
            let roles = try await Self.roles(api)
            let names = roles.values.sorted().prefix(6).joined(separator: ", ")
            log.ok("The key and user_agent are accepted: GET \(api.displayPath("/roles")) lists \(roles.count) roles (\(names)).")
        } catch let error as CollectionError where error.httpStatus == 400 {
            log.fail(
                "ProofHub answered HTTP 400 at \(api.displayPath("/roles")), its answer to a User-Agent it does not accept. Check user_agent: an application name and a contact email, \"idgraph (it-security@example.com)\" (docs/sources.md, \"ProofHub\").")
        }
        log.ok("ProofHub does not say whose key this is: an Owner's or Admin's key sees every person, project and group (docs/sources.md, \"Permissions\" under ProofHub).")
    }

    /// Role id → name, from `GET /roles`.
    static func roles(_ api: APIClient) async throws -> [String: String] {
        let body = try await api.object("/roles")
        guard let list = body.array ?? body["roles"].array ?? body["data"].array else {
            throw CollectionError(
                source: api.source.name, location: api.displayPath("/roles"),
                message: "The roles list is not a JSON array, so roles cannot be named. Check base_url (https://ACCOUNT.proofhub.com/api/v3).")
        }
        var roles: [String: String] = [:]
        for role in list {
            if let id = role["id"].id, let name = role["name"].text { roles[id] = name }
        }
        return roles
    }

    /// Maps one person.
    static func account(_ record: JSONValue, roles: [String: String]) -> Account? {
        guard let id = record["id"].id else { return nil }
        let role = roleName(record["role"], roles: roles)
        let normalized = role?.lowercased()
        let suspended = record["suspended"].bool ?? false
        var unreadable: [UnreadableDate] = []
        let lastSeen = record.date("last_active", noting: &unreadable)
        let created = record.date("created_at", noting: &unreadable)
        var account = Account(
            accountID: id, email: record["email"].text,
            name: PersonName.join(record["first_name"].text, record["last_name"].text) ?? record["name"].text,
            role: role, isAdmin: normalized == "owner" || normalized == "admin",
            status: suspended ? .inactive : .active,
            lastSeen: lastSeen, created: created,
            accountType: normalized == "client" ? .external : .human)
        account.unreadableDates = unreadable
        return account
    }

    /// The name of a person's role: `{"id": N}` looked up in `/roles`; a name
    /// sent directly is taken as it is; an id `/roles` does not list is shown as such.
    static func roleName(_ role: JSONValue, roles: [String: String]) -> String? {
        if let id = role["id"].id { return roles[id] ?? role["name"].text ?? "role \(id)" }
        if case .string = role { return role.text }
        if let id = role.id { return roles[id] ?? "role \(id)" }
        return nil
    }

    /// Maps one project or group.
    static func container(_ record: JSONValue, type: Container.Kind) -> Container? {
        record["id"].id.map { Container(containerID: $0, type: type, name: record.first("title", "name").text) }
    }

    /// A project's or group's members: its `assigned` people, and a project's `manager`.
    static func members(_ record: JSONValue, of container: Container) -> [Membership] {
        let manager = record["manager"]["id"].id ?? record["manager"].id
        var ids: [String] = []
        var seen: Set<String> = []
        for person in record["assigned"].array ?? [] {
            if let id = person.id ?? person["id"].id, seen.insert(id).inserted { ids.append(id) }
        }
        if let manager, seen.insert(manager).inserted { ids.append(manager) }
        return ids.map { Membership(containerID: container.containerID, accountID: $0, role: $0 == manager ? "manager" : nil) }
    }
}

extension ProofHubCollector {
    /// ProofHub/api_v3 @6a6e0963 (sections/people.md, projects.md, groups.md): `DELETE /people/{id}`;
    /// project and group members are the `assigned` list of `PUT /projects/{id}` and `PUT /groups/{id}`.
    static func removal(_ target: RemovalTarget) -> Removal {
        let id = PathComponent.escape(target.accountID)
        let lists = target.memberships.map { container in
            let kind = container.type == "project" ? "projects" : "groups"
            return RemovalStep(
                method: "PUT", path: "/\(kind)/\(PathComponent.escape(container.id))",
                body: #"{"assigned":[<every current member except "# + target.accountID + #">]}"#,
                effect: "take the person off \(container.type) \(container.name)")
        }
        if target.action == .modify {
            return Removal(
                steps: lists.isEmpty
                    ? [RemovalStep(method: "PUT", path: "/people/\(id)", body: #"{"role":<the approved role id>}"#, effect: "change the role")]
                    : lists,
                caveat: "Send the whole assigned list: members left out lose access too. Change only what the decision's reason names.")
        }
        return Removal(
            steps: lists + [RemovalStep(method: "DELETE", path: "/people/\(id)", effect: "delete the person")],
            caveat: "Deleting is permanent for the person's history; to keep it, suspend them in the web interface instead (People → bulk actions → Suspend: the API has no suspend). Send each assigned list whole: members left out lose access too.")
    }
}
