import AsyncHTTPClient

/// ProcessMaker 4 (api-docs/processmaker.txt): users, groups and group members,
/// Bearer token, Laravel pages (`page`/`per_page` with `meta`).
///
/// Status: `status == ACTIVE` and `deleted_at == null` → active, anything else
/// (inactive, soft-deleted) inactive; admin: `is_administrator`; activity:
/// `loggedin_at`. A group member that is itself a group is a nested container
/// (a ``ContainerEdge``), not a membership.
struct ProcessMakerCollector: SaaSCollector {
    /// The largest page the API serves.
    static let pageSize = 1000

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let style = PageStyle.page(size: "per_page", pageSize: Self.pageSize)
        try await api.collectAccounts(Listing(path: "/users", style: style, records: "data"), into: sink) {
            Self.account($0)
        }
        try await api.collectContainers(
            Listing(path: "/groups", style: style, records: "data"), into: sink,
            container: { record in
                record["id"].id.map { Container(containerID: $0, type: .group, name: record["name"].text) }
            },
            members: { group in
                Listing(path: "/group_members", query: [("group_id", group.containerID)], style: style, records: "data")
            },
            member: { record, group in Self.member(record, of: group) })
    }

    /// Maps one user.
    static func account(_ record: JSONValue) -> Account? {
        guard let id = record["id"].id else { return nil }
        let active = record["status"].string?.uppercased() == "ACTIVE" && record["deleted_at"].string == nil
        let isAdmin = record["is_administrator"].bool ?? false
        return Account(
            accountID: id, email: record["email"].text,
            name: record["fullname"].text ?? PersonName.join(record["firstname"].text, record["lastname"].text)
                ?? record["username"].text,
            role: isAdmin ? "administrator" : "user", isAdmin: isAdmin, status: active ? .active : .inactive,
            lastSeen: record["loggedin_at"].date, created: record["created_at"].date)
    }

    /// Maps one group member: a user (`member_type` ends in `User`) or a
    /// nested group (`Group`).
    static func member(_ record: JSONValue, of group: Container) -> MemberRecord? {
        guard let memberID = record["member_id"].id else { return nil }
        let type = record["member_type"].string?.lowercased() ?? "user"
        if type.hasSuffix("group") {
            return .container(ContainerEdge(parentID: group.containerID, childID: memberID))
        }
        return .account(Membership(containerID: group.containerID, accountID: memberID))
    }
}
