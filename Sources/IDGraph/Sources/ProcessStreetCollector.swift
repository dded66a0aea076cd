import AsyncHTTPClient
import Foundation

extension SourceKind {
    /// Process Street.
    public static let processStreet = SourceKind(rawValue: "processstreet")
}

/// Process Street (docs/sources.md, "Process Street"): the public API v1.1
/// `GET /users` (key in `X-API-KEY`, cursor paging through the `links` entry
/// named `next`), and, when `scim_base_url` is set, SCIM 2.0 `GET /Users` and
/// `GET /Groups` for the active flag, creation dates and groups.
///
/// v1.1 lists `id`, `email` and `username` only: every listed user is active,
/// and no admin flag or activity is exposed (the report shows those rules as
/// not checked). Whether SCIM ids equal v1.1 ids is not documented, so SCIM
/// users are joined to v1.1 users by email; a SCIM user that v1.1 does not
/// list (a deactivated one) keeps its SCIM id.
struct ProcessStreetCollector: SaaSCollector {
    /// SCIM page size asked for; servers may serve fewer, and paging follows `totalResults`.
    static let scimPageSize = 100

    static let descriptor = SourceDescriptor(
        kind: .processStreet, displayName: "Process Street",
        keys: [
            .optional("base_url", "the public API v1.1 root", default: "https://public-api.process.st/api/v1.1"),
            .credential("token", "an organization admin's API key, sent as X-API-KEY", variable: "PROCESS_STREET_TOKEN"),
            .optional(
                "scim_base_url", "the SCIM 2.0 root (Enterprise add-on): groups, deactivated users and creation dates",
                example: "https://public-api.process.st/api/scim"),
        ],
        retiredKeys: ["api_key": "Process Street's key goes in 'token' (sent as X-API-KEY)."],
        authentication: .apiKeyHeader("X-API-KEY"),
        exposes: .init(activity: false, admin: false),
        validate: { source in
            guard let url = source.baseURL, url.host?.lowercased() == "api.process.st" else { return nil }
            return (
                "base_url",
                "'\(url.absoluteString)' is the host of an older, unofficial API description. Process Street's public API is https://public-api.process.st/api/v1.1, the default: remove base_url (see docs/sources.md)."
            )
        },
        makeCollector: make, check: check, removal: removal)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let users = Listing(path: "/users", style: .cursor, records: "users")
        guard let scimBase = source.scimBaseURL else {
            try await api.collectAccounts(users, into: sink) { Self.account($0) }
            return
        }
        // With SCIM, v1.1 users are held until SCIM says which are active.
        let listed = UserDirectory()
        try await api.forEachPage(users) { records in await listed.add(records.compactMap(Self.account)) }
        let scim = scimClient(api, base: scimBase)
        let scimStyle = PageStyle.offset(start: "startIndex", limit: "count", size: Self.scimPageSize, firstIndex: 1)
        let shown = scim.displayPath("/Users")
        // SCIM's users become the stored accounts (v1.1's only lend their ids), so SCIM's listing is the population.
        let population = try await scim.forEachPage(Listing(path: "/Users", style: scimStyle, records: "Resources")) { records in
            var accounts: [Account] = []
            for record in records {
                guard let scimID = record["id"].id else { continue }
                accounts.append(await listed.merge(scimUser: record, id: scimID))
            }
            await APIClient.warnSkipped(records.count - accounts.count, "users", at: shown, sink: sink)
            if !accounts.isEmpty { try await sink.add(accounts) }
        }
        await sink.listedPopulation(population)
        let unmatched = await listed.unmatched
        if !unmatched.isEmpty { try await sink.add(unmatched) }
        let ids = await listed.accountIDs
        let groups = scim.displayPath("/Groups")
        try await scim.forEachPage(Listing(path: "/Groups", style: scimStyle, records: "Resources")) { records in
            var containers: [Container] = []
            var members: [MemberRecord?] = []
            var memberCount = 0
            for record in records {
                guard let id = record["id"].id else { continue }
                containers.append(Container(containerID: id, type: .group, name: record["displayName"].text))
                for member in record["members"].array ?? [] {
                    memberCount += 1
                    // `value` is a SCIM user id; a group nested in a group (`type: Group`) is an edge.
                    guard let value = member["value"].id else { members.append(nil); continue }
                    if member["type"].string?.lowercased() == "group" {
                        members.append(.container(ContainerEdge(parentID: id, childID: value)))
                    } else {
                        members.append(ids[value].map { .account(Membership(containerID: id, accountID: $0)) })
                    }
                }
            }
            await APIClient.warnSkipped(records.count - containers.count, "groups", at: groups, sink: sink)
            if !containers.isEmpty { try await sink.add(containers) }
            try await APIClient.store(members, of: memberCount, at: groups, sink: sink)
        }
    }

    /// The client of the SCIM root. Process Street's SCIM guides call the admin's key a bearer token,
    /// while API clients send it as X-API-KEY: both are sent, to the SCIM host only.
    func scimClient(_ api: APIClient, base: URL) -> APIClient {
        api.rebased(to: base, adding: source.token.map { [("Authorization", "Bearer \($0.reveal())")] } ?? [])
    }

    /// The first page of v1.1 `/users`; with `scim_base_url`, one SCIM user and SCIM's total.
    func probe(with api: APIClient, into log: CheckLog) async throws {
        let users = try await api.firstPage(Listing(path: "/users", style: .cursor, records: "users"))
        let more = users.hasNext == true ? ", and links to more" : ""
        log.ok("The key is accepted: GET \(api.displayPath("/users")) lists \(users.records.count) users on its first page\(more).")
        guard let scimBase = source.scimBaseURL else {
            log.ok("No scim_base_url: users only. Groups, deactivated users and creation dates need SCIM, an Enterprise add-on (docs/sources.md, \"Process Street\").")
            return
        }
        let scim = scimClient(api, base: scimBase)
        let style = PageStyle.offset(start: "startIndex", limit: "count", size: 1, firstIndex: 1)
        do {
            let page = try await scim.firstPage(Listing(path: "/Users", style: style, records: "Resources"))
            log.ok("SCIM accepts the key: GET \(scim.displayPath("/Users")) reports \(page.total.map(String.init) ?? "an unknown number of") users.")
        } catch let error as CollectionError where [401, 403, 404].contains(error.httpStatus ?? 0) {
            let status = error.httpStatus ?? 0
            log.fail(
                status == 404
                    ? "SCIM answered HTTP 404 at \(scim.displayPath("/Users")): there is no SCIM API at scim_base_url. Check it (https://public-api.process.st/api/scim), or remove it to collect users only."
                    : "SCIM refused the key (HTTP \(status) at \(scim.displayPath("/Users"))): SCIM needs the Enterprise add-on and an organization admin's key. Check \(source.describeKeys(["token"])), or remove scim_base_url to collect users only.")
        }
    }

    /// Maps one v1.1 user: `id`, `email`, `username` (the display name).
    static func account(_ record: JSONValue) -> Account? {
        guard let id = record["id"].id else { return nil }
        return Account(
            accountID: id, email: record["email"].text, name: record.first("username", "name").text, status: .active)
    }
}

