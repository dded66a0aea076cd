import AsyncHTTPClient
import Foundation
import Synchronization

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
        keys: [
            .required(
                "base_url", "your server's API root (ProcessMaker is self-hosted)",
                example: "https://processmaker.example.com/api/1.0"),
            .credential(
                "token", "a personal access token; an administrator's reads every membership in one listing",
                variable: "PROCESSMAKER_TOKEN"),
            .optional(
                "collect_tokens", "also read every user's personal access tokens (one request a user), for the token-of-inactive-user rule",
                example: "false"),
        ],
        authentication: .bearer,
        exposes: .init(activity: true, admin: true),
        makeCollector: make, check: check, removal: removal)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    static func listing(_ path: String) -> Listing {
        Listing(path: path, style: .page(pageSize: pageSize), records: "data")
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let owner = try await Self.tokenOwner(api)
        let admins = AccountSet()
        let users = AccountSet()
        let ownerAccount = ListedAccount()
        try await api.collectAccounts(Self.listing("/users"), into: sink) { record in
            let account = Self.account(record)
            if let account, account.isAdmin { admins.insert(account.accountID) }
            if let account { users.insert(account.accountID) }
            if let account, account.accountID == owner { ownerAccount.set(account) }
            return account
        }
        if let owner {
            await sink.actingAs(Self.actingAs(owner, ownerAccount.value))
        }
        if source.collectTokens {
            try await Self.collectTokens(of: users.snapshot().sorted(), with: api, into: sink, width: source.maxConcurrency)
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
            await sink.warn(
                .limitedToken,
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

    /// Every user's personal access tokens (`GET /users/{id}/tokens`, UserTokenController@index:
    /// the Passport token rows, never the token itself), `width` users at a time.
    static func collectTokens(of users: [String], with api: APIClient, into sink: SourceSink, width: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = users.makeIterator()
            func start() -> Bool {
                guard let user = next.next() else { return false }
                group.addTask {
                    let path = "/users/\(PathComponent.escape(user))/tokens"
                    let shown = api.displayPath(path)
                    try await api.forEachPage(listing(path)) { records in
                        let tokens = records.map { token(of: user, $0) }
                        try await APIClient.store(tokens, of: records.count, at: shown, sink: sink)
                    }
                }
                return true
            }
            for _ in 0..<max(1, width) where start() {}
            while try await group.next() != nil { _ = start() }
        }
    }

    /// Maps one token record; the secret is never read (the API does not send it, and no field here could hold it).
    static func token(of user: String, _ record: JSONValue) -> Credential? {
        guard let id = record["id"].id else { return nil }
        return Credential(
            credentialID: id, accountID: record["user_id"].id ?? user, kind: "personal_access_token",
            name: record["name"].text, created: record["created_at"].date, expires: record["expires_at"].date,
            revoked: record["revoked"].bool ?? false)
    }

    /// Whose token it is, as `source_runs.acting_as` shows it: `user 1 (admin@acme.example), administrator`,
    /// from the owner's record in `/users` (no request of its own).
    static func actingAs(_ owner: String, _ account: Account?) -> String {
        let email = account?.email.map { " (\($0))" } ?? ""
        let role = account.map { $0.isAdmin ? ", administrator" : ", not an administrator" } ?? ", not listed by /users"
        return "user \(owner)\(email)\(role)"
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

    /// Whose token it is (`/users/configuration`, then that user's record): an administrator's reads
    /// every membership from `/group_members`, any other token group by group; then `/users`' total.
    func probe(with api: APIClient, into log: CheckLog) async throws {
        if let owner = try await Self.tokenOwner(api) {
            let user = try await api.object("/users/\(PathComponent.escape(owner))")
            let email = user["email"].text.map { " (\($0))" } ?? ""
            let who = "user \(owner)\(email)"
            if user["is_administrator"].bool == true {
                log.ok("The token is accepted; it belongs to \(who), an administrator, so a collect reads every membership from /group_members in one listing.")
            } else {
                log.warn("The token is accepted, but it belongs to \(who), who is not an administrator: /group_members would list only that user's memberships, so a collect reads them group by group (two listings per group: complete, slower). An administrator's token reads them in one listing (docs/sources.md, \"ProcessMaker\").")
            }
        } else {
            log.warn("GET \(api.displayPath("/users/configuration")) does not exist (ProcessMaker before 4.12), so whose token this is cannot be told: a collect reads memberships group by group (two listings per group: complete, slower).")
        }
        do {
            let users = try await api.firstPage(Listing(path: "/users", style: .page(pageSize: 1), records: "data"))
            log.ok("GET \(api.displayPath("/users")) lists \(users.total.map(String.init) ?? "some") users.")
        } catch let error as CollectionError where error.httpStatus == 403 {
            log.fail("The token's user may not list users (HTTP 403 at \(api.displayPath("/users"))). Give that user the view-users and view-groups permissions, or use an administrator's token (docs/sources.md, \"ProcessMaker\").")
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

/// One account a listing found (the token owner's), set from any task.
private final class ListedAccount: Sendable {
    private let account = Mutex<Account?>(nil)

    func set(_ found: Account) { account.withLock { $0 = found } }
    var value: Account? { account.withLock { $0 } }
}

/// The group ids `/groups` listed.
private actor GroupIDs {
    private(set) var ids: Set<String> = []
    func add(_ found: [String]) { ids.formUnion(found) }
}

extension ProcessMakerCollector {
    /// ProcessMaker/processmaker @495ac825: `PUT /users/{id}` (User::rules() needs the current
    /// username, names and email with the new status), `PUT /users/{id}/groups`, and
    /// `DELETE /users/{id}/tokens/{tokenId}` (UserTokenController, `$token->revoke()`).
    static func removal(_ target: RemovalTarget) -> Removal {
        let id = PathComponent.escape(target.accountID)
        let groups = RemovalStep(
            method: "PUT", path: "/users/\(id)/groups", body: #"{"groups":[]}"#,
            effect: "remove every group membership" + (target.memberships.isEmpty ? "" : " (\(target.membershipList))"))
        if target.action == .modify {
            return Removal(
                steps: [RemovalStep(
                    method: "PUT", path: "/users/\(id)/groups", body: #"{"groups":[<ids of the groups to keep>]}"#,
                    effect: "keep only the groups the reviewer approved (now: \(target.membershipList))")],
                caveat: "Change what the decision's reason names; the next collect shows the change.")
        }
        return Removal(
            steps: [
                RemovalStep(method: "GET", path: "/users/\(id)", effect: "read the current username, firstname, lastname, email and meta"),
                RemovalStep(
                    method: "PUT", path: "/users/\(id)",
                    body: #"{"username":"<current>","firstname":"<current>","lastname":"<current>","email":"<current>","status":"INACTIVE","meta":<current>}"#,
                    effect: "deactivate the user: the web login refuses INACTIVE users"),
                groups,
                RemovalStep(method: "GET", path: "/users/\(id)/tokens", effect: "list the user's personal access tokens"),
                RemovalStep(method: "DELETE", path: "/users/\(id)/tokens/{tokenId}", effect: "revoke each of them"),
            ],
            caveat: "API tokens keep working after the user is INACTIVE (the API guard does not check the status): revoke every token. OAuth tokens of other clients are not listed under /tokens.")
    }
}
