import Foundation
import IDGraphSimulator
import Testing

@Suite struct CompanyGeneratorTests {
    let company = Fixture.company

    @Test func sameSeedAndSizeGiveTheSameCompany() {
        let again = Company.generate(size: 300, seed: 42, asOf: Fixture.asOf)
        #expect(again.rosterCSV() == company.rosterCSV())
        for system in SimulatedSystem.allCases {
            #expect(again.records(system).accounts == company.records(system).accounts)
            #expect(again.records(system).containers == company.records(system).containers)
            #expect(again.records(system).memberships == company.records(system).memberships)
        }
        #expect(again.credentials == company.credentials)
        #expect(again.configYAML(baseURLs: [:], rosterPath: "r.csv", databasePath: "d") == company.configYAML(baseURLs: [:], rosterPath: "r.csv", databasePath: "d"))
    }

    @Test func anotherSeedGivesAnotherCompany() {
        let other = Company.generate(size: 300, seed: 43, asOf: Fixture.asOf)
        #expect(other.rosterCSV() != company.rosterCSV())
        #expect(other.credentials != company.credentials)
        #expect(other.records(.processStreet).accounts.map(\.id) != company.records(.processStreet).accounts.map(\.id))
    }

    @Test(arguments: PlantedCondition.allCases)
    func everyConditionIsPlanted(_ condition: PlantedCondition) {
        #expect(!company.accounts(planted: condition).isEmpty, "nothing planted for \(condition)")
    }

    @Test func smallestCompanyStillHasEveryCondition() {
        let small = Company.generate(size: 10, seed: 1, asOf: Fixture.asOf)
        #expect(small.size == 50)
        for condition in PlantedCondition.allCases {
            #expect(!small.accounts(planted: condition).isEmpty, "nothing planted for \(condition) at size 50")
        }
    }

    @Test func accountsExistInAllFiveSystems() {
        for system in SimulatedSystem.allCases {
            #expect(company.records(system).accounts.count > 150, "\(system)")
            #expect(!company.records(system).containers.isEmpty, "\(system)")
            #expect(!company.records(system).memberships.isEmpty, "\(system)")
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
                // Compare scalars: Swift `==` treats NFD and NFC as equal.
                #expect(account.email.map { Array($0.unicodeScalars) != Array((account.canonicalEmail ?? "").unicodeScalars) } ?? true || condition == .rehiredPerson || condition == .joinsNonCanonicalRosterEntry)
            }
        }
        let login = company.accounts(planted: .joinsViaProcoreLogin)[0].account
        #expect(login.email == nil && login.login == "li.wei@acme.com")
        let nfd = company.accounts(planted: .joinsDespiteNFD)[0].account.email!
        #expect(nfd.unicodeScalars.count > nfd.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(company.accounts(planted: .noEmail)[0].account.email == nil)
    }

    @Test func everyTimestampFormIsServedSomewhere() {
        var forms: Set<SimulatedTimestamp.Form> = []
        for system in SimulatedSystem.allCases {
            for account in company.records(system).accounts {
                forms.insert(account.created.form)
                forms.insert(account.lastSeen.form)
            }
        }
        #expect(forms == Set(SimulatedTimestamp.Form.allCases))
    }

    @Test func untrustedTextReachesRosterAndContainers() {
        let names = company.roster.map(\.name)
        for prefix in ["<script>", "\"><img", "=HYPERLINK", "+SUM", "-2+3", "@SUM", "O'Brien, ", "张伟", "Алексей"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "no roster name starts with \(prefix)")
        }
        let projects = company.records(.proofHub).containers.map(\.name) + company.records(.procore).containers.map(\.name)
        #expect(projects.contains { $0.contains("<") && $0.contains("&") && $0.contains("\"") })
        #expect(company.records(.processMaker).containers.contains { $0.parentID != nil })
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
                     "    kind: roster", "    path: \"roster.csv\"", "    token: ${PROCESS_STREET_TOKEN}", "    token: ${PROOFHUB_TOKEN}",
                     "    api_key: ${STREAK_API_KEY}", "    token: ${PROCESSMAKER_TOKEN}", "    client_id: ${PROCORE_CLIENT_ID}",
                     "    client_secret: ${PROCORE_CLIENT_SECRET}", "    token_url: \"http://127.0.0.1:1/oauth/token\"",
                     "    company_id: \(company.procoreCompanyID)", "    admin_permission_templates: [101]"] {
            #expect(yaml.contains(line + "\n"), "config lacks \(line)")
        }
        for system in SimulatedSystem.allCases { #expect(yaml.contains("    kind: \(system.rawValue)\n")) }
        for secret in company.credentials.values { #expect(!yaml.contains(secret)) }
        #expect(Set(company.credentials.keys) == ["PROCESS_STREET_TOKEN", "PROOFHUB_TOKEN", "STREAK_API_KEY", "PROCESSMAKER_TOKEN", "PROCORE_CLIENT_ID", "PROCORE_CLIENT_SECRET"])
    }

    @Test func expectedFindingsCoverEveryRuleAndSparePlantedNegatives() {
        let findings = company.expectedFindings()
        #expect(Set(findings.map(\.rule)) == ["inactive", "orphaned", "over-privileged", "stale-invite", "deactivated-with-access"])
        func rules(_ condition: PlantedCondition) -> Set<String> {
            let ids = Set(company.accounts(planted: condition).map(\.account.id))
            return Set(findings.filter { ids.contains($0.accountID) }.map(\.rule))
        }
        #expect(rules(.inactiveOldActivity).contains("inactive"))
        #expect(rules(.inactiveNeverSeenOld).contains("inactive"))
        #expect(!rules(.neverSeenRecentlyCreated).contains("inactive"))
        #expect(findings.contains { $0.rule == "inactive" && $0.severity == "high" })
        #expect(rules(.terminatedWithLiveAccount).contains("orphaned"))
        #expect(!rules(.rehiredPerson).contains("orphaned"))
        #expect(rules(.unapprovedAdmin).contains("over-privileged"))
        #expect(!rules(.approvedAdmin).contains("over-privileged"))
        #expect(rules(.staleInvitation) == ["stale-invite"])
        #expect(rules(.freshInvitation).isEmpty)
        #expect(rules(.deactivatedWithMemberships) == ["deactivated-with-access"])
        #expect(rules(.deactivatedWithoutMemberships).isEmpty)
        #expect(rules(.joinsDespiteNFD).isEmpty)
    }

    private func canonical(_ email: String) -> String {
        var text = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().precomposedStringWithCanonicalMapping
        if text.hasSuffix("@acme.io") { text = String(text.dropLast(7)) + "acme.com" }
        return text
    }
}
