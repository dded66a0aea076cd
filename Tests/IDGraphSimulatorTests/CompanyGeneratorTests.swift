import Foundation
import IDGraphSimulator
import Testing

@Suite struct CompanyGeneratorTests {
    let company = Fixture.company
    static let small = Company.generate(size: 10, seed: 1, asOf: Fixture.asOf)

    /// The fixture (300 people) or the smallest company (50), by size: test arguments stay short to print.
    static func company(_ size: Int) -> Company { size == 300 ? Fixture.company : small }

    func planted(_ condition: PlantedCondition, in company: Company = Fixture.company) -> [(system: SimulatedSystem, account: SimulatedAccount)] {
        company.accounts(planted: condition)
    }

    func daysBefore(_ company: Company, _ timestamp: SimulatedTimestamp) -> Double? {
        timestamp.date.map { company.asOf.timeIntervalSince($0) / 86_400 }
    }

    // MARK: determinism

    @Test func sameSeedAndSizeGiveTheSameCompany() {
        let again = Company.generate(size: 300, seed: 42, asOf: Fixture.asOf)
        #expect(again.rosterCSV() == company.rosterCSV())
        for system in SimulatedSystem.allCases {
            #expect(again.records(system).accounts == company.records(system).accounts)
            #expect(again.records(system).containers == company.records(system).containers)
            #expect(again.records(system).memberships == company.records(system).memberships)
        }
        #expect(again.credentials == company.credentials)
        #expect(again.streakTeamKey == company.streakTeamKey && again.streakOwnerKey == company.streakOwnerKey)
        #expect(again.approvedAdmins == company.approvedAdmins)
        #expect(again.configYAML(baseURLs: [:], rosterPath: "r.csv", databasePath: "d") == company.configYAML(baseURLs: [:], rosterPath: "r.csv", databasePath: "d"))
        #expect(again.expectedFindings() == company.expectedFindings())
    }

    @Test func anotherSeedGivesAnotherCompany() {
        let other = Company.generate(size: 300, seed: 43, asOf: Fixture.asOf)
        #expect(other.rosterCSV() != company.rosterCSV())
        #expect(other.credentials != company.credentials)
        #expect(other.records(.processStreet).accounts.map(\.id) != company.records(.processStreet).accounts.map(\.id))
    }

    @Test func asOfShiftsDatesButNotTheCompany() {
        let later = Company.generate(size: 300, seed: 42, asOf: Fixture.asOf.addingTimeInterval(86_400 * 10))
        #expect(later.records(.proofHub).accounts.map(\.id) == company.records(.proofHub).accounts.map(\.id))
        let before = company.records(.streak).accounts.compactMap(\.created.date)
        let after = later.records(.streak).accounts.compactMap(\.created.date)
        #expect(zip(before, after).allSatisfy { $1.timeIntervalSince($0) == 86_400 * 10 })
    }

    // MARK: planted conditions

    @Test(arguments: PlantedCondition.allCases)
    func everyConditionIsPlantedAt300(_ condition: PlantedCondition) {
        #expect(!company.accounts(planted: condition).isEmpty, "nothing planted for \(condition)")
    }

    @Test(arguments: PlantedCondition.allCases)
    func everyConditionIsPlantedAt50(_ condition: PlantedCondition) {
        #expect(Self.small.size == 50)
        #expect(!Self.small.accounts(planted: condition).isEmpty, "nothing planted for \(condition) at size 50")
    }

