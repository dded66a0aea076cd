import Foundation

extension CompanyGenerator {
    /// Plants one account with a fixed shape and returns it.
    @discardableResult
    mutating func plant(
        _ system: SimulatedSystem, email: String?, login: String? = nil, name: String, status: ExpectedStatus = .active,
        admin: Bool = false, created: Int = 400, seen: Int? = 3, memberships: Int = 1, type: ExpectedAccountType = .human,
        rawStatus: String? = nil, system isSystem: Bool = false, _ planted: PlantedCondition...
    ) -> SimulatedAccount {
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        var account = makeAccount(
            system, email: email, login: login, name: name, first: parts.first ?? name, last: parts.count > 1 ? parts[1] : "",
            status: status, admin: admin, createdDaysAgo: created, seenDaysAgo: seen, type: type, rawStatus: rawStatus,
            planted: Set(planted))
        account.isSystem = isSystem
        add(account, to: system, memberships: memberships)
        return account
    }

    /// Replaces the last account of `system` (one just planted) after a change to its fields.
    mutating func replaceLast(_ account: SimulatedAccount, in system: SimulatedSystem) {
        records[system]!.accounts[records[system]!.accounts.count - 1] = account
        if let index = records[system]!.memberships.lastIndex(where: { $0.accountID == account.id }), system == .streak {
            records[system]!.memberships[index].role = account.role
        }
    }

