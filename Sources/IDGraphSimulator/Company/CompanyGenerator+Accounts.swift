import Foundation

extension CompanyGenerator {
    /// Procore's permission templates: the company admin template (an admin by id in the config), the
    /// project admin template (an admin by name), and two ordinary ones.
    static let procoreCompanyAdmin = ProcoreTemplate(id: 101, name: "Company Admin")
    static let procoreProjectAdmin = ProcoreTemplate(id: 150, name: "Project Admin")
    static let procoreStandard = ProcoreTemplate(id: 201, name: "Standard")
    static let procoreReadOnly = ProcoreTemplate(id: 202, name: "Read Only")

    /// The creation-time forms each system uses, most common first (collectors must be tolerant).
    static func createdForms(_ system: SimulatedSystem) -> [SimulatedTimestamp.Form] {
        switch system {
        case .processStreet: [.iso8601Fractional, .iso8601, .missing]  // SCIM meta.created
        case .proofHub: [.iso8601Offset, .iso8601, .iso8601Fractional, .null, .missing]
        case .streak: [.epochMilliseconds]
        case .processMaker: [.iso8601Offset, .iso8601Fractional]
        case .procore: [.iso8601, .iso8601Offset]
        }
    }

    /// The activity form of each system, `nil` for one without activity.
    static func seenForm(_ system: SimulatedSystem) -> SimulatedTimestamp.Form? {
        switch system {
        case .processStreet: nil
        case .proofHub: .iso8601Offset
        case .streak: .epochMilliseconds
        case .processMaker: .iso8601Offset
        case .procore: .iso8601
        }
    }

    /// Makes one account in `system`'s own vocabulary for an intended status, admin flag and type.
    mutating func makeAccount(
        _ system: SimulatedSystem, email: String?, login: String? = nil, name: String, first: String, last: String,
        status: ExpectedStatus, admin: Bool, createdDaysAgo: Int, seenDaysAgo: Int?,
        type: ExpectedAccountType = .human, rawStatus plantedStatus: String? = nil,
        planted: Set<PlantedCondition> = []
    ) -> SimulatedAccount {
        let number = nextNumber[system, default: 0] + 1
        nextNumber[system] = number
        let id: String
        switch system {
        case .processStreet: id = String(number, radix: 36) + "Aa" + rng.hex(18)
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
        if let form = Self.seenForm(system) {
            if let seenDaysAgo, status != .invited {
                let seen = max(daysAgo(seenDaysAgo).addingTimeInterval(-Double(rng.int(0...86_399))), createdDate.addingTimeInterval(3600))
                lastSeen = SimulatedTimestamp(min(seen, asOf), form)
            } else {
                lastSeen = system == .streak && chooseForm(system, [.missing, .null], planted: !planted.isEmpty) == .missing
                    ? .missing : .null
            }
        }

        var role: String?
        var rawStatus = plantedStatus
        var companyTemplate: ProcoreTemplate?
        var scimID: String?
        switch system {
        case .processStreet:
            scimID = "scim-" + rng.hex(8) + "-" + rng.hex(4)
        case .proofHub:
            if type == .external {
                role = "Client"
            } else if admin {
                role = proofHubOwnerAssigned ? "Admin" : "Owner"
                proofHubOwnerAssigned = true
            } else {
                role = rng.chance(0.1) ? "Collaborator" : "Normal User"
            }
        case .streak:
            role = status == .inactive ? "ArchiveOnly" : (admin ? "Owner" : (rng.chance(0.03) ? "PayerOnly" : "Member"))
            rawStatus = status == .invited ? "Pending" : "Accepted"
        case .processMaker:
            if rawStatus == nil {
                // Every status but INACTIVE still holds access; a few live users carry the other values.
                rawStatus = status == .inactive ? "INACTIVE" : (rng.chance(0.04) ? rng.pick(["SCHEDULED", "OUT_OF_OFFICE", "BLOCKED"]) : "ACTIVE")
            }
        case .procore:
            companyTemplate = admin ? Self.procoreCompanyAdmin : [Self.procoreStandard, Self.procoreReadOnly, nil][rng.int(0...2)]
            role = companyTemplate?.name
        }
        let mailbox = system == .procore ? ((email?.isEmpty ?? true) ? login : email) : email
        // Ordinary roster emails are already canonical; skip the Foundation work for them.
        let canonicalEmail = mailbox.map { usedEmails.contains($0) && $0.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) && $0 > 0x20 }) ? $0 : canonical($0) }
        return SimulatedAccount(
            id: id, email: email, login: system == .procore ? (login ?? email) : nil, name: name,
            firstName: first, lastName: last, role: role, rawStatus: rawStatus, companyTemplate: companyTemplate,
            scimID: scimID, isSystem: false, accountType: type, created: created, lastSeen: lastSeen,
            expectedStatus: status, isAdmin: admin, canonicalEmail: canonicalEmail, planted: planted)
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

    /// Appends an account and gives it `memberships` distinct containers (Streak: its team).
    mutating func add(_ account: SimulatedAccount, to system: SimulatedSystem, memberships count: Int) {
        records[system]!.accounts.append(account)
        let containers = records[system]!.containers
        if system == .streak {
            records[system]!.memberships.append(
                SimulatedMembership(containerID: containers[0].id, accountID: account.id, role: account.role))
            return
        }
        var chosen: Set<Int> = []
        while chosen.count < min(count, containers.count) {
            chosen.insert(rng.int(0...(containers.count - 1)))
        }
        var managed = false
        for index in chosen.sorted() {
            var membership = SimulatedMembership(containerID: containers[index].id, accountID: account.id)
            if system == .proofHub && containers[index].type == "project" && !managed
                && (account.isAdmin || rng.chance(0.05)) && !projectManagers.contains(containers[index].id)
            {
                // A project has one manager (ProofHub `manager`), stored as the membership's role.
                membership.role = "manager"
                projectManagers.insert(containers[index].id)
                managed = true
            }
            if system == .procore {
                let template = account.isAdmin ? Self.procoreProjectAdmin : (rng.chance(0.5) ? Self.procoreStandard : Self.procoreReadOnly)
                membership.template = template
                // Procore lists inactive users without permission templates: their memberships have no role.
                membership.role = account.expectedStatus == .active ? template.name : nil
            }
            records[system]!.memberships.append(membership)
        }
    }
}