    @Test(arguments: [300, 50])
    func plantedVendorConditionsMeanWhatTheySay(_ size: Int) throws {
        let company = Self.company(size)
        let system = try #require(planted(.processMakerSystemUser, in: company).first)
        #expect(system.system == .processMaker)
        #expect(system.account.isSystem && system.account.accountType == .service)
        #expect(!company.records(.processMaker).listedAccounts.contains { $0.id == system.account.id })
        #expect(company.records(.processMaker).accounts.contains { $0.id == system.account.id })
        #expect(company.records(.processMaker).accounts.filter(\.isSystem).count == 1)

        let archived = try #require(planted(.streakArchived, in: company).first)
        #expect(archived.system == .streak)
        #expect(archived.account.expectedStatus == .inactive && archived.account.role == "ArchiveOnly")
        #expect(archived.account.rawStatus == "Accepted")
        let payer = try #require(planted(.streakPayerOnly, in: company).first)
        #expect(payer.account.role == "PayerOnly" && payer.account.expectedStatus == .active && !payer.account.isAdmin)
        #expect(company.records(.streak).memberships.first { $0.accountID == payer.account.id }?.role == "PayerOnly")
        let agent = try #require(planted(.streakAgent, in: company).first)
        #expect(agent.system == .streak && agent.account.accountType == .service && agent.account.expectedStatus == .active)

        let away = try #require(planted(.outOfOfficeInactive, in: company).first)
        #expect(away.system == .processMaker)
        #expect(away.account.rawStatus == "OUT_OF_OFFICE" && away.account.expectedStatus == .active)
        #expect((daysBefore(company, away.account.lastSeen) ?? 0) > Double(company.inactiveDays))
        let blocked = try #require(planted(.blockedUser, in: company).first)
        #expect(blocked.account.rawStatus == "BLOCKED" && blocked.account.expectedStatus == .active)

        let vendor = try #require(planted(.procoreVendorUser, in: company).first)
        #expect(vendor.system == .procore && vendor.account.accountType == .external && vendor.account.expectedStatus == .active)
        let client = try #require(planted(.proofHubClient, in: company).first)
        #expect(client.system == .proofHub && client.account.accountType == .external && client.account.role == "Client")

        let suspended = try #require(planted(.suspendedWithProjects, in: company).first)
        let projects = Set(company.records(.proofHub).containers.filter { $0.type == "project" }.map(\.id))
        #expect(suspended.account.expectedStatus == .inactive)
        #expect(company.records(.proofHub).memberships.contains { $0.accountID == suspended.account.id && projects.contains($0.containerID) })
        let keeps = try #require(planted(.procoreInactiveKeepsProjects, in: company).first)
        #expect(keeps.account.expectedStatus == .inactive)
        #expect(company.records(.procore).memberships.filter { $0.accountID == keeps.account.id }.count == 2)
        for (system, account) in planted(.deactivatedWithoutMemberships, in: company) {
            #expect(account.expectedStatus == .inactive)
            #expect(!company.records(system).memberships.contains { $0.accountID == account.id }, "\(system)")
        }

        let stale = try #require(planted(.staleInvitation, in: company).first)
        #expect(stale.account.expectedStatus == .invited && stale.account.rawStatus == "Pending")
        #expect((daysBefore(company, stale.account.created) ?? 0) > Double(company.staleInviteDays))
        let fresh = try #require(planted(.freshInvitation, in: company).first)
        #expect(fresh.account.expectedStatus == .invited)
        #expect((daysBefore(company, fresh.account.created) ?? .infinity) < Double(company.staleInviteDays))

        // Only Streak has invitations.
        for system in SimulatedSystem.allCases where system != .streak {
            #expect(!company.records(system).accounts.contains { $0.expectedStatus == .invited }, "\(system)")
        }
    }

    @Test func adminsAreApprovedOrNotAsPlanted() throws {
        for (system, account) in planted(.approvedAdmin) {
            #expect(account.isAdmin)
            #expect(company.approvedAdmins[system]?.contains(account.canonicalEmail ?? "") == true, "\(system)")
        }
        for (system, account) in planted(.unapprovedAdmin) {
            #expect(account.isAdmin)
            #expect(company.approvedAdmins[system]?.contains(account.canonicalEmail ?? "") != true, "\(system)")
        }
        // The Streak key belongs to the approved admin, the team's owner.
        let owner = try #require(planted(.approvedAdmin).first { $0.system == .streak }?.account)
        #expect(owner.id == company.streakOwnerKey && owner.role == "Owner")
        #expect(company.records(.streak).containers.map(\.id) == [company.streakTeamKey])
        // Process Street exposes no admin flag, so it has no admins.
        #expect(!company.records(.processStreet).accounts.contains { $0.isAdmin })
        // Procore admins are admins by their company permission template.
        for account in company.records(.procore).accounts where account.isAdmin {
            #expect(account.companyTemplate?.id == 101)
        }
    }