    /// Plants every condition once, whatever the company size.
    mutating func plantAll() {
        // Admins: one approved everywhere (and the owner of the Streak API key), one approved nowhere.
        // Process Street exposes no admin flag, so admins are planted in the other four.
        let adminSystems: [SimulatedSystem] = [.proofHub, .streak, .processMaker, .procore]
        let robin = plantPerson("Robin Castillo", email: "robin.castillo@acme.com")
        for system in adminSystems {
            let account = plant(system, email: robin, name: "Robin Castillo", admin: true, .approvedAdmin)
            approved[system]!.append(robin)
            if system == .streak { streakOwnerKey = account.id }
        }
        plant(.processStreet, email: robin, name: "Robin Castillo")
        let taylor = plantPerson("Taylor Brooks", email: "taylor.brooks@acme.com")
        for system in adminSystems {
            plant(system, email: taylor, name: "Taylor Brooks", admin: true, .unapprovedAdmin)
        }

        // Activity (Streak and ProcessMaker are the systems with an activity field).
        let nora = plantPerson("Nora Quist", email: "nora.quist@acme.com")
        plant(.streak, email: nora, name: "Nora Quist", seen: 200, .inactiveOldActivity)
        plant(.processMaker, email: nora, name: "Nora Quist", seen: 150, .inactiveOldActivity)
        let ezra = plantPerson("Ezra Pike", email: "ezra.pike@acme.com")
        plant(.streak, email: ezra, name: "Ezra Pike", created: 400, seen: nil, .inactiveNeverSeenOld)
        plant(.streak, email: ezra, name: "Ezra Pike", created: 380, seen: nil, .inactiveNeverSeenOld)
        plant(.processMaker, email: ezra, name: "Ezra Pike", created: 300, seen: nil, .inactiveNeverSeenOld)
        let lena = plantPerson("Lena Marsh", email: "lena.marsh@acme.com")
        plant(.streak, email: lena, name: "Lena Marsh", created: 10, seen: nil, .neverSeenRecentlyCreated)
        plant(.streak, email: lena, name: "Lena Marsh", created: 12, seen: nil, .neverSeenRecentlyCreated)
        plant(.processMaker, email: lena, name: "Lena Marsh", created: 15, seen: nil, .neverSeenRecentlyCreated)
        let victor = plantPerson("Victor Hale", email: "victor.hale@acme.com")
        for system in [SimulatedSystem.streak, .processMaker] {
            plant(system, email: victor, name: "Victor Hale", admin: true, seen: 250, .inactiveAdmin)
            approved[system]!.append(victor)
        }
        let iris = plantPerson("Iris Bell", email: "iris.bell@acme.com")
        plant(.streak, email: iris, name: "Iris Bell", seen: 2, .recentlyActive)
        plant(.processMaker, email: iris, name: "Iris Bell", seen: 1, .recentlyActive)

        // Orphans: a leaver with live accounts, and people the roster never heard of.
        let gavin = plantPerson("Gavin Reed", email: "gavin.reed@acme.com", terminatedDaysAgo: 45)
        for system in [SimulatedSystem.processStreet, .streak, .procore] {
            plant(system, email: gavin, name: "Gavin Reed", .terminatedWithLiveAccount)
        }
        let paula = plantPerson("Paula Stein", email: "paula.stein@acme.com")
        roster.append(RosterPerson(
            email: paula, name: "Paula Stein", department: "Sales", managerEmail: roster[1].email,
            status: "terminated", terminationDate: SimulatedTimestamp.day(daysAgo(500))))
        // The old row is the same person: no ordinary accounts of its own.
        plantedRosterIndices.insert(roster.count - 1)
        plant(.processStreet, email: paula, name: "Paula Stein", .rehiredPerson)
        plant(.proofHub, email: paula, name: "Paula Stein", .rehiredPerson)
        plant(.processStreet, email: "alex.contractor@bluepeak-consulting.com", name: "Alex Contractor", .unknownContractor)
        plant(.procore, email: "alex.contractor@bluepeak-consulting.com", name: "Alex Contractor", .unknownContractor)
        plant(.processMaker, email: "build-bot@acme.com", name: "Build Bot", .serviceBot)
        plant(.streak, email: "svc-reports@acme.com", name: "Reports Service", .serviceBot)

        // Accounts that are not a person's own: service and external accounts (non-human-access, never orphaned).
        plant(.streak, email: "ai-assistant@acme.com", name: "Streak AI Agent", type: .service, .streakAgent)
        plant(.procore, email: "site.super@brightline-subs.com", name: "Dale Vendor", memberships: 2, type: .external, .procoreVendorUser)
        plant(.proofHub, email: "reviewer@clientco.example", name: "Client Reviewer", type: .external, .proofHubClient)
        // ProcessMaker hides system users from GET /users: one exists, and must not appear in the graph.
        plant(.processMaker, email: "_pm4_anon_user@processmaker.com", name: "Anonymous User", memberships: 0, type: .service,
              system: true, .processMakerSystemUser)
        plant(.proofHub, email: nil, name: "Shared Kiosk Account", .noEmail)

        // Emails that must join despite their form.
        let dana = plantPerson("Dana Whitfield", email: "dana.whitfield@acme.com")
        plant(.processStreet, email: "Dana.Whitfield@ACME.COM", name: "Dana Whitfield", .joinsDespiteCase)
        plant(.procore, email: "DANA.Whitfield@Acme.com", name: "Dana Whitfield", .joinsDespiteCase)
        _ = dana
        _ = plantPerson("Morgan Lee", email: "morgan.lee@acme.com")
        plant(.proofHub, email: "  morgan.lee@acme.com  ", name: "Morgan Lee", .joinsDespiteSpaces)
        _ = plantPerson("Priya Natarajan", email: "priya.natarajan@acme.com")
        plant(.processMaker, email: "\tpriya.natarajan@acme.com", name: "Priya Natarajan", .joinsDespiteTab)
        _ = plantPerson("José García", email: "josé.garcía@acme.com")
        plant(.streak, email: "josé.garcía@acme.com".decomposedStringWithCanonicalMapping, name: "José García", .joinsDespiteNFD)
        plant(.procore, email: "jose.garcia@acme.com", name: "Jose Garcia", .lookalikeWithoutAccent)
        _ = plantPerson("Sam Okafor", email: "sam.okafor@acme.com")
        plant(.proofHub, email: "sam.okafor@acme.io", name: "Sam Okafor", .joinsViaAliasDomain)
        _ = plantPerson("Chris Novak", email: "chris.novak@acme.com", rosterEmail: "  Chris.Novak@Acme.COM ")
        plant(.processStreet, email: "chris.novak@acme.com", name: "Chris Novak", .joinsNonCanonicalRosterEntry)
        _ = plantPerson("Li Wei", email: "li.wei@acme.com")
        plant(.procore, email: nil, login: "li.wei@acme.com", name: "Li Wei", .joinsViaProcoreLogin)

        // Look-alikes of Jane Doe that must not join her.
        let jane = plantPerson("Jane Doe", email: "jane.doe@acme.com")
        plant(.processStreet, email: jane, name: "Jane Doe")
        plant(.processStreet, email: "jane.doe@acme.co", name: "Jane Doe", .lookalikeOtherTLD)
        plant(.proofHub, email: "jane.doe@acrne.com", name: "Jane Doe", .lookalikeTyposquattedDomain)
        plant(.processMaker, email: "janedoe@acme.com", name: "Jane Doe", .lookalikeMissingDot)
        plant(.streak, email: "jane.doe@acme.com.au", name: "Jane Doe", .lookalikeExtraSuffix)

        // Invitations: Streak team members whose inviteStatus is still Pending, judged on their inviteDate.
        let omar = plantPerson("Omar Haddad", email: "omar.haddad@acme.com")
        plant(.streak, email: omar, name: "Omar Haddad", status: .invited, created: 75, seen: nil, .staleInvitation)
        let kira = plantPerson("Kira Lund", email: "kira.lund@acme.com")
        plant(.streak, email: kira, name: "Kira Lund", status: .invited, created: 5, seen: nil, .freshInvitation)

        // Streak team roles: ArchiveOnly is deactivated (the team is the tenant, so no finding);
        // PayerOnly keeps billing access, active and not an admin.
        let ruth = plantPerson("Ruth Archer", email: "ruth.archer@acme.com")
        plant(.streak, email: ruth, name: "Ruth Archer", status: .inactive, seen: 300, .streakArchived)
        let pete = plantPerson("Pete Payer", email: "pete.payer@acme.com", department: "Finance")
        var payer = plant(.streak, email: pete, name: "Pete Payer", seen: 20, .streakPayerOnly)
        payer.role = "PayerOnly"
        replaceLast(payer, in: .streak)

        // ProcessMaker statuses other than INACTIVE still hold access.
        let owen = plantPerson("Owen Oakes", email: "owen.oakes@acme.com")
        plant(.processMaker, email: owen, name: "Owen Oakes", seen: 200, rawStatus: "OUT_OF_OFFICE", .outOfOfficeInactive)
        let bea = plantPerson("Bea Blocked", email: "bea.blocked@acme.com")
        plant(.processMaker, email: bea, name: "Bea Blocked", seen: 2, rawStatus: "BLOCKED", .blockedUser)

        // Deactivated accounts with and without memberships.
        let ben = plantPerson("Ben Ortiz", email: "ben.ortiz@acme.com")
        for system in [SimulatedSystem.processStreet, .processMaker] {
            plant(system, email: ben, name: "Ben Ortiz", status: .inactive, memberships: 2, .deactivatedWithMemberships)
        }
        plant(.proofHub, email: ben, name: "Ben Ortiz", status: .inactive, memberships: 2, .deactivatedWithMemberships, .suspendedWithProjects)
        plant(.procore, email: ben, name: "Ben Ortiz", status: .inactive, memberships: 2, .deactivatedWithMemberships, .procoreInactiveKeepsProjects)
        let cora = plantPerson("Cora Flynn", email: "cora.flynn@acme.com")
        for system in [SimulatedSystem.processStreet, .proofHub, .processMaker, .procore] {
            plant(system, email: cora, name: "Cora Flynn", status: .inactive, memberships: 0, .deactivatedWithoutMemberships)
        }
        // Untrusted names, each in two systems, in the roster too.
        for (k, name) in NamePools.untrustedNames.enumerated() {
            let department = k % 3 == 0 ? "R&D <Labs> \"West\", =2+2" : nil
            let email = plantPerson(name, email: "untrusted.\(k + 1)@acme.com", department: department)
            let systems = SimulatedSystem.allCases
            plant(systems[k % systems.count], email: email, name: name, .untrustedName)
            plant(systems[(k + 2) % systems.count], email: email, name: name, .untrustedName)
        }
    }
}
