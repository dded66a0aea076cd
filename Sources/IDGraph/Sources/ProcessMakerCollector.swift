import AsyncHTTPClient
import Foundation

extension SourceKind {
    /// ProcessMaker 4.
    public static let processMaker = SourceKind(rawValue: "processmaker")
}

/// ProcessMaker 4 (docs/sources.md, "ProcessMaker"): `GET /users`, `GET /groups`
/// and group memberships, Bearer token, Laravel pages (`page`/`per_page` with
/// `meta.total`).
///
/// Status: only `INACTIVE` is deactivated; `ACTIVE`, `SCHEDULED`,
/// `OUT_OF_OFFICE` and `BLOCKED` (a lock-out after failed logins) still hold
/// access. Admin: `is_administrator`; `is_system` is a service account;
/// activity: the later of `loggedin_at` and `active_at`.
///
/// Memberships: `GET /group_members` ignores `group_id` and, for an
/// administrator's token, lists every membership of every group with its own
/// `group_id`; for any other token it lists only the token owner's. So the
/// collector asks who the token belongs to (`GET /users/configuration`); with
/// an administrator's token it reads `/group_members` once, otherwise (or when
/// it cannot tell) each group's `GET /groups/{id}/users` and `/groups/{id}/groups`.
struct ProcessMakerCollector: SaaSCollector {
    /// The `per_page` asked for: ProcessMaker has no maximum, and paging follows `meta.total`.
    static let pageSize = 500

    static let descriptor = SourceDescriptor(
        kind: .processMaker, displayName: "ProcessMaker",
        keys: [.required("base_url"), .required("token")],
        authentication: .bearer,
        exposes: .init(activity: true, admin: true),
        makeCollector: make)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    static func listing(_ path: String) -> Listing {
        Listing(path: path, style: .page(pageSize: pageSize), records: "data")
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let owner = try await Self.tokenOwner(api)
        let admins = AccountSet()
        try await api.collectAccounts(Self.listing("/users"), into: sink) { record in
            let account = Self.account(record)
            if let account, account.isAdmin { admins.insert(account.accountID) }
            return account
        }
        let ownerIsAdmin = owner.map { admins.snapshot().contains($0) } ?? false
        if ownerIsAdmin {
            let groups = GroupIDs()
            try await api.collectContainers(Self.listing("/groups"), into: sink, container: Self.group) { found in
                await groups.add(found.map(\.containerID))
            }
            let known = await groups.ids
            let shown = api.displayPath("/group_members")
            try await api.forEachPage(Self.listing("/group_members")) { records in
                // Each record names its own group; a membership of a group /groups did not list is skipped.
                let mapped = records.map { record in
                    record["group_id"].id.flatMap { known.contains($0) ? Self.member(record, of: $0) : nil }
                }
                try await APIClient.store(mapped, of: records.count, at: shown, sink: sink)
            }
        } else {
            sink.warn(
                owner == nil
                    ? "Cannot tell whether the token is an administrator's (GET /users/configuration is missing before ProcessMaker 4.12), so memberships are read group by group."
                    : "The token is not an administrator's, so /group_members would list only its own memberships; memberships are read group by group instead.")
            try await api.collectContainers(
                Self.listing("/groups"), into: sink, container: Self.group,
                members: { group in
                    let id = PathComponent.escape(group.containerID)
                    return [Self.listing("/groups/\(id)/users"), Self.listing("/groups/\(id)/groups")]
                },
                member: { record, group in Self.member(record, of: group.containerID) })
        }
    }

    /// The id of the user the token belongs to (`GET /users/configuration`,
    /// ProcessMaker 4.12 and later); `nil` when the endpoint does not exist.
    static func tokenOwner(_ api: APIClient) async throws -> String? {
        do {
            return try await api.object("/users/configuration")["user_id"].id
        } catch let error as CollectionError where error.httpStatus == 404 {
            return nil
        }
    }

    /// Maps one user.
    static func account(_ record: JSONValue) -> Account? {
        guard let id = record["id"].id else { return nil }
        let status = record["status"].string?.uppercased()
        let deleted = !record["deleted_at"].isNull && record["deleted_at"].string != nil
        let isAdmin = record["is_administrator"].bool ?? false
        var unreadable: [UnreadableDate] = []
        let seen = [record.date("loggedin_at", noting: &unreadable), record.date("active_at", noting: &unreadable)]
            .compactMap { $0 }.max()
        let created = record.date("created_at", noting: &unreadable)
        var account = Account(
            accountID: id, email: record["email"].text,
            name: record["fullname"].text ?? PersonName.join(record["firstname"].text, record["lastname"].text)
                ?? record["username"].text,
            role: isAdmin ? "administrator" : "user", isAdmin: isAdmin,
            status: status == "INACTIVE" || deleted ? .inactive : .active,
            lastSeen: seen, created: created,
            accountType: record["is_system"].bool == true ? .service : .human)
        account.unreadableDates = unreadable
        return account
    }

    /// Maps one group.
    static func group(_ record: JSONValue) -> Container? {
        record["id"].id.map { Container(containerID: $0, type: .group, name: record["name"].text) }
    }

    /// Maps one membership record of `group`: `member_id` is the user or the
    /// nested group (`member_type` ends in `Group`). In `/groups/{id}/users`
    /// the record's `id` is the membership row's, so only `member_id` is read.
    static func member(_ record: JSONValue, of group: String) -> MemberRecord? {
        guard let memberID = record["member_id"].id else { return nil }
        let type = record["member_type"].string?.lowercased() ?? "user"
        if type.hasSuffix("group") {
            return .container(ContainerEdge(parentID: group, childID: memberID))
        }
        return .account(Membership(containerID: group, accountID: memberID))
    }
}

/// The group ids `/groups` listed.
private actor GroupIDs {
    private(set) var ids: Set<String> = []
    func add(_ found: [String]) { ids.formUnion(found) }
}