    @Test func processStreetAccountsHaveSCIMIDsOfTheirOwn() {
        let accounts = company.records(.processStreet).accounts
        #expect(accounts.allSatisfy { $0.scimID != nil && $0.scimID != $0.id })
        #expect(Set(accounts.compactMap(\.scimID)).count == accounts.count)
        for system in SimulatedSystem.allCases where system != .processStreet {
            #expect(company.records(system).accounts.allSatisfy { $0.scimID == nil }, "\(system)")
        }
    }

    @Test func accountsExistInAllFiveSystems() {
        for system in SimulatedSystem.allCases {
            #expect(company.records(system).accounts.count > 150, "\(system)")
            #expect(!company.records(system).containers.isEmpty, "\(system)")
            #expect(!company.records(system).memberships.isEmpty, "\(system)")
            #expect(Set(company.records(system).accounts.map(\.id)).count == company.records(system).accounts.count, "\(system) ids are unique")
        }
        #expect(company.accountCount > 1000)
    }

    @Test func managersAreRosterPeople() {
        let emails = Set(company.roster.map(\.email))
        for person in company.roster where !person.managerEmail.isEmpty {
            #expect(emails.contains(person.managerEmail), "\(person.email) has manager \(person.managerEmail)")
        }
    }

    @Test func rehiredPersonHasATerminatedAndAnActiveRow() {
        let email = company.accounts(planted: .rehiredPerson)[0].account.canonicalEmail!
        let rows = company.roster.filter { $0.email == email }
        #expect(rows.count == 2)
        #expect(Set(rows.map(\.status)) == ["active", "terminated"])
        #expect(rows.first { $0.status == "terminated" }?.terminationDate.count == 10)
    }

    @Test func lookalikesDoNotJoinAndVariantsDo() {
        let active = Set(company.roster.filter { $0.status == "active" }.map { canonical($0.email) })
        let lookalikes: [PlantedCondition] = [.lookalikeOtherTLD, .lookalikeTyposquattedDomain, .lookalikeMissingDot, .lookalikeExtraSuffix, .lookalikeWithoutAccent, .unknownContractor, .serviceBot]
        for condition in lookalikes {
            for (_, account) in company.accounts(planted: condition) {
                #expect(!active.contains(account.canonicalEmail ?? ""), "\(condition) \(account.email ?? "-") must not join")
            }
        }
        let joins: [PlantedCondition] = [.joinsDespiteCase, .joinsDespiteSpaces, .joinsDespiteTab, .joinsDespiteNFD, .joinsViaAliasDomain, .joinsNonCanonicalRosterEntry, .joinsViaProcoreLogin, .rehiredPerson]
        for condition in joins {
            for (_, account) in company.accounts(planted: condition) {
                #expect(active.contains(account.canonicalEmail ?? ""), "\(condition) \(account.email ?? "-") must join")
            }
        }
        let login = company.accounts(planted: .joinsViaProcoreLogin)[0].account
        #expect(login.email == nil && login.login == "li.wei@acme.com")
        let nfd = company.accounts(planted: .joinsDespiteNFD)[0].account.email!
        #expect(nfd.unicodeScalars.count > nfd.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(company.accounts(planted: .noEmail)[0].account.email == nil)
    }

    /// The forms the vendors serve. Laravel's `YYYY-MM-DD HH:MM:SS` is no longer one of them:
    /// ProcessMaker serves ISO 8601 with an offset.
    @Test func everyVendorTimestampFormIsServedSomewhere() {
        var forms: Set<SimulatedTimestamp.Form> = []
        for system in SimulatedSystem.allCases {
            for account in company.records(system).accounts {
                forms.insert(account.created.form)
                forms.insert(account.lastSeen.form)
            }
        }
        #expect(forms == Set(SimulatedTimestamp.Form.allCases).subtracting([.laravel, .absurdNumber, .absurdDigits]))
        // Process Street has no activity at all; Streak writes epoch milliseconds only.
        #expect(company.records(.processStreet).accounts.allSatisfy { $0.lastSeen.form == .missing })
        #expect(company.records(.streak).accounts.allSatisfy { $0.created.form == .epochMilliseconds })
    }

