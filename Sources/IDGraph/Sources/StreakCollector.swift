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
        keys: [
            .optional("base_url", "the API root; idgraph adds /v1 and /v2", default: "https://api.streak.com/api"),
            .credential("api_key", "a team member's API key, sent as the HTTP Basic user name", variable: "STREAK_API_KEY"),
        ],
        retiredKeys: ["token": "Streak's key goes in 'api_key' (sent as the HTTP Basic user name)."],
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
        makeCollector: make, check: check, removal: removal)

    let source: SourceConfiguration
    let http: HTTPClient
    let policy: RetryPolicy

    static func listing(_ path: String) -> Listing {
        Listing(path: path, style: .page(page: "page", size: "limit", pageSize: pageSize, firstPage: 0), records: "results")
    }

    func collect(with api: APIClient, into sink: SourceSink) async throws {
        if let email = try await Self.keyOwner(api) { await sink.actingAs(email) }
        let teams = TeamDirectory()
        // The accounts are the teams' member seats (and users a team lists that no seat names): the
        // teams listing is the population, counted in seats, with no total (Streak reports none).
        await sink.listedPopulation(try await Self.readTeams(api, into: teams))
        let containers = await teams.teams
        let teamsPath = api.displayPath(Self.teamsPath)
        guard !containers.isEmpty else {
            throw CollectionError(
                source: source.name, location: teamsPath,
                message: "The API key's user belongs to no Streak team, so no accounts can be listed. Use the API key of a team member (see docs/sources.md).")
        }
        try await sink.add(containers)
        try await forEachConcurrently(containers, limit: source.maxConcurrency) { team in
            // This endpoint takes no paging parameters (Streak's OpenAPI): one response, `hasNextPage` checked.
            let path = "/v2/teams/\(PathComponent.escape(team.containerID))/users"
            let response = try await api.get(path, reading: { try JSONDecoder().decode(StreakUserPage.self, from: $0) })
            let page = response.body
            guard let users = page.results else { throw Self.noList(api, path) }
            await sink.countRecords(users.count, of: response.entry)
            guard users.count <= api.source.maxRecords else {
                throw CollectionError(
                    source: api.source.name, location: api.displayPath(path),
                    message: "The team lists \(users.count) users, more than max_records (\(api.source.maxRecords)). idgraph stores no partial list; raise max_records for this source if the team really is this large.")
            }
            if page.hasNextPage?.bool == true {
                throw CollectionError(
                    source: api.source.name, location: api.displayPath(path),
                    message: "The API says the list goes on (hasNextPage), but this endpoint takes no paging parameters, so the rest cannot be read. idgraph stores no partial list; see docs/sources.md.")
            }
            await teams.addUsers(users)
        }
        let (accounts, memberships, unlisted) = await teams.result()
        if unlisted > 0 {
            await sink.warn(.accountsPartlyListed, "\(unlisted) users listed by a team's /users but not among its members were stored as active with no team role.")
        }
        for start in stride(from: 0, to: accounts.count, by: 5_000) {
            try await sink.add(Array(accounts[start..<min(start + 5_000, accounts.count)]))
        }
        for start in stride(from: 0, to: memberships.count, by: 5_000) {
            try await sink.add(Array(memberships[start..<min(start + 5_000, memberships.count)]))
        }
    }

    static let teamsPath = "/v2/users/me/teams"

    /// The first page of the key's teams: the key accepted, and how many teams and members it sees.
    func probe(with api: APIClient, into log: CheckLog) async throws {
        let body = try await api.get(
            Self.teamsPath, query: [("page", "0"), ("limit", String(Self.pageSize))],
            reading: { try JSONDecoder().decode(StreakTeamPage.self, from: $0) }
        ).body
        guard let teams = body.results else { throw Self.noList(api, Self.teamsPath) }
        guard !teams.isEmpty else {
            log.fail("The key is accepted, but its user belongs to no Streak team, so a collect would find no accounts. Use the API key of a team member (docs/sources.md, \"Streak\").")
            return
        }
        let members = teams.reduce(0) { $0 + ($1.members?.count ?? 0) }
        let names = teams.prefix(5).map { $0.name?.text ?? $0.key?.id ?? "?" }.joined(separator: ", ")
        let more = body.hasNextPage?.bool == true ? "more than " : ""
        log.ok("The key is accepted: it sees \(more)\(teams.count) team\(teams.count == 1 ? "" : "s") (\(names)) with \(members) member seats.")
    }

    /// The email of the API key's user (`GET /v1/users/me`), for `source_runs.acting_as`; `nil` when the
    /// endpoint is refused or missing, which leaves the collect itself unaffected.
    static func keyOwner(_ api: APIClient) async throws -> String? {
        do {
            return try await api.object("/v1/users/me")["email"].text
        } catch let error as CollectionError where [403, 404].contains(error.httpStatus ?? 0) {
            return nil
        }
    }

    /// Reads the key's teams, page by page (`page` from 0) until `hasNextPage` is false, or an
    /// empty page where the response does not say. A team's members arrive inside it, so a large
    /// team is decoded straight into the few fields kept of each member, never as a whole tree.
    /// Returns how the listing ended, its records counted in member seats (a user in two teams is two).
    @discardableResult
    static func readTeams(_ api: APIClient, into teams: TeamDirectory) async throws -> ListingSummary {
        var page = 0
        var seats = 0
        func summary(_ end: ListingSummary.End) -> ListingSummary {
            ListingSummary(path: api.displayPath(teamsPath), received: seats, pages: page + 1, end: end.rawValue)
        }
        while true {
            let response = try await api.get(
                teamsPath, query: [("page", String(page)), ("limit", String(pageSize))],
                reading: { try JSONDecoder().decode(StreakTeamPage.self, from: $0) })
            let body = response.body
            guard let results = body.results else { throw noList(api, teamsPath) }
            await api.sink.countRecords(results.count, of: response.entry)
            var new = 0
            for team in results {
                guard let key = team.key?.id else { continue }
                if await teams.add(team: Container(containerID: key, type: .organization, name: team.name?.text), seats: team.members ?? []) {
                    new += 1
                    seats += team.members?.count ?? 0
                }
            }
            if !results.isEmpty, new == 0 {
                throw CollectionError(
                    source: api.source.name, location: api.displayPath(teamsPath),
                    message: "The API sent the same teams again (page \(page + 1)), so its paging cannot be followed and the list would never end. idgraph stores no partial list; see docs/sources.md, \"Paging\".")
            }
            switch body.hasNextPage?.bool {
            case true?: break
            case false?: return summary(.hasNextPageFalse)
            case nil: if results.isEmpty { return summary(.emptyPage) }
            }
            page += 1
        }
    }

    static func noList(_ api: APIClient, _ path: String) -> CollectionError {
        CollectionError(
            source: api.source.name, location: api.displayPath(path),
            message: "The response has no list of records ('results'). Check base_url: it should be the API root, https://api.streak.com/api (see docs/sources.md).")
    }
}

