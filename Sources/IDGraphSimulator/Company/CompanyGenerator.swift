import Foundation

/// Builds a `Company`: the roster first, then planted accounts, then ordinary accounts and memberships.
struct CompanyGenerator {
    let size: Int
    let seed: UInt64
    let asOf: Date
    let domain = "acme.com"
    let aliasDomain = "acme.io"
    var rng: SeededRandom
    var roster: [RosterPerson] = []
    var records: [SimulatedSystem: SystemRecords] = [:]
    var approved: [SimulatedSystem: [String]] = [:]
    var usedEmails: Set<String> = []
    var plantedRosterIndices: Set<Int> = []
    var nextNumber: [SimulatedSystem: Int] = [:]
    /// Cycles planted accounts through every timestamp form a system uses, so each form appears at any size.
    var formCursor: [SimulatedSystem: Int] = [:]
    var streakOwnerKey = ""
    var proofHubOwnerAssigned = false
    /// ProofHub projects that have their `manager`.
    var projectManagers: Set<String> = []
    var streakTeamKey = ""

    init(size: Int, seed: UInt64, asOf: Date) {
        self.size = size
        self.seed = seed
        self.asOf = asOf
        rng = SeededRandom(seed: seed)
        for system in SimulatedSystem.allCases {
            records[system] = SystemRecords()
            approved[system] = []
        }
    }

    mutating func run() -> Company {
        var secrets = SeededRandom(seed: seed ^ 0x5EC2_E75E_C2E7_5EC2)
        let credentials = [
            Company.CredentialName.processStreetToken: "ps_live_" + secrets.hex(32),
            Company.CredentialName.proofHubToken: "ph_" + secrets.hex(40),
            Company.CredentialName.streakAPIKey: secrets.hex(32),
            Company.CredentialName.processMakerToken: "pm_" + secrets.hex(48),
            Company.CredentialName.procoreClientID: secrets.hex(32),
            Company.CredentialName.procoreClientSecret: secrets.hex(48),
        ]
        streakTeamKey = "agxzfnN0cmVha3RlYW0" + secrets.hex(12)
        reserveLookalikes()
        makeRoster()
        makeContainers()
        plantAll()
        makeOrdinaryAccounts()
        plantTokens()
        return Company(
            size: size, seed: seed, asOf: asOf, domain: domain, aliasDomain: aliasDomain,
            inactiveDays: 90, staleInviteDays: 30, roster: roster, systems: records,
            approvedAdmins: approved,
            procoreAdminTemplates: [String(Self.procoreCompanyAdmin.id), Self.procoreProjectAdmin.name],
            procoreCompanyID: 4_862_113, streakTeamKey: streakTeamKey, streakOwnerKey: streakOwnerKey,
            credentials: credentials)
    }

    // MARK: - Tokens

    /// ProcessMaker personal access tokens: a live and a revoked one of a deactivated user, an expired one
    /// of another, a live one of an active roster person, and a live one of a person not in the roster.
    mutating func plantTokens() {
        guard var pm = records[.processMaker] else { return }
        let active = Set(roster.filter { $0.status == "active" }.map { $0.email.lowercased() })
        let humans = pm.listedAccounts.filter { $0.accountType == .human }
        let inactive = humans.filter { $0.expectedStatus == .inactive }
        let employed = humans.first { $0.expectedStatus == .active && active.contains($0.canonicalEmail ?? "") }
        let unknown = humans.first { $0.expectedStatus == .active && !active.contains($0.canonicalEmail ?? "") }
        func token(_ account: SimulatedAccount?, _ name: String, expires days: Double?, revoked: Bool = false, flagged: Bool) {
            guard let account else { return }
            pm.credentials.append(SimulatedCredential(
                id: rng.hex(40), userID: account.id, name: name, created: asOf.addingTimeInterval(-200 * 86_400),
                expires: days.map { asOf.addingTimeInterval($0 * 86_400) }, revoked: revoked, flagged: flagged))
        }
        token(inactive.first, "Zapier sync", expires: nil, flagged: true)
        token(inactive.first, "old laptop", expires: nil, revoked: true, flagged: false)
        token(inactive.dropFirst().first, "expired report", expires: -10, flagged: false)
        token(employed, "reporting", expires: 180, flagged: false)
        token(unknown, "contractor's <script>alert('t')</script>", expires: 365, flagged: true)
        records[.processMaker] = pm
    }

