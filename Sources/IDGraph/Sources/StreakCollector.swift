import AsyncHTTPClient
import Foundation

extension SourceKind {
    /// Streak.
    public static let streak = SourceKind(rawValue: "streak")
}

/// Streak (docs/sources.md, "Streak"): the teams of the API key's user
/// (`GET /v2/users/me/teams`, zero-based `page` and `hasNextPage`) with their
/// members, and each team's users (`GET /v2/teams/{key}/users`) for activity.
/// HTTP Basic with the key as user name and an empty password.
///
/// A team is a container (type organization: it is the tenant, not access
/// granted on top of it); a member's team role is the membership's role.
/// Role Owner is an admin; ArchiveOnly is deactivated; PayerOnly stays active
/// (billing) without being an admin; `inviteStatus` Pending is an invitation,
/// judged on its `inviteDate`. `userType` AGENT is a service account.
struct StreakCollector: SaaSCollector {
    /// The `limit` asked for; paging follows `hasNextPage`, whatever the server serves.
    static let pageSize = 100

    static let descriptor = SourceDescriptor(
        kind: .streak, displayName: "Streak",
        keys: [.optional("base_url"), .required("api_key")],
        retiredKeys: ["token": "Streak's key goes in 'api_key' (sent as the HTTP Basic user name)."],
        defaultBaseURL: "https://api.streak.com/api",
        authentication: .basicUser,
        exposes: .init(activity: true, admin: true),
        validate: { source in
            guard let url = source.baseURL else { return nil }
            let path = url.path.lowercased()
            guard path.hasSuffix("/v1") || path.hasSuffix("/v2") || path.hasSuffix("/v1/") || path.hasSuffix("/v2/") else { return nil }
            return (
                "base_url",
                "'\(url.absoluteString)' ends in an API version, but idgraph reads both /v1 and /v2 paths: use the API root, https://api.streak.com/api (the default: remove base_url)."
            )
        },
        makeCollector: make)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    static func listing(_ path: String) -> Listing {
        Listing(path: path, style: .page(page: "page", size: "limit", pageSize: pageSize, firstPage: 0), records: "results")
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        let teams = TeamDirectory()
        let teamsPath = "/v2/users/me/teams"
        try await api.forEachPage(Self.listing(teamsPath)) { records in
            for record in records {
                guard let key = record["key"].id else { continue }
                await teams.add(team: Container(containerID: key, type: .organization, name: record["name"].text),
                                members: record["members"].array ?? [])
            }
        }
        let containers = await teams.teams
        guard !containers.isEmpty else {
            throw CollectionError(
                source: source.name, location: api.displayPath(teamsPath),
                message: "The API key's user belongs to no Streak team, so no accounts can be listed. Use the API key of a team member (see docs/sources.md).")
        }
        try await sink.add(containers)
        try await forEachConcurrently(containers, limit: source.maxConcurrency) { team in
            // This endpoint takes no paging parameters (Streak's OpenAPI): one response, `hasNextPage` checked.
            let users = Listing(path: "/v2/teams/\(PathComponent.escape(team.containerID))/users", style: .none, records: "results")
            try await api.forEachPage(users) { records in
                await teams.addUsers(records)
            }
        }
        let (accounts, memberships, unlisted) = await teams.result()
        if unlisted > 0 {
            sink.warn("\(unlisted) users listed by a team's /users but not among its members were stored as active with no team role.")
        }
        try await sink.add(accounts)
        try await sink.add(memberships)
    }
}

/// A team member's role and invitation (Streak's `TeamMember`).
private struct TeamSeat: Sendable {
    var team: String
    var record: JSONValue
    var role: String? { record["role"].text }
    var pending: Bool { record["inviteStatus"].string?.lowercased() == "pending" }
}

/// The teams and their members, merged into one account per user key.
private actor TeamDirectory {
    private(set) var teams: [Container] = []
    private var seats: [String: [TeamSeat]] = [:]
    private var order: [String] = []
    private var users: [String: JSONValue] = [:]

    func add(team: Container, members: [JSONValue]) {
        guard !teams.contains(where: { $0.containerID == team.containerID }) else { return }
        teams.append(team)
        for member in members {
            guard let key = member.first("userKey", "key").id else { continue }
            if seats[key] == nil { order.append(key) }
            seats[key, default: []].append(TeamSeat(team: team.containerID, record: member))
        }
    }

    func addUsers(_ records: [JSONValue]) {
        for record in records {
            guard let key = record.first("key", "userKey").id else { continue }
            users[key] = record
            if seats[key] == nil {
                order.append(key)
                seats[key] = []
            }
        }
    }

    /// One account per user, its team memberships, and how many users no team listed as a member.
    func result() -> ([Account], [Membership], Int) {
        var accounts: [Account] = []
        var memberships: [Membership] = []
        var unlisted = 0
        for key in order {
            let userSeats = seats[key] ?? []
            if userSeats.isEmpty { unlisted += 1 }
            accounts.append(StreakCollector.account(key: key, seats: userSeats.map(\.record), user: users[key]))
            for seat in userSeats {
                memberships.append(Membership(containerID: seat.team, accountID: key, role: seat.role))
            }
        }
        return (accounts, memberships, unlisted)
    }
}

extension StreakCollector {
    /// Team roles from the most to the least access.
    static let roleRank = ["owner": 3, "member": 2, "payeronly": 1, "archiveonly": 0]

    /// Maps one user from its team seats (`TeamMember`s) and its `User` record.
    static func account(key: String, seats: [JSONValue], user: JSONValue?) -> Account {
        let user = user ?? .null
        let accepted = seats.filter { $0["inviteStatus"].string?.lowercased() != "pending" }
        func rank(_ seat: JSONValue) -> Int { roleRank[seat["role"].string?.lowercased() ?? ""] ?? 2 }
        let strongest = (accepted.isEmpty ? seats : accepted).max { rank($0) < rank($1) }
        let role = strongest?["role"].text
        let status: AccountStatus
        if seats.isEmpty {
            status = .active
        } else if accepted.contains(where: { rank($0) > 0 }) {
            status = .active
        } else if seats.contains(where: { $0["inviteStatus"].string?.lowercased() == "pending" && rank($0) > 0 }) {
            status = .invited
        } else {
            status = .inactive
        }
        let first = seats.first ?? .null
        let agent = [user["userType"], first["userType"]].contains { $0.string?.uppercased() == "AGENT" }
        let inviteDate = seats.compactMap { $0["inviteDate"].date }.min()
        return Account(
            accountID: key, email: first["email"].text ?? user["email"].text,
            name: first["fullName"].text ?? first["displayName"].text ?? user["displayName"].text,
            role: role, isAdmin: status == .active && accepted.contains { rank($0) == 3 }, status: status,
            lastSeen: user["lastSeenTimestamp"].date,
            created: status == .invited ? inviteDate : (user["creationTimestamp"].date ?? inviteDate),
            accountType: agent ? .service : .human)
    }
}