/// `GET /v2/users/me/teams`: teams whose members are decoded straight into the fields idgraph keeps.
struct StreakTeamPage: Decodable {
    struct Team: Decodable {
        var key: JSONValue?
        var name: JSONValue?
        var members: [StreakSeat]?
    }
    var results: [Team]?
    var hasNextPage: JSONValue?
}

/// `GET /v2/teams/{key}/users`.
struct StreakUserPage: Decodable {
    var results: [StreakUser]?
    var hasNextPage: JSONValue?
}

/// What idgraph keeps of one team seat (Streak's `TeamMember`): a company's whole team is held until
/// its users are read, so only these few fields, not the JSON.
struct StreakSeat: Sendable, Decodable {
    /// The `TeamMember` fields read.
    enum Keys: PickedKeys {
        static let names: Set<String> = ["userKey", "key", "role", "inviteStatus", "inviteDate", "email", "fullName", "displayName", "userType"]
    }

    var team: String
    var userKey: String?
    var role: String?
    var pending: Bool
    var inviteDate: Date?
    var email: String?
    var name: String?
    var agent: Bool
    /// Date fields that could not be read.
    var unreadable: [UnreadableDate] = []

    init(team: String, record: JSONValue) {
        self.team = team
        userKey = record.first("userKey", "key").id
        role = record["role"].text
        pending = record["inviteStatus"].string?.lowercased() == "pending"
        inviteDate = record.date("inviteDate", noting: &unreadable)
        email = record["email"].text
        name = record["fullName"].text ?? record["displayName"].text
        agent = record["userType"].string?.uppercased() == "AGENT"
    }

    /// Decodes the kept fields of a `TeamMember` straight from a response, with no tree of the others.
    init(from decoder: any Decoder) throws {
        self.init(team: "", record: try PickedRecord<Keys>(from: decoder).value)
    }

    /// The seat's access, from none (ArchiveOnly) to the most (Owner); an unknown role counts as Member.
    var rank: Int { StreakCollector.roleRank[role?.lowercased() ?? ""] ?? 2 }
}

/// What idgraph keeps of one Streak `User`.
struct StreakUser: Sendable, Decodable {
    /// The `User` fields read.
    enum Keys: PickedKeys {
        static let names: Set<String> = ["key", "userKey", "email", "displayName", "lastSeenTimestamp", "creationTimestamp", "userType"]
    }

