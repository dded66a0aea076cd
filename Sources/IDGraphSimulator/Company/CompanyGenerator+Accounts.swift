import Foundation

extension CompanyGenerator {
    /// The creation-time forms each system uses, most common first (SPEC.md "Sources": collectors must be tolerant).
    static func createdForms(_ system: SimulatedSystem) -> [SimulatedTimestamp.Form] {
        switch system {
        case .processStreet: [.iso8601Fractional, .iso8601, .iso8601Offset, .null, .missing]
        case .proofHub: [.iso8601, .iso8601Offset, .iso8601Fractional, .null, .missing]
        case .streak: [.epochMilliseconds]
        case .processMaker: [.iso8601Fractional]
        case .procore: [.iso8601, .iso8601Offset]
        }
    }

    /// Makes one account in `system`'s own vocabulary for an intended status and admin flag.
    mutating func makeAccount(
        _ system: SimulatedSystem, email: String?, login: String? = nil, name: String, first: String, last: String,
        status: ExpectedStatus, admin: Bool, createdDaysAgo: Int, seenDaysAgo: Int?,
        planted: Set<PlantedCondition> = []
    ) -> SimulatedAccount {
        let number = nextNumber[system, default: 0] + 1
        nextNumber[system] = number
        let id: String
        switch system {
        case .processStreet: id = "mem_" + String(number, radix: 36) + rng.hex(6)
        case .proofHub: id = String(10_000 + number)
        case .streak: id = "agxzfnN0cmVha3VzZXI" + String(number, radix: 36) + rng.hex(6)
        case .processMaker: id = String(number)
        case .procore: id = String(9_000_000 + number * 3)
        }
        let createdDate = daysAgo(createdDaysAgo).addingTimeInterval(-Double(rng.int(0...86_399)))
        var createdForm = chooseForm(system, Self.createdForms(system), planted: !planted.isEmpty)
        if status == .invited && (createdForm == .null || createdForm == .missing) {
            createdForm = .iso8601Fractional  // an invitation's age must be readable for stale-invite
        }
        let created = createdForm == .null ? SimulatedTimestamp.null
            : createdForm == .missing ? SimulatedTimestamp.missing : SimulatedTimestamp(createdDate, createdForm)

        var lastSeen = SimulatedTimestamp.missing
        if system == .streak || system == .processMaker {
            if let seenDaysAgo {
                let seen = max(daysAgo(seenDaysAgo).addingTimeInterval(-Double(rng.int(0...86_399))), createdDate.addingTimeInterval(3600))
                lastSeen = SimulatedTimestamp(min(seen, asOf), system == .streak ? .epochMilliseconds : .laravel)
            } else if system == .streak {
                lastSeen = chooseForm(system, [.missing, .null], planted: !planted.isEmpty) == .null ? .null : .missing
            } else {
                lastSeen = .null  // ProcessMaker writes loggedin_at: null for a user who never logged in
            }
        }

        var role: String?
        var rawStatus: String?
        var template: Int?
        switch system {
        case .processStreet:
            role = admin ? "admin" : (rng.chance(0.05) ? "guest" : "member")
            rawStatus = status == .active ? "active" : status == .invited ? "invited" : "deactivated"
        case .proofHub:
            role = admin ? (proofHubOwnerAssigned ? "admin" : "owner") : (rng.chance(0.1) ? "collaborator" : "member")
            if admin { proofHubOwnerAssigned = true }
            // ProofHub may leave status out; SPEC.md counts an absent status as active.
            rawStatus = status == .inactive ? "inactive" : (rng.chance(0.3) ? nil : "active")
        case .streak:
            break
        case .processMaker:
            rawStatus = status == .inactive ? "INACTIVE" : "ACTIVE"
        case .procore:
            template = admin ? 101 : [201, 202, nil][rng.int(0...2)]
        }
        let mailbox = system == .procore ? ((email?.isEmpty ?? true) ? login : email) : email
        // Ordinary roster emails are already canonical; skip the Foundation work for them.
        let canonicalEmail = mailbox.map { usedEmails.contains($0) && $0.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) && $0 > 0x20 }) ? $0 : canonical($0) }
        return SimulatedAccount(
            id: id, email: email, login: system == .procore ? (login ?? email) : nil, name: name,
            firstName: first, lastName: last, role: role, rawStatus: rawStatus, permissionTemplateID: template,
            deletedAt: nil, created: created, lastSeen: lastSeen, expectedStatus: status, isAdmin: admin,
            canonicalEmail: canonicalEmail, planted: planted)
    }

    /// Ordinary accounts draw a form at random; planted ones cycle so every form shows up at any size.
    mutating func chooseForm(_ system: SimulatedSystem, _ forms: [SimulatedTimestamp.Form], planted: Bool) -> SimulatedTimestamp.Form {
        if forms.count == 1 { return forms[0] }
        if planted {
            let cursor = formCursor[system, default: 0]
            formCursor[system] = cursor + 1
            return forms[cursor % forms.count]
        }
        // The first form is the common one; the others are occasional.
        return rng.chance(0.7) ? forms[0] : forms[rng.int(1...(forms.count - 1))]
    }

    /// Appends an account and gives it `memberships` distinct containers (Streak: the organization).
    mutating func add(_ account: SimulatedAccount, to system: SimulatedSystem, memberships count: Int) {
        records[system]!.accounts.append(account)
        let containers = records[system]!.containers
        if system == .streak {
            records[system]!.memberships.append(SimulatedMembership(containerID: containers[0].id, accountID: account.id))
            return
        }
        var chosen: Set<Int> = []
        while chosen.count < min(count, containers.count) {
            chosen.insert(rng.int(0...(containers.count - 1)))
        }
        for index in chosen.sorted() {
            var membership = SimulatedMembership(containerID: containers[index].id, accountID: account.id)
            if system == .proofHub {
                membership.role = account.isAdmin ? "manager" : rng.pick(["manager", "member", "member", "collaborator"])
            }
            if system == .procore {
                membership.permissionTemplateID = account.permissionTemplateID ?? 202
            }
            records[system]!.memberships.append(membership)
        }
    }
}
