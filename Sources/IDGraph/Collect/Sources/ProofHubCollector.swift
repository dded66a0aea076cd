import AsyncHTTPClient

/// ProofHub (api-docs/proofhub.txt): people, projects and project people,
/// Bearer token plus the required `User-Agent`; people come in numbered pages
/// (`per_page` 100 at most, no total), projects and project people in one list each.
///
/// Status: `active` or absent → active, anything else inactive; admin: the
/// account role is `admin` or `owner`. A membership's role is the project role,
/// which differs from the account role.
struct ProofHubCollector: SaaSCollector {
    /// The largest page the API serves (the guide: 25 by default, 100 at most).
    static let pageSize = 100

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let people = Listing(path: "/people", style: .page(pageSize: Self.pageSize))
        try await api.collectAccounts(people, into: sink) { Self.account($0) }
        try await api.collectContainers(
            Listing(path: "/projects", style: .none), into: sink,
            container: { record in
                record["id"].id.map {
                    Container(containerID: $0, type: .project, name: record.first("name", "title").text)
                }
            },
            members: { project in
                Listing(path: "/projects/\(PathComponent.escape(project.containerID))/people", style: .none)
            },
            member: { record, project in
                record.first("id", "person_id", "user_id").id.map {
                    .account(Membership(containerID: project.containerID, accountID: $0, role: record["role"].string))
                }
            })
    }

    /// Maps one person.
    static func account(_ record: JSONValue) -> Account? {
        guard let id = record["id"].id else { return nil }
        let role = record["role"].string
        let status = record["status"].string?.lowercased()
        return Account(
            accountID: id, email: record["email"].text,
            name: record["name"].text ?? PersonName.join(record["first_name"].text, record["last_name"].text),
            role: role, isAdmin: ["admin", "owner"].contains(role?.lowercased() ?? ""),
            status: status == nil || status == "active" ? .active : .inactive,
            created: record["created_at"].date)
    }
}