    // MARK: - Roster

    /// Emails the planted look-alikes use must never belong to an ordinary roster person.
    mutating func reserveLookalikes() {
        for email in ["jane.doe@acme.co", "janedoe@acme.com", "jane.doe@acme.com.au", "jose.garcia@acme.com"] {
            usedEmails.insert(email)
        }
    }

    mutating func makeRoster() {
        let managerCount = max(5, size / 8)
        roster.reserveCapacity(size + 1)
        for index in 0..<size {
            let first = rng.pick(NamePools.firstNames), last = rng.pick(NamePools.lastNames)
            let email = uniqueEmail(first: first, last: last)
            let department = index == 0 ? "Executive" : NamePools.departments[index % NamePools.departments.count]
            let manager: String
            if index == 0 {
                manager = ""
            } else if index < managerCount {
                manager = roster[rng.int(0...(index - 1))].email
            } else {
                manager = roster[rng.int(1...(managerCount - 1))].email
            }
            // Managers stay active so every review group has a live reviewer.
            let terminated = index >= managerCount && rng.chance(0.06)
            roster.append(RosterPerson(
                email: email, name: "\(first) \(last)", department: department, managerEmail: manager,
                status: terminated ? "terminated" : "active",
                terminationDate: terminated ? SimulatedTimestamp.day(daysAgo(rng.int(5...700))) : ""))
        }
        firstPlantedIndex = managerCount
        // A manager with a hostile name: reviews are grouped under managers, so group headings must escape it too.
        roster[2].name = "<b onmouseover=alert(1)>Lee</b> \"Boss\""
    }

    var firstPlantedIndex = 0

    mutating func uniqueEmail(first: String, last: String) -> String {
        let base = "\(first).\(last)".lowercased()
        var candidate = "\(base)@\(domain)"
        var n = 2
        while usedEmails.contains(candidate) {
            candidate = "\(base)\(n)@\(domain)"
            n += 1
        }
        usedEmails.insert(candidate)
        return candidate
    }

    /// Overwrites the next planted roster slot with a chosen person and returns their canonical email.
    mutating func plantPerson(_ name: String, email: String, rosterEmail: String? = nil, terminatedDaysAgo: Int? = nil, department: String? = nil) -> String {
        let index = firstPlantedIndex + plantedRosterIndices.count
        plantedRosterIndices.insert(index)
        var person = roster[index]
        person.name = name
        person.email = rosterEmail ?? email
        if let department { person.department = department }
        person.status = terminatedDaysAgo == nil ? "active" : "terminated"
        person.terminationDate = terminatedDaysAgo.map { SimulatedTimestamp.day(daysAgo($0)) } ?? ""
        roster[index] = person
        usedEmails.insert(email)
        return canonical(email)
    }

    // MARK: - Containers

