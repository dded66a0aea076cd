import AsyncHTTPClient

/// Process Street (api-docs/processstreet.txt): members, groups and group members,
/// Bearer API key, offset pages.
///
/// Status: `active` → active, `invited` → invited, anything else inactive;
/// admin: `role == admin`. There is no activity field.
struct ProcessStreetCollector: SaaSCollector {
    /// The largest page the API serves (the guide does not document one).
    static let pageSize = 100

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let style = PageStyle.offset(size: Self.pageSize)
        try await api.collectAccounts(Listing(path: "/members", style: style, records: "members"), into: sink) {
            Self.account($0)
        }
        try await api.collectContainers(
            Listing(path: "/groups", style: style, records: "groups"), into: sink,
            container: { record in
                record["id"].id.map { Container(containerID: $0, type: .group, name: record["name"].text) }
            },
            members: { group in
                Listing(path: "/groups/\(PathComponent.escape(group.containerID))/members", style: style, records: "members")
            },
            member: { record, group in
                record.first("id", "memberId").id.map {
                    .account(Membership(containerID: group.containerID, accountID: $0))
                }
            })
    }

    /// Maps one member.
    static func account(_ record: JSONValue) -> Account? {
        guard let id = record["id"].id else { return nil }
        let role = record["role"].string
        let status: AccountStatus =
            switch record["status"].string?.lowercased() {
            case "active": .active
            case "invited": .invited
            default: .inactive
            }
        return Account(
            accountID: id, email: record["email"].text,
            name: PersonName.join(record["firstName"].text, record["lastName"].text) ?? record["username"].text,
            role: role, isAdmin: role?.lowercased() == "admin", status: status,
            created: record.first("createdDate", "createdAt", "created_at").date)
    }
}