/// Process Street's v1.1 users, joined by email to SCIM users as those arrive.
private actor UserDirectory {
    private var byEmail: [String: Account] = [:]
    private var order: [String] = []
    private var matched: Set<String> = []
    /// SCIM user id → the account id stored for it.
    private(set) var accountIDs: [String: String] = [:]

    func add(_ accounts: [Account]) {
        for account in accounts {
            let key = Self.key(account.email) ?? "id:" + account.accountID
            if byEmail.updateValue(account, forKey: key) == nil { order.append(key) }
        }
    }

    /// The account for one SCIM user: the v1.1 user of the same email (its id
    /// and name) with SCIM's active flag and creation date, or the SCIM user
    /// alone when v1.1 does not list it.
    func merge(scimUser record: JSONValue, id scimID: String) -> Account {
        let emails = record["emails"].array ?? []
        let email = (emails.first { $0["primary"].bool == true } ?? emails.first)?["value"].text ?? record["userName"].text
        let name = record["displayName"].text ?? record["name"]["formatted"].text
            ?? PersonName.join(record["name"]["givenName"].text, record["name"]["familyName"].text)
        var account: Account
        if let key = Self.key(email), let listed = byEmail[key], !matched.contains(key) {
            // One SCIM user per v1.1 user: a second SCIM user of the same email stays an account of its own.
            matched.insert(key)
            account = listed
        } else {
            account = Account(accountID: scimID, email: email, name: name ?? record["userName"].text, status: .active)
        }
        // `active` is SCIM's own flag; a user missing it is active only if v1.1 lists it.
        let active = record["active"].bool ?? (account.accountID != scimID)
        account.status = active ? .active : .inactive
        var unreadable: [UnreadableDate] = []
        account.created = record["meta"].date("created", field: "meta.created", noting: &unreadable)
        account.unreadableDates = unreadable
        accountIDs[scimID] = account.accountID
        // Where the SCIM and v1.1 ids are the same, a group member's id is found either way.
        accountIDs[account.accountID] = account.accountID
        return account
    }

    /// v1.1 users that no SCIM user matched: listed, so active.
    var unmatched: [Account] { order.filter { !matched.contains($0) }.compactMap { byEmail[$0] } }

    private static func key(_ email: String?) -> String? {
        guard let email else { return nil }
        let key = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
        return key.isEmpty ? nil : key
    }
}

extension ProcessStreetCollector {
    /// api-evangelist/process-street @e6782b3f: API v1.1 has no user removal; members are removed
    /// in the organization manager, and per object through the permissions endpoints.
    static func removal(_ target: RemovalTarget) -> Removal {
        let where_ = target.email.map { "the member \($0)" } ?? "the member"
        if target.action == .modify {
            return Removal(
                steps: [RemovalStep(
                    method: "PUT", path: "/workflows/{id}/permissions",
                    body: #"[<every other {"email","accessLevel"} entry, and this member's new one>]"#,
                    effect: "change the member's access to one workflow (folders and pages alike)")],
                caveat: "The permissions list is replaced whole: entries left out lose access.")
        }
        return Removal(
            steps: [RemovalStep(
                method: "UI", path: "Settings → Organization manager", effect: "remove \(where_) from the organization")],
            caveat: "API v1.1 cannot remove a user. Removal may not end the user's existing SSO sessions: end them in your identity provider too.")
    }
}