    mutating func makeContainers() {
        let groups = max(4, size / 40), projects = max(4, size / 30)
        for n in 0..<groups {
            let name = n == 1 ? NamePools.untrustedNames[3] : "\(NamePools.departments[n % NamePools.departments.count]) \(n / NamePools.departments.count + 1)"
            records[.processStreet]!.containers.append(SimulatedContainer(id: "grp_" + rng.hex(12), name: name, type: "group"))
        }
        for n in 0..<projects {
            let name = n == 0 ? NamePools.hostileProjectName : "\(NamePools.projectWords[n % NamePools.projectWords.count]) \(n / NamePools.projectWords.count + 1)"
            records[.proofHub]!.containers.append(SimulatedContainer(id: String(7_000_000 + n * 13), name: name, type: "project"))
        }
        for n in 0..<max(2, size / 80) {
            let name = "\(NamePools.departments[n % NamePools.departments.count]) team \(n + 1)"
            records[.proofHub]!.containers.append(SimulatedContainer(id: String(1_900_000 + n * 7), name: name, type: "group"))
        }
        records[.streak]!.containers.append(SimulatedContainer(id: streakTeamKey, name: "Acme Corp", type: "organization"))
        for n in 0..<groups {
            let name = n == 2 ? "<b>Finance</b> & \"Ops\"" : "\(NamePools.departments[n % NamePools.departments.count]) group \(n + 1)"
            records[.processMaker]!.containers.append(SimulatedContainer(id: String(n + 1), name: name, type: "group"))
        }
        // ProcessMaker allows a group inside a group (the README, "The graph": container-in-container edge).
        records[.processMaker]!.containers.append(
            SimulatedContainer(id: String(groups + 1), name: "Engineering Leads", type: "group", parentID: "1"))
        for n in 0..<projects {
            let name = n == 0 ? NamePools.hostileProjectName : "\(NamePools.projectWords[(n + 3) % NamePools.projectWords.count]) Site \(n + 1)"
            records[.procore]!.containers.append(SimulatedContainer(id: String(562_949_953_000 + n), name: name, type: "project"))
        }
    }

    // MARK: - Ordinary accounts

    /// The chance an active roster person has an account in each system (≈4.4 accounts per person).
    static let presence: [SimulatedSystem: Double] = [
        .processStreet: 0.95, .proofHub: 0.9, .streak: 0.75, .processMaker: 0.95, .procore: 0.85,
    ]

    mutating func makeOrdinaryAccounts() {
        let people = roster
        for index in people.indices where !plantedRosterIndices.contains(index) {
            addOrdinaryAccounts(for: people[index])
        }
    }

    // The loops below avoid `where` clauses that call mutating methods: Swift 6.3's optimizer
    // crashed on that shape in release builds (SIL verification failure in OwnershipModelEliminator).
    mutating func addOrdinaryAccounts(for person: RosterPerson) {
        let terminated = person.status == "terminated"
        let parts = person.name.split(separator: " ", maxSplits: 1).map(String.init)
        for system in SimulatedSystem.allCases {
            guard rng.chance(Self.presence[system] ?? 0) else { continue }
            var status = ExpectedStatus.active
            if terminated {
                // Most leavers were switched off; some were forgotten (orphaned).
                if rng.chance(0.85) { status = .inactive }
            } else if system == .streak && rng.chance(0.02) {
                status = .invited
            } else if rng.chance(0.01) {
                status = .inactive
            }
            // Process Street exposes no admin flag: its admins are invisible to idgraph, so none are planted there.
            let admin = status == .active && system != .processStreet && rng.chance(0.015)
            let seen: Int? = rng.chance(0.08) ? nil : (rng.chance(0.12) ? rng.int(120...600) : rng.int(0...60))
            let created = status == .invited
                ? (rng.chance(0.5) ? rng.int(1...20) : rng.int(45...400))
                : (rng.chance(0.2) ? rng.int(1...60) : rng.int(120...1500))
            let account = makeAccount(
                system, email: person.email, name: person.name, first: parts.first ?? "", last: parts.count > 1 ? parts[1] : "",
                status: status, admin: admin, createdDaysAgo: created, seenDaysAgo: seen)
            if admin && rng.chance(0.5), let email = account.canonicalEmail {
                approved[system, default: []].append(email)
            }
            let count = rng.chance(0.1) ? 0 : (rng.chance(0.3) ? 2 : 1)
            add(account, to: system, memberships: count)
        }
    }

    // MARK: - Helpers

    func daysAgo(_ days: Int) -> Date { asOf.addingTimeInterval(-Double(days) * 86_400) }

    /// the README, "Identity resolution": trimmed, lower-cased, NFC, alias domain replaced.
    func canonical(_ email: String) -> String {
        var text = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
        if text.hasSuffix("@" + aliasDomain) {
            text = String(text.dropLast(aliasDomain.count)) + domain
        }
        return text
    }
}
