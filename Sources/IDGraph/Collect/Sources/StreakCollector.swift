import AsyncHTTPClient

/// Streak (api-docs/streak.txt): the organization of the API key's owner and
/// its users, HTTP Basic with the key as user name, one unpaginated list.
///
/// Every listed user is active; admin: `isOrgAdmin`; activity:
/// `lastSeenTimestamp`. Streak has no groups: the organization is the one
/// container, and every user is its member (role `admin` or `member`),
/// because membership of the organization is what gives access to its
/// pipelines.
struct StreakCollector: SaaSCollector {
    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        // `/users/me/organization` gives the key that `/users/me` would (`orgKey`) and the name too.
        let org = try await api.object("/users/me/organization")
        guard let orgKey = org.first("key", "orgKey").id else {
            throw CollectionError(
                source: source.name, location: api.displayPath("/users/me/organization"),
                message: "The API key's user belongs to no organization. Use the API key of an organization member.")
        }
        let organization = Container(containerID: orgKey, type: .organization, name: org["name"].string)
        try await sink.add([organization])
        let listing = Listing(path: "/organizations/\(PathComponent.escape(orgKey))/users", style: .none)
        let shown = api.displayPath(listing.path)
        try await api.forEachPage(listing) { records in
            let accounts = records.compactMap(Self.account)
            APIClient.warnSkipped(records.count - accounts.count, "users", at: shown, sink: sink)
            try await sink.add(accounts)
            try await sink.add(accounts.map { Membership(containerID: orgKey, accountID: $0.accountID, role: $0.role) })
        }
    }

    /// Maps one user.
    static func account(_ record: JSONValue) -> Account? {
        guard let key = record.first("key", "userKey", "id").id else { return nil }
        let isAdmin = record["isOrgAdmin"].bool ?? false
        return Account(
            accountID: key, email: record["email"].text,
            name: record["displayName"].text ?? PersonName.join(record["firstName"].text, record["lastName"].text),
            role: isAdmin ? "admin" : "member", isAdmin: isAdmin, status: .active,
            lastSeen: record["lastSeenTimestamp"].date, created: record["creationTimestamp"].date)
    }
}