    var key: String?
    var email: String?
    var name: String?
    var lastSeen: Date?
    var created: Date?
    var agent: Bool
    /// Date fields that could not be read.
    var unreadable: [UnreadableDate] = []

    init(_ record: JSONValue) {
        key = record.first("key", "userKey").id
        email = record["email"].text
        name = record["displayName"].text
        lastSeen = record.date("lastSeenTimestamp", noting: &unreadable)
        created = record.date("creationTimestamp", noting: &unreadable)
        agent = record["userType"].string?.uppercased() == "AGENT"
    }

    /// Decodes the kept fields of a `User` straight from a response.
    init(from decoder: any Decoder) throws {
        self.init(try PickedRecord<Keys>(from: decoder).value)
    }
}

/// The teams and their members, merged into one account per user key.
actor TeamDirectory {
    private(set) var teams: [Container] = []
    private var teamIDs: Set<String> = []
    private var seats: [String: [StreakSeat]] = [:]
    private var order: [String] = []
    private var users: [String: StreakUser] = [:]

    /// Adds a team and its members; `false` for a team already added.
    @discardableResult
    func add(team: Container, seats members: [StreakSeat]) -> Bool {
        guard teamIDs.insert(team.containerID).inserted else { return false }
        teams.append(team)
        for var seat in members {
            guard let key = seat.userKey else { continue }
            seat.team = team.containerID
            if seats[key] == nil { order.append(key) }
            seats[key, default: []].append(seat)
        }
        return true
    }

    func addUsers(_ records: [StreakUser]) {
        for user in records {
            guard let key = user.key else { continue }
            users[key] = user
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
            accounts.append(StreakCollector.account(key: key, seats: userSeats, user: users[key]))
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

    /// Maps one user from its team seats (`TeamMember` records) and its `User` record.
    static func account(key: String, seats: [JSONValue], user: JSONValue?) -> Account {
        account(key: key, seats: seats.map { StreakSeat(team: "", record: $0) }, user: user.map(StreakUser.init))
    }

    /// Maps one user from its team seats and its `User`.
    static func account(key: String, seats: [StreakSeat], user: StreakUser?) -> Account {
        let accepted = seats.filter { !$0.pending }
        let strongest = (accepted.isEmpty ? seats : accepted).max { $0.rank < $1.rank }
        let status: AccountStatus
        if seats.isEmpty || accepted.contains(where: { $0.rank > 0 }) {
            status = .active
        } else if seats.contains(where: { $0.pending && $0.rank > 0 }) {
            status = .invited
        } else {
            status = .inactive
        }
        let first = seats.first
        let inviteDate = seats.compactMap(\.inviteDate).min()
        var account = Account(
            accountID: key, email: first?.email ?? user?.email, name: first?.name ?? user?.name,
            role: strongest?.role, isAdmin: status == .active && accepted.contains { $0.rank == 3 }, status: status,
            lastSeen: user?.lastSeen,
            created: status == .invited ? inviteDate : (user?.created ?? inviteDate),
            accountType: (user?.agent == true || first?.agent == true) ? .service : .human)
        account.unreadableDates = seats.flatMap(\.unreadable) + (user?.unreadable ?? [])
        return account
    }
}

extension StreakCollector {
    /// StreakYC/streak-client-cli @69ce8858 (openapi0.json, TeamUpdateBody): `POST /v2/teams/{teamKey}`
    /// with `members`, a complete replacement roster. There is no per-member removal.
    static func removal(_ target: RemovalTarget) -> Removal {
        let teams = target.memberships.map { team in
            [
                RemovalStep(method: "GET", path: "/v2/teams/\(PathComponent.escape(team.id))", effect: "read team \(team.name)'s roster"),
                RemovalStep(
                    method: "POST", path: "/v2/teams/\(PathComponent.escape(team.id))",
                    body: #"{"members":[<every other member as read: userKey, role, inviteStatus, emailSharing>]}"#,
                    effect: "replace the roster without this user"),
            ]
        }.flatMap { $0 }
        let steps = teams.isEmpty
            ? [RemovalStep(method: "UI", path: "Streak → Team settings → Members", effect: "remove the user from the team")]
            : teams
        return Removal(
            steps: target.action == .modify
                ? [RemovalStep(method: "UI", path: "Streak → Team settings → Members", effect: "change the member's role as the decision's reason says")]
                : steps,
            caveat: "The roster is replaced whole: a member left out loses access too, and two edits at once can overwrite each other. The user's own API keys can be deleted only by them (DELETE /v1/apikeys/{key}).")
    }
}