    @Test func untrustedTextReachesRosterAndContainers() {
        let names = company.roster.map(\.name)
        for prefix in ["<script>", "\"><img", "=HYPERLINK", "+SUM", "-2+3", "@SUM", "O'Brien, ", "张伟", "Алексей"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "no roster name starts with \(prefix)")
        }
        let projects = company.records(.proofHub).containers.map(\.name) + company.records(.procore).containers.map(\.name)
        #expect(projects.contains { $0.contains("<") && $0.contains("&") && $0.contains("\"") })
        #expect(company.records(.processMaker).containers.contains { $0.parentID != nil })
        #expect(!planted(.untrustedName).isEmpty)
    }

    @Test func rosterCSVHasTheSpecHeaderAndQuotes() {
        let csv = company.rosterCSV()
        #expect(csv.hasPrefix("email,name,department,manager_email,status,termination_date\r\n"))
        #expect(csv.contains("\"O'Brien, \"\"Bobby\"\" Jr.\""))
        #expect(csv.contains("\"  Chris.Novak@Acme.COM \""))
        #expect(csv.components(separatedBy: "\r\n").count == company.roster.count + 2)
    }

    @Test func configReferencesSecretsAndEverySource() {
        let yaml = company.configYAML(
            baseURLs: Dictionary(uniqueKeysWithValues: SimulatedSystem.allCases.map { ($0, "http://127.0.0.1:1\($0.basePath)") }),
            rosterPath: "roster.csv", databasePath: "idgraph.sqlite")
        for line in ["database: \"idgraph.sqlite\"", "inactive_days: 90", "stale_invite_days: 30", "  acme.io: acme.com",
                     "    kind: roster", "    path: \"roster.csv\"", "    token: ${PROCESS_STREET_TOKEN}",
                     "    scim_base_url: \"http://127.0.0.1:1/api/scim\"", "    token: ${PROOFHUB_TOKEN}",
                     "    user_agent: \"idgraph (it-security@acme.com)\"",
                     "    api_key: ${STREAK_API_KEY}", "    token: ${PROCESSMAKER_TOKEN}", "    client_id: ${PROCORE_CLIENT_ID}",
                     "    client_secret: ${PROCORE_CLIENT_SECRET}", "    token_url: \"http://127.0.0.1:1/oauth/token\"",
                     "    company_id: \(company.procoreCompanyID)", "    admin_permission_templates: [\"101\", \"Project Admin\"]"] {
            #expect(yaml.contains(line + "\n"), "config lacks \(line)")
        }
        for system in SimulatedSystem.allCases {
            #expect(yaml.contains("    kind: \(system.rawValue)\n"))
            #expect(yaml.contains("    base_url: \"http://127.0.0.1:1\(system.basePath)\"\n"))
        }
        #expect(yaml.components(separatedBy: "    approved_admins: [").count == SimulatedSystem.allCases.count + 1)
        for secret in company.credentials.values { #expect(!yaml.contains(secret)) }
        #expect(Set(company.credentials.keys) == ["PROCESS_STREET_TOKEN", "PROOFHUB_TOKEN", "STREAK_API_KEY", "PROCESSMAKER_TOKEN", "PROCORE_CLIENT_ID", "PROCORE_CLIENT_SECRET"])
    }

    // MARK: expected findings

    @Test(arguments: [300, 50])
    func expectedFindingsCoverEveryRule(_ size: Int) {
        let company = Self.company(size)
        let findings = company.expectedFindings()
        #expect(Set(findings.map(\.rule)) == [
            "inactive", "orphaned", "over-privileged", "stale-invite", "deactivated-with-access", "non-human-access",
            "token-of-inactive-user",
        ])
        #expect(Set(findings.map(\.severity)).isSubset(of: ["low", "medium", "high"]))
        // Each finding names an account its system lists.
        for finding in findings {
            #expect(company.records(finding.system).listedAccounts.contains { $0.id == finding.accountID }, "\(finding)")
        }
    }

    @Test(arguments: [300, 50])
    func noOrphanedFindingForANonHumanAccount(_ size: Int) {
        let company = Self.company(size)
        let findings = company.expectedFindings()
        var types: [String: ExpectedAccountType] = [:]
        for system in SimulatedSystem.allCases {
            for account in company.records(system).accounts { types["\(system.rawValue):\(account.id)"] = account.accountType }
        }
        let orphaned = findings.filter { $0.rule == "orphaned" }
        #expect(!orphaned.isEmpty)
        for finding in orphaned {
            #expect(types["\(finding.system.rawValue):\(finding.accountID)"] == .human, "\(finding)")
        }
        // Every active non-human account is flagged for non-human access instead.
        let nonHuman = Set(findings.filter { $0.rule == "non-human-access" }.map { "\($0.system.rawValue):\($0.accountID)" })
        for system in SimulatedSystem.allCases {
            for account in company.records(system).listedAccounts where account.accountType != .human && account.expectedStatus == .active {
                #expect(nonHuman.contains("\(system.rawValue):\(account.id)"), "\(system) \(account.id)")
            }
        }
    }

    @Test func expectedFindingsFollowThePlantedConditions() {
        let findings = company.expectedFindings()
        func rules(_ condition: PlantedCondition) -> Set<String> {
            let accounts = Set(company.accounts(planted: condition).map { "\($0.system.rawValue):\($0.account.id)" })
            return Set(findings.filter { accounts.contains("\($0.system.rawValue):\($0.accountID)") }.map(\.rule))
        }
        #expect(rules(.inactiveOldActivity).contains("inactive"))
        #expect(rules(.inactiveNeverSeenOld).contains("inactive"))
        #expect(!rules(.neverSeenRecentlyCreated).contains("inactive"))
        #expect(!rules(.recentlyActive).contains("inactive"))
        #expect(findings.contains { $0.rule == "inactive" && $0.severity == "high" })
        #expect(rules(.inactiveAdmin).contains("inactive"))
        #expect(rules(.terminatedWithLiveAccount).contains("orphaned"))
        #expect(rules(.unknownContractor).contains("orphaned"))
        #expect(rules(.serviceBot).contains("orphaned"))
        #expect(rules(.noEmail).contains("orphaned"))
        #expect(!rules(.rehiredPerson).contains("orphaned"))
        #expect(rules(.unapprovedAdmin).contains("over-privileged"))
        #expect(!rules(.approvedAdmin).contains("over-privileged"))
        #expect(rules(.staleInvitation) == ["stale-invite"])
        #expect(rules(.freshInvitation).isEmpty)
        // ProcessMaker's planted deactivated user also holds the live token planted for token-of-inactive-user.
        #expect(rules(.deactivatedWithMemberships).subtracting(["token-of-inactive-user"]) == ["deactivated-with-access"])
        let tokens = company.records(.processMaker).credentials
        #expect(Set(findings.filter { $0.rule == "token-of-inactive-user" }.map(\.accountID)) == Set(tokens.filter(\.flagged).map(\.userID)))
        #expect(rules(.suspendedWithProjects) == ["deactivated-with-access"])
        #expect(rules(.procoreInactiveKeepsProjects) == ["deactivated-with-access"])
        #expect(rules(.deactivatedWithoutMemberships).isEmpty)
        #expect(rules(.joinsDespiteNFD).isEmpty)
        // Vendor statuses and account types.
        #expect(rules(.outOfOfficeInactive) == ["inactive"])
        #expect(rules(.blockedUser).isEmpty)
        #expect(rules(.processMakerSystemUser).isEmpty, "a system user is not listed, so it is not in the graph")
        #expect(rules(.streakArchived).isEmpty, "the team is the tenant, not access on top of the account")
        #expect(rules(.streakPayerOnly).isEmpty)
        #expect(rules(.streakAgent) == ["non-human-access"])
        #expect(rules(.procoreVendorUser) == ["non-human-access"])
        #expect(rules(.proofHubClient) == ["non-human-access"])
    }

    private func canonical(_ email: String) -> String {
        var text = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
        if text.hasSuffix("@acme.io") { text = String(text.dropLast(7)) + "acme.com" }
        return text
    }
}
